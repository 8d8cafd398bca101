import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Dataset, Device } from '../scripts/build/types.js';
import { appCloudBadge, CATEGORY_LABEL, haOfflineBadge, scrollTable } from './components.js';
import { page, rel } from './layout.js';

export const devicePath = (id: string) => `devices/${id}/`;
export const SEARCH_DATA = 'search-index.json';
/** Rows per static list page: the index holds the first page, list/<n>/ the others. */
export const PAGE_SIZE = 100;
export const listPath = (n: number) => (n === 1 ? '' : `list/${n}/`);
export const pageCount = (ds: Dataset) => Math.max(1, Math.ceil(ds.devices.length / PAGE_SIZE));

/** Columns of the device table; `key` names the sort the client script applies. */
const COLUMNS: [key: string, label: string, cls?: string][] = [
  ['name', 'Device'], ['vendor', 'Vendor'], ['category', 'Category'], ['ha', 'Works with Home Assistant, internet blocked'],
  ['app', 'Vendor app needs cloud'], ['endpoints', 'Endpoints', 'num'], ['newest', 'Newest evidence'],
];

export function deviceRow(d: Device, vendorName: string, depth: number): Element {
  return h('tr', [
    h('th', { scope: 'row' }, h('a', { href: rel(depth, devicePath(d.id)) }, d.name)),
    h('td', h('a', { href: rel(depth, `vendors/${d.vendor}/`) }, vendorName)),
    h('td', CATEGORY_LABEL(d.category)),
    h('td', haOfflineBadge(d.derived.worksWithHaOffline)),
    h('td', appCloudBadge(d.derived.vendorAppNeedsCloud)),
    h('td.num', String(d.derived.counts.endpoints)),
    h('td', d.derived.evidence.newest ?? 'undated'),
  ]);
}

export function deviceTable(ds: Dataset, devices: Device[], depth: number, caption: string): Element {
  const vendorName = new Map(ds.vendors.map((v) => [v.id, v.name]));
  return scrollTable(caption, h('table.devices#devices', [
    h('caption.visually-hidden', caption),
    h('thead', h('tr', COLUMNS.map(([key, label, cls]) => h('th', { scope: 'col', className: cls ? [cls] : undefined, dataSort: key }, label)))),
    h('tbody', devices.map((d) => deviceRow(d, vendorName.get(d.vendor) ?? d.vendor, depth))),
  ]));
}

function select(name: string, label: string, all: string, options: [value: string, text: string][]): Element {
  return h('div.field', [
    h('label', { for: `filter-${name}` }, label),
    h('select', { id: `filter-${name}`, name }, [h('option', { value: '' }, all), ...options.map(([value, text]) => h('option', { value }, text))]),
  ]);
}

const countBy = <T>(items: T[], key: (x: T) => string[]) => {
  const m = new Map<string, number>();
  for (const x of items) for (const k of new Set(key(x))) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
};

/** Search and filters need the client script: the form stays hidden until it runs, and the full table is there without it. */
function filterForm(ds: Dataset): Element {
  const vendorCounts = new Map(countBy(ds.devices, (d) => [d.vendor]));
  const integrations = new Map<string, string>();
  for (const d of ds.devices) for (const i of d.homeAssistant.integrations) integrations.set(i.domain, i.name ?? i.domain);
  return h('form#filters', { hidden: true, role: 'search', 'aria-label': 'Find a device' }, [
    h('div.field.search', [
      h('label', { for: 'filter-q' }, 'Search'),
      h('input', { id: 'filter-q', name: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Name, model, hostname, port, service or integration, e.g. miio' }),
    ]),
    h('div.row', [
      select('category', 'Category', 'All categories', countBy(ds.devices, (d) => [d.category]).map(([c, n]) => [c, `${CATEGORY_LABEL(c)} (${n})`])),
      select('vendor', 'Vendor', 'All vendors', ds.vendors.filter((v) => vendorCounts.has(v.id)).map((v) => [v.id, `${v.name} (${vendorCounts.get(v.id)})`])),
      select('integration', 'Home Assistant integration', 'Any integration',
        countBy(ds.devices, (d) => d.homeAssistant.integrations.map((i) => i.domain)).map(([dom, n]) => [dom, `${integrations.get(dom)} (${n})`])),
      select('iot', 'IoT class', 'Any IoT class',
        countBy(ds.devices, (d) => d.homeAssistant.integrations.map((i) => i.iotClass ?? 'unknown')).map(([c, n]) => [c, `${c.replace(/_/g, ' ')} (${n})`])),
    ]),
    h('div.row', [
      select('verdict', 'Verdicts', 'Any device', [
        ['tested', 'Has a tested verdict'], ['ha-offline', 'Works with Home Assistant offline'],
        ['ha-cloud', 'Needs the cloud for Home Assistant'], ['local-only', 'Local only: Home Assistant and app work offline'],
      ]),
    ]),
    h('div.row.checks', [h('button.reset', { type: 'reset' }, 'Clear filters')]),
  ]);
}

/** Links to every static list page; the current one is marked. */
function pager(ds: Dataset, current: number, depth: number): Element {
  const n = pageCount(ds);
  const link = (k: number, text: string, label?: string) => h('a', { href: rel(depth, listPath(k)), 'aria-label': label, 'aria-current': k === current ? 'page' : undefined }, text);
  return h('nav#pager.pager', { 'aria-label': 'Device list pages' }, [
    ...(current > 1 ? [link(current - 1, 'Previous', 'Previous page')] : []),
    h('ol', Array.from({ length: n }, (_, i) => h('li', link(i + 1, String(i + 1), `Page ${i + 1}`)))),
    ...(current < n ? [link(current + 1, 'Next', 'Next page')] : []),
  ]);
}

function listBody(ds: Dataset, current: number, depth: number): Element[] {
  const n = pageCount(ds);
  const first = (current - 1) * PAGE_SIZE;
  const rows = ds.devices.slice(first, first + PAGE_SIZE);
  const total = ds.devices.length.toLocaleString('en-US');
  return [
    h('p#result-count.result-count', { 'aria-live': 'polite' }, n > 1 ? `${total} devices; page ${current} of ${n} shows ${(first + 1).toLocaleString('en-US')}–${(first + rows.length).toLocaleString('en-US')}` : `${total} devices`),
    deviceTable(ds, rows, depth, 'Devices'),
    ...(n > 1 ? [pager(ds, current, depth)] : []),
  ];
}

export function indexPage(ds: Dataset): string {
  const offline = ds.devices.filter((d) => d.derived.worksWithHaOffline === 'yes').length;
  return page({
    title: 'What smart-home devices need on the network', depth: 0, meta: ds.meta, section: 'devices', path: '',
    description: 'For every smart-home and IoT device: which internet destinations the vendor app and Home Assistant need, which are blockable, and the evidence.',
    scripts: ['assets/search.js'],
    body: [
      h('div.intro', [
        h('h1', 'What does each device need on the network?'),
        h('p.lede', 'Putting smart-home devices on an IoT VLAN? Look up a device to see which internet destinations the vendor app and Home Assistant truly need, which you can block, what has to cross between VLANs, and how sure we are.'),
        h('p.stats', [
          h('strong', ds.devices.length.toLocaleString('en-US')), ' devices · ',
          h('strong', ds.meta.endpointCount.toLocaleString('en-US')), ' internet destinations · ',
          h('strong', offline.toLocaleString('en-US')), ' known to work with Home Assistant offline',
        ]),
      ]),
      filterForm(ds),
      ...listBody(ds, 1, 0),
    ],
  });
}

/** Page n (2 and up) of the device list, for readers without JavaScript and for crawlers. */
export function listPage(ds: Dataset, n: number): string {
  return page({
    title: `Devices, page ${n}`, depth: 2, meta: ds.meta, section: 'devices', path: listPath(n),
    description: `Smart-home and IoT devices and what they need on the network, page ${n} of ${pageCount(ds)}.`,
    body: [h('h1', `Devices, page ${n} of ${pageCount(ds)}`), ...listBody(ds, n, 2)],
  });
}
