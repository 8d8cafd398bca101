// Prepares the index page's search data off the page's main thread: fetches and parses search-index.json, lays the
// searchable text of every device end to end in one lower-case string, and sorts the list by every column once. The
// page gets that string and typed arrays, which cost next to nothing to receive, so loading tens of thousands of
// devices never blocks scrolling or typing. The row format is documented in site/search-data.ts.
'use strict';

self.onmessage = (e) => {
  fetch(e.data).then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))).then((data) => {
    if (data.version !== 2 || !Array.isArray(data.devices)) throw new Error('unknown search data version');
    const prepared = prepare(data);
    self.postMessage(prepared, transferables(prepared));
  }).catch((err) => self.postMessage({ error: String((err && err.message) || err) }));
};

function transferables(p) {
  const out = [];
  for (const v of Object.values(p)) if (ArrayBuffer.isView(v)) out.push(v.buffer);
  for (const v of Object.values(p.orders)) out.push(v.buffer);
  return out;
}

function prepare(data) {
  const rows = data.devices;
  const n = rows.length;
  // Per device, in id order: "name\n strong words\n weak words \n", lower case. A search word never holds white space,
  // so a match never spans two devices or two sections. See score() in search.js for what each section weighs.
  const text = [];
  const start = new Int32Array(n + 1);
  const nameEnd = new Int32Array(n);
  const strongEnd = new Int32Array(n);
  // Shown as they are: id, name and newest evidence date, end to end, with their boundaries.
  const labels = [];
  const labelAt = new Int32Array(3 * n + 1);
  const vendor = new Int32Array(n);
  const category = new Int32Array(n);
  const ha = new Uint8Array(n);
  const app = new Uint8Array(n);
  const endpoints = new Int32Array(n);
  const flags = new Uint8Array(n);
  const integrationAt = new Int32Array(n + 1);
  const integrationList = [];
  let at = 0;
  let labelLength = 0;
  for (let i = 0; i < n; i++) {
    const d = rows[i];
    const name = String(d[1]).toLowerCase();
    const integrations = Array.isArray(d[10]) ? d[10] : [];
    const strong = ` ${d[0]} ${d[8]} ${data.vendors[d[2]]?.[1] ?? ''} ${data.categories[d[3]] ?? ''} ${integrations.map((k) => `${data.integrations[k]} ${data.integrationNames[k]}`).join(' ')}`.toLowerCase();
    const weak = ` ${d[9]} `.toLowerCase();
    start[i] = at;
    nameEnd[i] = at + name.length;
    strongEnd[i] = nameEnd[i] + 1 + strong.length;
    text.push(name, '\n', strong, '\n', weak, '\n');
    at = strongEnd[i] + 1 + weak.length + 1;
    for (let k = 0; k < 3; k++) {
      const s = String(k === 0 ? d[0] : k === 1 ? d[1] : d[7] ?? '');
      labels.push(s);
      labelAt[3 * i + k] = labelLength;
      labelLength += s.length;
    }
    vendor[i] = d[2];
    category[i] = d[3];
    ha[i] = d[4];
    app[i] = d[5];
    endpoints[i] = d[6];
    flags[i] = d[11];
    integrationAt[i] = integrationList.length;
    integrationList.push(...integrations);
  }
  start[n] = at;
  labelAt[3 * n] = labelLength;
  integrationAt[n] = integrationList.length;
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  /** Ranks of a list of strings in collation order; equal strings share a rank. */
  const ranks = (strings) => {
    const idx = strings.map((_, i) => i).sort((a, b) => collator.compare(strings[a], strings[b]));
    const rank = new Int32Array(strings.length);
    for (let k = 1; k < idx.length; k++) rank[idx[k]] = rank[idx[k - 1]] + (collator.compare(strings[idx[k - 1]], strings[idx[k]]) === 0 ? 0 : 1);
    return rank;
  };
  const nameRank = ranks(rows.map((d) => String(d[1])));
  const vendorRank = ranks(data.vendors.map((v) => String(v[1])));
  const categoryRank = ranks(data.categories.map(String));
  const newest = rows.map((d) => String(d[7] ?? ''));
  // Each column's order, ties in id order, as the page's sort buttons show it.
  const by = (key) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => key(a, b) || a - b);
    return Int32Array.from(idx);
  };
  const orders = {
    name: by((a, b) => nameRank[a] - nameRank[b]),
    vendor: by((a, b) => (vendor[a] < 0 ? -1 : vendorRank[vendor[a]]) - (vendor[b] < 0 ? -1 : vendorRank[vendor[b]])),
    category: by((a, b) => (category[a] < 0 ? -1 : categoryRank[category[a]]) - (category[b] < 0 ? -1 : categoryRank[category[b]])),
    ha: by((a, b) => ha[a] - ha[b]),
    app: by((a, b) => app[a] - app[b]),
    endpoints: by((a, b) => endpoints[a] - endpoints[b]),
    newest: by((a, b) => (newest[a] < newest[b] ? -1 : newest[a] > newest[b] ? 1 : 0)),
  };
  return {
    count: n, text: text.join(''), start, nameEnd, strongEnd, labels: labels.join(''), labelAt,
    vendor, category, ha, app, endpoints, flags, integrationAt, integrations: Int32Array.from(integrationList), orders,
    vendors: data.vendors, categories: data.categories, integrationIds: data.integrations, iotClass: data.iotClass,
  };
}
