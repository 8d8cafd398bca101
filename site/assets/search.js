// Search, filters and sorting for the device table. Progressive enhancement: the page lists every device without it.
// The filter state lives in the URL query, so a filtered view can be shared. Text is only ever set with textContent.
(() => {
  'use strict';
  const PAGE = 100;
  const form = document.getElementById('filters');
  const table = document.getElementById('devices');
  const count = document.getElementById('result-count');
  const more = document.getElementById('more');
  if (!form || !table || !count || !more) return;
  const tbody = table.tBodies[0];
  const rows = Array.from(tbody.rows);
  const fields = {
    q: form.elements.namedItem('q'), category: form.elements.namedItem('category'), vendor: form.elements.namedItem('vendor'),
    integration: form.elements.namedItem('integration'), iot: form.elements.namedItem('iot'), offline: form.elements.namedItem('offline'),
  };
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  let data, hay, sortKey = 'name', sortDir = 1, limit = PAGE;
  const orders = new Map();

  // Rows are [name, vendor, category, haOffline, appCloud, endpoints, newest, text, integrations]; see site/search-data.ts.
  const SORTS = {
    name: (a, b) => collator.compare(data.devices[a][0], data.devices[b][0]),
    vendor: (a, b) => collator.compare(data.vendors[data.devices[a][1]]?.[1] ?? '', data.vendors[data.devices[b][1]]?.[1] ?? ''),
    category: (a, b) => collator.compare(data.categories[data.devices[a][2]] ?? '', data.categories[data.devices[b][2]] ?? ''),
    ha: (a, b) => data.devices[a][3] - data.devices[b][3],
    app: (a, b) => data.devices[a][4] - data.devices[b][4],
    endpoints: (a, b) => data.devices[a][5] - data.devices[b][5],
    newest: (a, b) => (data.devices[a][6] < data.devices[b][6] ? -1 : data.devices[a][6] > data.devices[b][6] ? 1 : 0),
  };

  /** Row positions in the order of a column, sorted once per column (stable: ties keep table order). */
  function order(key) {
    if (!orders.has(key)) {
      const idx = rows.map((_, i) => i);
      idx.sort((a, b) => SORTS[key](a, b) || a - b);
      orders.set(key, Int32Array.from(idx));
    }
    return orders.get(key);
  }

  function state() {
    return {
      q: fields.q.value.trim(), category: fields.category.value, vendor: fields.vendor.value,
      integration: fields.integration.value, iot: fields.iot.value, offline: fields.offline.checked ? '1' : '',
    };
  }

  function writeUrl(s) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) if (v) params.set(k, v);
    if (sortKey !== 'name' || sortDir !== 1) params.set('sort', (sortDir < 0 ? '-' : '') + sortKey);
    const query = params.toString();
    history.replaceState(null, '', query ? '?' + query : location.pathname);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    for (const name of ['q', 'category', 'vendor', 'integration', 'iot']) {
      const value = params.get(name);
      if (value === null) continue;
      const field = fields[name];
      if (field.tagName === 'SELECT' && !Array.from(field.options).some((o) => o.value === value)) continue;
      field.value = value;
    }
    fields.offline.checked = params.get('offline') === '1';
    const sort = params.get('sort') ?? '';
    const key = sort.replace(/^-/, '');
    if (Object.hasOwn(SORTS, key)) { sortKey = key; sortDir = sort.startsWith('-') ? -1 : 1; }
  }

  /** The whole filter: runs synchronously on every input event. */
  function apply() {
    const s = state();
    const tokens = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    const vendor = s.vendor ? data.vendors.findIndex((v) => v[0] === s.vendor) : -1;
    const category = s.category ? data.categories.indexOf(s.category) : -1;
    const integration = s.integration ? data.integrations.indexOf(s.integration) : -1;
    const perm = order(sortKey);
    const n = perm.length;
    const matches = [];
    for (let j = 0; j < n; j++) {
      const i = perm[sortDir > 0 ? j : n - 1 - j];
      const d = data.devices[i];
      if (vendor >= 0 && d[1] !== vendor) continue;
      if (category >= 0 && d[2] !== category) continue;
      if (s.offline && d[3] !== 0) continue;
      if (integration >= 0 && !d[8].includes(integration)) continue;
      if (s.iot && !d[8].some((k) => data.iotClass[k] === s.iot)) continue;
      let ok = true;
      for (const t of tokens) if (!hay[i].includes(t)) { ok = false; break; }
      if (ok) matches.push(i);
    }
    render(matches);
    writeUrl(s);
  }

  function render(matches) {
    const shown = matches.slice(0, limit);
    tbody.replaceChildren(...shown.map((i) => rows[i]));
    const total = matches.length.toLocaleString('en-US');
    count.textContent = matches.length === rows.length
      ? `${total} devices` + (shown.length < matches.length ? `, showing the first ${shown.length}` : '')
      : `${total} of ${rows.length.toLocaleString('en-US')} devices match` + (shown.length < matches.length ? `, showing the first ${shown.length}` : '');
    more.replaceChildren();
    more.hidden = shown.length >= matches.length;
    if (!more.hidden) {
      const next = Math.min(PAGE, matches.length - shown.length);
      more.append(button(`Show ${next} more`, () => { limit += PAGE; render(matches); }));
      more.append(button(`Show all ${total}`, () => { limit = Infinity; render(matches); }));
    }
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
        limit = PAGE;
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
    if (!Array.isArray(data.devices) || data.devices.length !== rows.length) return;
    hay = data.devices.map((d) => `${d[0]} ${data.vendors[d[1]]?.[1] ?? ''} ${d[7]}`.toLowerCase());
    readUrl();
    setupSorting();
    form.hidden = false;
    form.addEventListener('input', () => { limit = PAGE; apply(); });
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('reset', () => setTimeout(() => { limit = PAGE; apply(); }));
    apply();
    document.documentElement.dataset.search = 'ready';
  }

  fetch('search-index.json').then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))).then(start).catch(() => {
    // Without the search data the full table stays as it is.
  });
})();
