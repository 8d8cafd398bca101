// Search, filters, sorting and the full device list for the index page. Progressive enhancement: without it the page
// lists the first hundred devices and links static pages for the rest. A worker (search-worker.js) fetches and prepares
// the search data, so the page never parses it. Only the rows in view are in the document, and they are reused: a
// keystroke changes the text of a screenful of fixed-height rows and nothing else, so a list of tens of thousands costs
// what a screenful does. The state lives in the URL query, so a view can be shared. Text is only ever set with
// textContent.
(() => {
  'use strict';
  const OVERSCAN = 4;
  /** Below this many candidates, typing on checks each of them; above it one pass over all the text is cheaper. */
  const RECHECK = 2000;
  const form = document.getElementById('filters');
  const table = document.getElementById('devices');
  const count = document.getElementById('result-count');
  const pager = document.getElementById('pager');
  const script = document.currentScript;
  if (!form || !table || !count || !script || typeof Worker !== 'function') return;
  const tbody = table.tBodies[0];
  const fields = {
    q: form.elements.namedItem('q'), category: form.elements.namedItem('category'), vendor: form.elements.namedItem('vendor'),
    integration: form.elements.namedItem('integration'), iot: form.elements.namedItem('iot'), verdict: form.elements.namedItem('verdict'),
  };
  const FLAG_TESTED = 1;
  /** The prepared data: see search-worker.js. Tristates are 0 yes, 1 no, 2 unknown. */
  let data;
  // What the search reads for every device, held directly rather than as properties of `data`.
  let text = '', start, nameEnd, strongEnd;
  let previous = null, sortKey = 'name', sortDir = 1, matches = new Int32Array(0), rowHeight = 0, drawn = '', bodyTop = null, first = null;
  const SORTS = ['name', 'vendor', 'category', 'ha', 'app', 'endpoints', 'newest'];
  const VERDICTS = {
    tested: (i) => (data.flags[i] & FLAG_TESTED) !== 0,
    'ha-offline': (i) => data.ha[i] === 0,
    'ha-cloud': (i) => data.ha[i] === 1,
    'local-only': (i) => data.ha[i] === 0 && data.app[i] === 1,
  };
  const label = (i, k) => data.labels.slice(data.labelAt[3 * i + k], data.labelAt[3 * i + k + 1]);

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
    if (SORTS.includes(key)) { sortKey = key; sortDir = sort.startsWith('-') ? -1 : 1; }
  }

  /**
   * Every word must match. A word in the name ranks highest (more at the start of a word), then ids, models, vendor,
   * category and integrations, then destinations, services, ports and apps. Without a query, the column order holds.
   * `at` is where the first word first occurs in device i (from the pass over all the text), or -1 to look it up.
   */
  function score(i, tokens, at) {
    const from = start[i];
    let segment = null;
    let total = 0;
    for (let k = 0; k < tokens.length; k++) {
      let p = k === 0 ? at : -1;
      if (p < 0) {
        segment ??= text.slice(from, start[i + 1]);
        const found = segment.indexOf(tokens[k]);
        if (found < 0) return 0;
        p = from + found;
      }
      const before = p === from ? 10 : text.charCodeAt(p - 1);
      const wordStart = before === 32 || before === 10;
      total += p < nameEnd[i] ? (wordStart ? 6 : 4) : p < strongEnd[i] ? (wordStart ? 3 : 2) : 1;
    }
    return total || 1;
  }

  /** One pass over all the text: where `word` first occurs in each device, -1 where it does not. */
  const firstAt = { word: null, at: null };
  function scan(word) {
    if (firstAt.word === word) return firstAt.at;
    const at = firstAt.at ?? new Int32Array(data.count);
    at.fill(-1);
    let i = 0;
    for (let p = text.indexOf(word); p >= 0; p = text.indexOf(word, start[i + 1])) {
      while (start[i + 1] <= p) i++;
      at[i] = p;
    }
    firstAt.word = word;
    firstAt.at = at;
    return at;
  }

  /** A counting sort on the score, highest first; equal scores keep their order. */
  function byScore(found, length, scores) {
    const counts = new Int32Array(257);
    for (let k = 0; k < length; k++) counts[255 - scores[found[k]] + 1]++;
    for (let k = 1; k < 257; k++) counts[k] += counts[k - 1];
    const out = new Int32Array(length);
    for (let k = 0; k < length; k++) out[counts[255 - scores[found[k]]]++] = found[k];
    return out;
  }

  let scores = null;
  function apply() {
    const s = state();
    const tokens = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    const vendor = s.vendor ? data.vendors.findIndex((v) => v[0] === s.vendor) : -1;
    const category = s.category ? data.categories.indexOf(s.category) : -1;
    const integration = s.integration ? data.integrationIds.indexOf(s.integration) : -1;
    const verdict = VERDICTS[s.verdict];
    const q = tokens.join(' ');
    const key = [s.vendor, s.category, s.verdict, s.integration, s.iot, sortKey, sortDir].join('\n');
    scores ??= new Uint8Array(data.count);
    const found = new Int32Array(data.count);
    let length = 0;
    if (previous && previous.key === key && q.startsWith(previous.q) && tokens.length && previous.length <= RECHECK) {
      // Typing on: what matches now matched the shorter query too, so only those few are searched again.
      for (let k = 0; k < previous.length; k++) {
        const i = previous.found[k];
        const sc = score(i, tokens, -1);
        if (sc) { scores[i] = Math.min(sc, 255); found[length++] = i; }
      }
    } else {
      // The longest word is the rarest: one pass over all the text finds it, the other words are checked per device.
      const longest = tokens.reduce((a, b) => (b.length > a.length ? b : a), '');
      if (longest) { const k = tokens.indexOf(longest); tokens.splice(k, 1); tokens.unshift(longest); }
      const at = longest ? scan(longest) : null;
      const perm = data.orders[sortKey];
      const n = perm.length;
      for (let j = 0; j < n; j++) {
        const i = perm[sortDir > 0 ? j : n - 1 - j];
        if (at && at[i] < 0) continue;
        if (vendor >= 0 && data.vendor[i] !== vendor) continue;
        if (category >= 0 && data.category[i] !== category) continue;
        if (verdict && !verdict(i)) continue;
        if (integration >= 0 && !hasIntegration(i, integration)) continue;
        if (s.iot && !hasIotClass(i, s.iot)) continue;
        if (at) { const sc = score(i, tokens, at[i]); if (!sc) continue; scores[i] = Math.min(sc, 255); }
        found[length++] = i;
      }
    }
    previous = { key, q, found, length };
    // A chosen column order wins; otherwise the best matches come first, ties in name order (a stable bucket sort).
    matches = tokens.length && sortKey === 'name' && sortDir === 1 ? byScore(found, length, scores) : found.subarray(0, length);
    drawn = '';
    draw();
    const total = data.count.toLocaleString('en-US');
    count.textContent = matches.length === data.count ? `${total} devices` : `${matches.length.toLocaleString('en-US')} of ${total} devices match`;
    table.setAttribute('aria-rowcount', String(matches.length + 1));
    // What the rows now answer: the bench waits for the frame that shows it.
    table.dataset.shown = fields.q.value;
    writeUrl(s);
  }

  function hasIntegration(i, integration) {
    for (let k = data.integrationAt[i]; k < data.integrationAt[i + 1]; k++) if (data.integrations[k] === integration) return true;
    return false;
  }
  function hasIotClass(i, iot) {
    for (let k = data.integrationAt[i]; k < data.integrationAt[i + 1]; k++) if (data.iotClass[data.integrations[k]] === iot) return true;
    return false;
  }

  const CATEGORY = (c) => c.charAt(0).toUpperCase() + c.slice(1).replace(/-/g, ' ');
  const BADGES = {
    ha: [['good', 'Yes'], ['bad', 'No'], ['unknown', 'Unknown']],
    app: [['cloud', 'Yes'], ['good', 'No'], ['unknown', 'Unknown']],
  };

  function el(tag, className, parent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    parent?.append(node);
    return node;
  }
  /** The symbol before the word comes from the stylesheet, as on the static pages. */
  function badge(parent) {
    const span = el('span', '', el('td', '', parent));
    const word = document.createTextNode('');
    span.append(word);
    return { span, word, value: -1 };
  }
  function setBadge(b, kind, value) {
    if (b.value === value) return;
    b.value = value;
    const [cls, word] = BADGES[kind][value] ?? BADGES[kind][2];
    b.span.className = `t-${cls}`;
    b.word.data = word;
  }

  /** One table row, built once and reused for whichever device it shows next. */
  function newRow() {
    const tr = el('tr');
    const th = el('th', '', tr);
    th.scope = 'row';
    const name = el('a', '', th);
    const vendor = el('a', '', el('td', '', tr));
    const category = el('td', '', tr);
    const ha = badge(tr);
    const app = badge(tr);
    const endpoints = el('td', 'num', tr);
    const newest = el('td', '', tr);
    return { tr, name, vendor, category, ha, app, endpoints, newest, device: -1, position: -1 };
  }

  function fill(r, i, position) {
    if (r.position !== position) { r.position = position; r.tr.setAttribute('aria-rowindex', String(position + 2)); }
    if (r.device === i) return;
    r.device = i;
    const id = label(i, 0);
    r.name.href = `devices/${id}/`;
    r.name.textContent = label(i, 1);
    const vendor = data.vendors[data.vendor[i]] ?? [id.split('/')[0], id.split('/')[0]];
    r.vendor.href = `vendors/${vendor[0]}/`;
    r.vendor.textContent = vendor[1];
    r.category.textContent = CATEGORY(data.categories[data.category[i]] ?? '');
    setBadge(r.ha, 'ha', data.ha[i]);
    setBadge(r.app, 'app', data.app[i]);
    r.endpoints.textContent = String(data.endpoints[i]);
    r.newest.textContent = label(i, 2) || 'undated';
  }

  /** Rows in the document, top to bottom, and rows put aside for later. */
  const shown = [];
  const spare = [];

  /**
   * Puts the rows in view (and a few either side) into the table body, whose height stands for the whole list and
   * whose top padding for the rows above. A row keeps its device while it stays in view.
   */
  function draw() {
    // Where the table body starts on the page: measured once per layout change, not on every keystroke.
    if (bodyTop === null) bodyTop = tbody.getBoundingClientRect().top + window.scrollY;
    const top = bodyTop - window.scrollY;
    const h = rowHeight || 53;
    const from = Math.max(0, Math.min(matches.length, Math.floor(-top / h) - OVERSCAN));
    const to = Math.min(matches.length, from + Math.ceil(window.innerHeight / h) + 2 * OVERSCAN);
    const key = `${from}:${to}`;
    if (key === drawn) return;
    drawn = key;
    // A position still in view keeps its row (and its device, unless the list changed); the others are put aside, then
    // reused for the new positions.
    const keep = new Map();
    for (const r of shown) {
      if (r.position >= from && r.position < to) keep.set(r.position, r); else spare.push(r);
    }
    // Spare rows are taken in document order, so a jump to another part of the list moves no row in the document.
    let next = 0;
    const rows = [];
    for (let k = from; k < to; k++) {
      const r = keep.get(k) ?? (next < spare.length ? spare[next++] : newRow());
      fill(r, matches[k], k);
      rows.push(r);
    }
    spare.splice(0, next);
    for (const r of spare) r.tr.remove();
    // Only rows that moved are put back; the others stay where they are in the document.
    let before = null;
    for (let k = rows.length - 1; k >= 0; k--) {
      const tr = rows[k].tr;
      if (tr.parentNode !== tbody || tr.nextSibling !== before) tbody.insertBefore(tr, before);
      before = tr;
    }
    shown.length = 0;
    shown.push(...rows);
    if (first !== from) { first = from; tbody.style.paddingTop = `${from * h}px`; }
    tbody.style.height = `${matches.length * h}px`;
    if (!rowHeight && rows.length) { rowHeight = rows[0].tr.getBoundingClientRect().height || 53; drawn = ''; first = null; draw(); }
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

  function begin(prepared) {
    if (!prepared || prepared.error || typeof prepared.text !== 'string') return;
    data = prepared;
    ({ text, start, nameEnd, strongEnd } = data);
    readUrl();
    setupSorting();
    form.hidden = false;
    if (pager) pager.hidden = true;
    table.classList.add('virtual');
    tbody.replaceChildren();
    form.addEventListener('input', apply);
    form.addEventListener('submit', (e) => e.preventDefault());
    form.addEventListener('reset', () => setTimeout(apply));
    let pending = false;
    const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } };
    window.addEventListener('scroll', redraw, { passive: true });
    window.addEventListener('resize', () => { rowHeight = 0; bodyTop = null; drawn = ''; first = null; redraw(); });
    apply();
    document.documentElement.dataset.search = 'ready';
  }

  // Without the worker or the search data the first page and the static list pages stay as they are.
  try {
    const worker = new Worker(new URL('search-worker.js', script.src));
    worker.onmessage = (e) => { worker.terminate(); begin(e.data); };
    worker.postMessage(new URL('search-index.json', location.href).href);
  } catch {
    // As above.
  }
})();
