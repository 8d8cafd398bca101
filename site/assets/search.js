// Search, filters, sorting and the full device list for the index page. Progressive enhancement: without it the page
// lists the first hundred devices and links static pages for the rest. Only the rows in view are in the document, so a
// list of tens of thousands costs what a screenful does. The state lives in the URL query, so a view can be shared.
// Text is only ever set with textContent.
(() => {
  'use strict';
  const OVERSCAN = 8;
  const form = document.getElementById('filters');
  const table = document.getElementById('devices');
  const count = document.getElementById('result-count');
  const pager = document.getElementById('pager');
  if (!form || !table || !count) return;
  const tbody = table.tBodies[0];
  const fields = {
    q: form.elements.namedItem('q'), category: form.elements.namedItem('category'), vendor: form.elements.namedItem('vendor'),
    integration: form.elements.namedItem('integration'), iot: form.elements.namedItem('iot'), verdict: form.elements.namedItem('verdict'),
  };
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const FLAG_TESTED = 1;
  let previous = null, data, names, strong, weak, all, sortKey = 'name', sortDir = 1, matches = [], rowHeight = 0, drawn = '', bodyTop = null;
  const orders = new Map();

  // Rows are [id, name, vendor, category, haOffline, appCloud, endpoints, newest, models, traffic, integrations, flags];
  // see site/search-data.ts. Tristates are 0 yes, 1 no, 2 unknown.
  const SORTS = {
    name: (a, b) => collator.compare(data.devices[a][1], data.devices[b][1]),
    vendor: (a, b) => collator.compare(data.vendors[data.devices[a][2]]?.[1] ?? '', data.vendors[data.devices[b][2]]?.[1] ?? ''),
    category: (a, b) => collator.compare(data.categories[data.devices[a][3]] ?? '', data.categories[data.devices[b][3]] ?? ''),
    ha: (a, b) => data.devices[a][4] - data.devices[b][4],
    app: (a, b) => data.devices[a][5] - data.devices[b][5],
    endpoints: (a, b) => data.devices[a][6] - data.devices[b][6],
    newest: (a, b) => (data.devices[a][7] < data.devices[b][7] ? -1 : data.devices[a][7] > data.devices[b][7] ? 1 : 0),
  };
  const VERDICTS = {
    tested: (d) => (d[11] & FLAG_TESTED) !== 0,
    'ha-offline': (d) => d[4] === 0,
    'ha-cloud': (d) => d[4] === 1,
    'local-only': (d) => d[4] === 0 && d[5] === 1,
  };

  /** Row positions in the order of a column, sorted once per column (stable: ties keep id order). */
  function order(key) {
    if (!orders.has(key)) {
      const idx = data.devices.map((_, i) => i);
      idx.sort((a, b) => SORTS[key](a, b) || a - b);
      orders.set(key, Int32Array.from(idx));
    }
    return orders.get(key);
  }

  function state() {
    return {
      q: fields.q.value.trim(), category: fields.category.value, vendor: fields.vendor.value,
      integration: fields.integration.value, iot: fields.iot.value, verdict: fields.verdict.value,
    };
  }

  /** The address follows the view once typing pauses: history.replaceState costs more than a filter. */
  let urlTimer = 0;
  function writeUrl(s) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => writeUrlNow(s), 250);
  }
  function writeUrlNow(s) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) if (v) params.set(k, v);
    if (sortKey !== 'name' || sortDir !== 1) params.set('sort', (sortDir < 0 ? '-' : '') + sortKey);
    const query = params.toString();
    history.replaceState(null, '', query ? '?' + query : location.pathname);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    if (params.get('offline') === '1' && !params.has('verdict')) params.set('verdict', 'ha-offline'); // links from before the verdict filter
    for (const name of Object.keys(fields)) {
      const value = params.get(name);
      if (value === null) continue;
      const field = fields[name];
      if (field.tagName === 'SELECT' && !Array.from(field.options).some((o) => o.value === value)) continue;
      field.value = value;
    }
    const sort = params.get('sort') ?? '';
    const key = sort.replace(/^-/, '');
    if (Object.hasOwn(SORTS, key)) { sortKey = key; sortDir = sort.startsWith('-') ? -1 : 1; }
  }

  /**
   * Every word must match. A word in the name ranks highest (more at the start of a word), then ids, models, vendor,
   * category and integrations, then destinations, services, ports and apps. Without a query, the column order holds.
   */
  function score(i, tokens) {
    let total = 0;
    const text = all[i];
    for (const t of tokens) if (text.indexOf(t) < 0) return 0; // most devices miss a word: one search each
    for (const t of tokens) {
      const n = names[i].indexOf(t);
      if (n >= 0) { total += n === 0 || names[i][n - 1] === ' ' ? 6 : 4; continue; }
      const s = strong[i].indexOf(t);
      if (s >= 0) { total += strong[i][s - 1] === ' ' ? 3 : 2; continue; }
      if (weak[i].indexOf(t) >= 0) { total += 1; continue; }
      return 0;
    }
    return total || 1;
  }

  /** A counting sort on the score, highest first; equal scores keep their order. */
  function byScore(found, scores) {
    const counts = new Int32Array(257);
    for (const i of found) counts[255 - scores[i] + 1]++;
    for (let k = 1; k < 257; k++) counts[k] += counts[k - 1];
    const out = new Array(found.length);
    for (const i of found) out[counts[255 - scores[i]]++] = i;
    return out;
  }

  function apply() {
    const s = state();
    const tokens = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    const vendor = s.vendor ? data.vendors.findIndex((v) => v[0] === s.vendor) : -1;
    const category = s.category ? data.categories.indexOf(s.category) : -1;
    const integration = s.integration ? data.integrations.indexOf(s.integration) : -1;
    const verdict = VERDICTS[s.verdict];
    const q = tokens.join(' ');
    const key = [s.vendor, s.category, s.verdict, s.integration, s.iot, sortKey, sortDir].join('\n');
    const scores = tokens.length ? new Uint8Array(data.devices.length) : null;
    const found = [];
    if (previous && previous.key === key && q.startsWith(previous.q)) {
      // Typing on: what matches now matched the shorter query too, so only those are searched again.
      for (const i of previous.found) { const sc = score(i, tokens); if (sc) { scores[i] = Math.min(sc, 255); found.push(i); } }
    } else {
      const perm = order(sortKey);
      const n = perm.length;
      for (let j = 0; j < n; j++) {
        const i = perm[sortDir > 0 ? j : n - 1 - j];
        const d = data.devices[i];
        if (vendor >= 0 && d[2] !== vendor) continue;
        if (category >= 0 && d[3] !== category) continue;
        if (verdict && !verdict(d)) continue;
        if (integration >= 0 && !d[10].includes(integration)) continue;
        if (s.iot && !d[10].some((k) => data.iotClass[k] === s.iot)) continue;
        if (scores) { const sc = score(i, tokens); if (!sc) continue; scores[i] = Math.min(sc, 255); }
        found.push(i);
      }
    }
    previous = { key, q, found };
    // A chosen column order wins; otherwise the best matches come first, ties in name order (a stable bucket sort).
    matches = scores && sortKey === 'name' && sortDir === 1 ? byScore(found, scores) : found;
    drawn = '';
    draw();
    const total = data.devices.length.toLocaleString('en-US');
    count.textContent = matches.length === data.devices.length ? `${total} devices` : `${matches.length.toLocaleString('en-US')} of ${total} devices match`;
    table.setAttribute('aria-rowcount', String(matches.length + 1));
    writeUrl(s);
  }

  const CATEGORY = (c) => c.charAt(0).toUpperCase() + c.slice(1).replace(/-/g, ' ');
  function badge(value, good, yesMark) {
    const cls = value === 2 ? 'unknown' : (value === 0) === (good === 'yes') ? 'good' : 'bad';
    const mark = value === 2 ? '?' : value === 0 ? (yesMark ?? (good === 'yes' ? '✓' : '✗')) : (good === 'no' ? '✓' : '✗');
    const span = document.createElement('span');
    span.className = `badge t-${cls}`;
    const m = document.createElement('span');
    m.className = 'mark';
    m.setAttribute('aria-hidden', 'true');
    m.textContent = mark;
    span.append(m, value === 0 ? 'Yes' : value === 1 ? 'No' : 'Unknown');
    return span;
  }
  function cell(tag, content, className) {
    const c = document.createElement(tag);
    if (className) c.className = className;
    if (typeof content === 'string') c.textContent = content; else c.append(content);
    return c;
  }
  function link(href, text) { const a = document.createElement('a'); a.href = href; a.textContent = text; return a; }

  function row(i, position) {
    const d = data.devices[i];
    const vendor = data.vendors[d[2]] ?? [d[0].split('/')[0], d[0].split('/')[0]];
    const tr = document.createElement('tr');
    tr.setAttribute('aria-rowindex', String(position + 2));
    const th = cell('th', link(`devices/${d[0]}/`, d[1]));
    th.scope = 'row';
    tr.append(th, cell('td', link(`vendors/${vendor[0]}/`, vendor[1])), cell('td', CATEGORY(data.categories[d[3]] ?? '')),
      cell('td', badge(d[4], 'yes')), cell('td', badge(d[5], 'no', '☁')), cell('td', String(d[6]), 'num'), cell('td', d[7] || 'undated'));
    return tr;
  }

  function spacer(height) {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    const td = document.createElement('td');
    td.colSpan = 7;
    td.style.height = `${height}px`;
    tr.append(td);
    return tr;
  }

  /** Puts the rows in view (and a few either side) into the table, with spacers standing in for the rest. */
  function draw() {
    // Where the table body starts on the page: measured once per layout change, not on every keystroke.
    if (bodyTop === null) bodyTop = tbody.getBoundingClientRect().top + window.scrollY;
    const top = bodyTop - window.scrollY;
    const h = rowHeight || 48;
    const first = Math.max(0, Math.min(matches.length, Math.floor(-top / h) - OVERSCAN));
    const last = Math.min(matches.length, first + Math.ceil(window.innerHeight / h) + 2 * OVERSCAN);
    const key = `${first}:${last}`;
    if (key === drawn) return;
    drawn = key;
    const rows = [];
    for (let k = first; k < last; k++) rows.push(row(matches[k], k));
    tbody.replaceChildren(spacer(first * h), ...rows, spacer((matches.length - last) * h));
    if (!rowHeight && rows.length) { rowHeight = rows[0].getBoundingClientRect().height || 48; drawn = ''; draw(); }
  }

  function button(text, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function setupSorting() {
    for (const th of table.tHead.rows[0].cells) {
      const key = th.dataset.sort;
      if (!key) continue;
      const b = button(th.textContent, () => {
        if (sortKey === key) sortDir = -sortDir; else { sortKey = key; sortDir = 1; }
        markSorted();
        apply();
      });
      b.className = 'sort';
      th.replaceChildren(b);
    }
    markSorted();
  }

  function markSorted() {
    for (const th of table.tHead.rows[0].cells) {
      if (th.dataset.sort === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  function start(json) {
    data = json;
    if (data.version !== 2 || !Array.isArray(data.devices)) return;
    names = data.devices.map((d) => d[1].toLowerCase());
    strong = data.devices.map((d) => ` ${d[0]} ${d[8]} ${data.vendors[d[2]]?.[1] ?? ''} ${data.categories[d[3]] ?? ''} ${d[10].map((k) => `${data.integrations[k]} ${data.integrationNames[k]}`).join(' ')}`.toLowerCase());
    weak = data.devices.map((d) => ` ${d[9]} `.toLowerCase());
    all = names.map((n, i) => `${n}\n${strong[i]}\n${weak[i]}`);
    readUrl();
    setupSorting();
    form.hidden = false;
    if (pager) pager.hidden = true;
    table.classList.add('virtual');
    form.addEventListener('input', apply);
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('reset', () => setTimeout(apply));
    let pending = false;
    const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } };
    window.addEventListener('scroll', redraw, { passive: true });
    window.addEventListener('resize', () => { rowHeight = 0; bodyTop = null; drawn = ''; redraw(); });
    apply();
    document.documentElement.dataset.search = 'ready';
  }

  fetch('search-index.json').then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))).then(start).catch(() => {
    // Without the search data the first page and the static list pages stay as they are.
  });
})();
