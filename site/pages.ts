import type { Element } from 'hast';
import { h } from 'hastscript';
import { formatPortRange } from '../scripts/lib/net.js';
import type { Dataset, Device, Endpoint, Verdict, VerdictWord } from '../scripts/build/types.js';
import { page, rel } from './layout.js';

const VERDICT_LABEL: Record<VerdictWord, string> = {
  required: 'Required', 'not-required': 'Not required', 'setup-only': 'Setup only', unknown: 'Unknown',
};
const VERDICT_MARK: Record<VerdictWord, string> = { required: '●', 'not-required': '○', 'setup-only': '◐', unknown: '?' };

/** Verdicts differ by word and symbol as well as colour, so they read without colour vision. */
export function verdictBadge(v: Verdict): Element {
  return h(`span.verdict.v-${v.verdict}`, { title: v.disputed ? 'Sources disagree' : undefined }, [
    h('span', { 'aria-hidden': 'true' }, VERDICT_MARK[v.verdict] + ' '),
    VERDICT_LABEL[v.verdict] + (v.disputed ? ' (disputed)' : ''),
  ]);
}

const ports = (e: { protocol: string; ports: { from: number; to: number }[] }) =>
  `${e.protocol.toUpperCase()}${e.ports.length ? ' ' + e.ports.map(formatPortRange).join(', ') : ''}`;

export function devicePath(id: string) { return `devices/${id}/`; }

export function indexPage(ds: Dataset): string {
  const vendorName = new Map(ds.vendors.map((v) => [v.id, v.name]));
  const rows = ds.devices.map((d) => h('tr', [
    h('td', h('a', { href: devicePath(d.id) }, d.name)),
    h('td', vendorName.get(d.vendor) ?? d.vendor),
    h('td', d.category),
    h('td', d.derived.worksWithHaOffline),
    h('td', d.derived.vendorAppNeedsCloud),
    h('td.num', String(d.derived.counts.endpoints)),
    h('td', d.derived.evidence.newest ?? 'undated'),
  ]));
  return page({
    title: 'Devices', depth: 0,
    description: 'What smart-home and IoT devices need on the network versus what they merely want.',
    body: [
      h('h1', 'What does each device need on the network?'),
      h('p.lede', `${ds.meta.deviceCount} devices. For every destination: does the vendor app need it, does Home Assistant need it, and what is the evidence?`),
      h('table.devices', [
        h('caption.visually-hidden', 'Devices'),
        h('thead', h('tr', ['Device', 'Vendor', 'Category', 'Works with HA offline', 'App needs cloud', 'Endpoints', 'Newest evidence'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', rows),
      ]),
    ],
  });
}

function endpointRow(e: Endpoint): Element {
  return h('tr', [
    h('td', [h('code', e.destination), ...(e.reportedName ? [h('br'), h('small', e.reportedName)] : [])]),
    h('td', ports(e)),
    h('td', e.service),
    h('td', e.purpose),
    h('td', e.party),
    h('td', verdictBadge(e.needs['vendor-app'])),
    h('td', verdictBadge(e.needs['home-assistant'])),
  ]);
}

export function devicePage(ds: Dataset, d: Device): string {
  const depth = d.id.split('/').length + 1;
  const vendor = ds.vendors.find((v) => v.id === d.vendor);
  return page({
    title: d.name, depth,
    description: `What ${d.name} needs on the network versus what it merely wants.`,
    body: [
      h('p.crumbs', [h('a', { href: rel(depth, '') }, 'Devices'), ' / ', h('a', { href: rel(depth, `vendors/${d.vendor}/`) }, vendor?.name ?? d.vendor)]),
      h('h1', d.name),
      h('dl.facts', [
        h('dt', 'Works with Home Assistant with the internet blocked'), h('dd', `${d.derived.worksWithHaOffline} (${d.derived.worksWithHaOfflineReason})`),
        h('dt', 'Vendor app needs the cloud'), h('dd', `${d.derived.vendorAppNeedsCloud} (${d.derived.vendorAppNeedsCloudReason})`),
        h('dt', 'Refuse blocked traffic with'), h('dd', d.derived.refuseWith),
      ]),
      h('h2', 'Internet destinations'),
      h('table.endpoints', [
        h('thead', h('tr', ['Destination', 'Protocol / port', 'Service', 'Purpose', 'Party', 'Vendor app', 'Home Assistant'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', d.endpoints.map(endpointRow)),
      ]),
      h('h2', 'Evidence'),
      h('ol.evidence', d.evidence.map((e) => h('li', { id: `evidence-${e.id.replace(/:/g, '-')}` }, [
        h('a', { href: e.source, rel: 'nofollow noopener' }, e.title ?? e.source), ` — ${e.type}, ${e.date ?? `undated, read ${e.accessed ?? '?'}`}`,
        ...(e.note ? [h('p', e.note)] : []),
      ]))),
    ],
  });
}

export function vendorPage(ds: Dataset, vendorId: string): string {
  const v = ds.vendors.find((x) => x.id === vendorId)!;
  const devices = ds.devices.filter((d) => d.vendor === vendorId);
  return page({
    title: v.name, depth: 2,
    body: [
      h('h1', v.name),
      h('ul', devices.map((d) => h('li', h('a', { href: rel(2, devicePath(d.id)) }, d.name)))),
    ],
  });
}

export function vendorsPage(ds: Dataset): string {
  return page({ title: 'Vendors', depth: 1, body: [h('h1', 'Vendors'), h('ul', ds.vendors.map((v) => h('li', h('a', { href: `${v.id}/` }, v.name))))] });
}
