import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Dataset, Device } from '../scripts/build/types.js';
import { appCloudBadge, CATEGORY_LABEL, haOfflineBadge, scrollTable } from './components.js';
import { page, rel } from './layout.js';

export const devicePath = (id: string) => `devices/${id}/`;
export const SEARCH_DATA = 'search-index.json';

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
      h('input', { id: 'filter-q', name: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Name, model, vendor or hostname, e.g. mqtt' }),
    ]),
    h('div.row', [
      select('category', 'Category', 'All categories', countBy(ds.devices, (d) => [d.category]).map(([c, n]) => [c, `${CATEGORY_LABEL(c)} (${n})`])),
      select('vendor', 'Vendor', 'All vendors', ds.vendors.filter((v) => vendorCounts.has(v.id)).map((v) => [v.id, `${v.name} (${vendorCounts.get(v.id)})`])),
      select('integration', 'Home Assistant integration', 'Any integration',
        countBy(ds.devices, (d) => d.homeAssistant.integrations.map((i) => i.domain)).map(([dom, n]) => [dom, `${integrations.get(dom)} (${n})`])),
      select('iot', 'IoT class', 'Any IoT class',
        countBy(ds.devices, (d) => d.homeAssistant.integrations.map((i) => i.iotClass ?? 'unknown')).map(([c, n]) => [c, `${c.replace(/_/g, ' ')} (${n})`])),
    ]),
    h('div.row.checks', [
      h('label.check', [h('input', { type: 'checkbox', name: 'offline', value: '1', id: 'filter-offline' }), ' Works with Home Assistant with the internet blocked']),
      h('button.reset', { type: 'reset' }, 'Clear filters'),
    ]),
  ]);
}

export function indexPage(ds: Dataset): string {
  const offline = ds.devices.filter((d) => d.derived.worksWithHaOffline === 'yes').length;
  return page({
    title: 'What smart-home devices need on the network', depth: 0, meta: ds.meta, section: 'devices',
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
      h('p#result-count.result-count', { 'aria-live': 'polite' }, `${ds.devices.length.toLocaleString('en-US')} devices`),
      deviceTable(ds, ds.devices, 0, 'Devices'),
      h('div#more.more', { hidden: true }),
    ],
  });
}
