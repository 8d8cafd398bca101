import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { deviceApiPath } from '../scripts/build/emit/api.js';
import { endpointSources } from '../scripts/build/model.js';
import type { DatasetMeta, Device, Endpoint, LocalFlow, NeedFunction, Vendor, VerdictWord } from '../scripts/build/types.js';
import { mudPath } from '../scripts/policy/formats/mud.js';
import { REPO_URL } from '../scripts/lib/project.js';
import {
  appCloudBadge, CATEGORY_LABEL, effectBadge, evidenceList, evidenceRefs, EVIDENCE_TYPE_LABEL, haOfflineBadge, paragraphs,
  protocolPorts, stackTable, verdictCell, basisTag, BASIS_LABEL,
} from './components.js';
import { page, rel } from './layout.js';
import { builderHref } from './policy-page.js';

const PARTY: Record<Endpoint['party'], string> = { first: 'Vendor', support: 'Cloud provider', third: 'Third party', unknown: 'Unknown' };
const PLACE: Record<string, string> = {
  'home-assistant': 'Home Assistant', 'vendor-app': 'Vendor app (phone)', device: 'This device', lan: 'Any LAN host',
  'same-manufacturer': 'Devices of the same make', controller: 'Controller or hub', multicast: 'Multicast', broadcast: 'Broadcast',
};
const VERDICT_ORDER: VerdictWord[] = ['required', 'setup-only', 'unknown', 'not-required'];
const label = (s: string) => s.replace(/-/g, ' ');

export const editUrl = (d: Device) => `${REPO_URL}/edit/main/${d.source.split('/').map(encodeURIComponent).join('/')}`;
export function problemUrl(d: Device): string {
  const q = new URLSearchParams({ template: 'problem.yml', device: d.id, title: `${d.id}: ` });
  return `${REPO_URL}/issues/new?${q.toString()}`;
}

function needsSummary(d: Device, fn: NeedFunction): string {
  const c = d.derived.counts[fn];
  return VERDICT_ORDER.filter((v) => c[v] > 0).map((v) => `${c[v]} ${label(v)}`).join(', ') || 'none recorded';
}

/** Fragment ids for destination rows: stable while the destination, protocol and first port stay the same. */
export function destinationAnchors(endpoints: Endpoint[]): string[] {
  const used = new Map<string, number>();
  return endpoints.map((e) => {
    const base = `dest-${e.kind === 'any' ? 'any' : e.destination}-${e.protocol}${e.ports[0] ? `-${e.ports[0].from}` : ''}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function verdictsSentence(v: Device['derived']['evidence']['verdicts']): string {
  if (v.definite === 0) return `All ${v.total} verdict${v.total === 1 ? ' is' : 's are'} unknown: nobody has tested or documented this device\u2019s needs yet.`;
  const parts = (['tested', 'documented', 'community-listed', 'reported', 'observed'] as const).filter((b) => v.byBasis[b]).map((b) => `${v.byBasis[b]} ${BASIS_LABEL[b]}`);
  return `${v.definite} of ${v.total} verdicts settled (${parts.join(', ')}); the rest are unknown.`;
}

export function endpointTable(endpoints: Endpoint[], numbers: Map<string, number>, caption: string): Element[] {
  const anchors = destinationAnchors(endpoints);
  const sources = endpoints.map(endpointSources);
  // When every row cites the same sources, one sentence says so instead of a column repeating them on every row.
  const shared = endpoints.length > 1 && sources.every((s) => s.length && s.join('\n') === sources[0]!.join('\n')) ? sources[0]! : undefined;
  const table = stackTable('endpoints', caption,
    endpoints.map((e, i) => [
      [
        // The destination itself links to its row: the permalink a reader copies.
        h('a', { href: `#${anchors[i]}` }, e.kind === 'any' ? 'Any internet address' : h('code', e.destination)),
        ...(e.reportedName ? [h('span.sub', `reported as ${e.reportedName}`)] : []),
        ...(e.group ? [h('span.sub', `shared group ${e.group}`)] : []),
        ...(e.note ? [h('span.sub.note', e.note)] : []),
      ],
      protocolPorts(e.protocol, e.ports),
      e.service, label(e.purpose), PARTY[e.party],
      verdictCell(e.needs['vendor-app'], (ids) => evidenceRefs(ids, numbers)), verdictCell(e.needs['home-assistant'], (ids) => evidenceRefs(ids, numbers)),
      ...(shared ? [] : [evidenceRefs(sources[i]!, numbers)]),
    ]), anchors);
  return shared ? [table, h('p.sources', [`Every destination above cites `, ...evidenceRefs(shared, numbers), '.'])] : [table];
}

const place = (f: LocalFlow, end: 'from' | 'to') => (end === 'to' && f.to === 'multicast' && f.group ? `Multicast ${f.group}` : PLACE[f[end]] ?? f[end]);

function haCallsSection(d: Device, numbers: Map<string, number>): ElementContent[] {
  if (!d.homeAssistant.calls.length) return [];
  return [
    h('h3', 'Internet hosts Home Assistant itself calls'),
    h('p', 'Home Assistant\u2019s integration calls these for this device: allow them from Home Assistant, not from the device.'),
    stackTable('ha-calls', 'Internet hosts Home Assistant calls',
      d.homeAssistant.calls.map((c) => [
        [h('code', c.host), ...(c.note ? [h('span.sub.note', c.note)] : [])],
        protocolPorts(c.protocol, c.ports), c.service, label(c.purpose),
        evidenceRefs(c.evidence, numbers),
      ])),
  ];
}

function localSection(d: Device, numbers: Map<string, number>): ElementContent[] {
  const reflect = d.derived.reflect.length
    ? h('ul.reflect', d.derived.reflect.map((r) => h('li', [
      h('strong', r.service), ` (${protocolPorts(r.protocol, r.ports)}${r.group ? ` to ${r.group}` : ''}): reflect it between the VLANs, for example with an mDNS reflector or an SSDP/UPnP proxy.`,
    ])))
    : h('p', 'No discovery traffic that would need reflecting between VLANs is recorded.');
  if (!d.local.length) return [h('p', 'No local traffic is recorded for this device yet.'), reflect, ...haCallsSection(d, numbers)];
  return [
    stackTable('local', 'Local traffic',
      d.local.map((f) => [
        place(f, 'from'),
        [place(f, 'to'), ...(f.note ? [h('span.sub.note', f.note)] : [])],
        protocolPorts(f.protocol, f.ports),
        f.service, label(f.purpose), verdictCell(f.needs['vendor-app'], (ids) => evidenceRefs(ids, numbers)), verdictCell(f.needs['home-assistant'], (ids) => evidenceRefs(ids, numbers)),
        evidenceRefs(f.evidence, numbers),
      ])),
    h('h3', 'Discovery across VLANs'),
    reflect,
    ...haCallsSection(d, numbers),
  ];
}

function blockedSection(d: Device, numbers: Map<string, number>): ElementContent[] {
  const out: ElementContent[] = [];
  if (d.whenBlocked.internet.length) {
    out.push(stackTable('blocked', 'Reports with the internet blocked',
      d.whenBlocked.internet.map((r) => [
        effectBadge(r.vendorApp), effectBadge(r.homeAssistant),
        [...(r.basis ? [basisTag(r.basis), ' '] : []), r.note ?? ''],
        evidenceRefs(r.evidence, numbers),
      ])));
  } else {
    out.push(h('p', 'Nobody has reported yet what happens when this device\u2019s internet access is blocked.'));
  }
  const rd = d.whenBlocked.rejectOrDrop;
  const advice = { reject: 'Reject blocked traffic (send a TCP reset or ICMP unreachable) rather than silently dropping it.', either: 'Rejecting and dropping blocked traffic both work.', unknown: 'Unknown whether to reject or drop blocked traffic.' };
  out.push(h('p.advice', [h('strong', 'Reject or drop: '), advice[d.derived.refuseWith], ...(rd?.note ? [' ', rd.note] : []), ' ', ...(rd ? evidenceRefs(rd.evidence, numbers) : [])]));
  return out;
}

/** Just what a device page needs of the dataset. */
export interface PageContext { meta: DatasetMeta; vendors: Pick<Vendor, 'id' | 'name'>[] }

export function devicePage(ds: PageContext, d: Device): string {
  const depth = d.id.split('/').length + 1;
  const vendor = ds.vendors.find((v) => v.id === d.vendor);
  const numbers = new Map(d.evidence.map((e, i) => [e.id, i + 1]));
  const ev = d.derived.evidence;
  const types = Object.entries(ev.byType).map(([t, n]) => `${EVIDENCE_TYPE_LABEL[t as keyof typeof EVIDENCE_TYPE_LABEL]} ×${n}`).join(', ');
  const haCross = d.local.filter((f) => f.from === 'home-assistant' && f.to === 'device');
  const identity: ElementContent[] = [
    h('dt', 'Vendor'), h('dd', h('a', { href: rel(depth, `vendors/${d.vendor}/`) }, vendor?.name ?? d.vendor)),
    h('dt', 'Category'), h('dd', CATEGORY_LABEL(d.category)),
    ...(d.models.length ? [h('dt', 'Models'), h('dd', d.models.join(', '))] : []),
    ...(d.apps.length ? [h('dt', 'Vendor apps'), h('dd', d.apps.join(', '))] : []),
    ...(d.connectivity.length ? [h('dt', 'Connectivity'), h('dd', d.connectivity.join(', '))] : []),
    h('dt', 'Home Assistant'),
    h('dd', d.homeAssistant.integrations.length
      ? d.homeAssistant.integrations.flatMap((i, k) => [
        ...(k ? [', '] : []),
        h('a', { href: `https://www.home-assistant.io/integrations/${encodeURIComponent(i.domain)}/` }, i.name ?? i.domain),
        ` (${i.iotClass ? i.iotClass.replace(/_/g, ' ') : 'IoT class unknown'})`,
      ])
      : 'no integration recorded'),
    ...(d.aliases.length ? [h('dt', 'Former ids'), h('dd', d.aliases.join(', '))] : []),
  ];
  return page({
    title: d.name, depth, meta: ds.meta, section: 'devices', path: `devices/${d.id}/`, feedLink: false,
    description: `What ${d.name} needs on the network versus what it merely wants, with evidence.`,
    body: [
      h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, [h('a', { href: rel(depth, '') }, 'Devices'), ' / ', h('a', { href: rel(depth, `vendors/${d.vendor}/`) }, vendor?.name ?? d.vendor)]),
      h('h1', d.name),
      h('dl.identity', identity),
      h('section.answers', { 'aria-label': 'At a glance' }, [
        h('div.answer', [h('h2', 'Home Assistant with the internet blocked'), h('p.big', haOfflineBadge(d.derived.worksWithHaOffline)), h('p', d.derived.worksWithHaOfflineReason)]),
        h('div.answer', [h('h2', 'Vendor app needs the cloud'), h('p.big', appCloudBadge(d.derived.vendorAppNeedsCloud)), h('p', d.derived.vendorAppNeedsCloudReason)]),
        h('div.answer', [
          h('h2', 'Between the VLANs'),
          h('p', haCross.length ? `Home Assistant → device: ${haCross.map((f) => `${protocolPorts(f.protocol, f.ports)} (${f.service})`).join(', ')}` : 'No Home Assistant → device traffic recorded'),
          h('p', d.derived.reflect.length ? `Reflect: ${d.derived.reflect.map((r) => r.service).join(', ')}` : 'No discovery to reflect recorded'),
        ]),
        h('div.answer', [
          h('h2', 'How sure we are'),
          h('p.big', h(`span.confidence.c-${ev.confidence}`, ev.confidence === 'none' ? 'Nothing settled yet' : `${ev.confidence.charAt(0).toUpperCase()}${ev.confidence.slice(1)} confidence`)),
          h('p', verdictsSentence(ev.verdicts)),
          h('p', `${ev.count} source${ev.count === 1 ? '' : 's'}: ${types}. ${ev.newest ? `Newest ${ev.newest}, oldest ${ev.oldest}` : 'No dated source'}${ev.undated ? `; ${ev.undated} undated` : ''}.`),
        ]),
      ]),
      h('div.actions', [
        h('a.button.primary', { href: rel(depth, builderHref(d.id)) }, 'Protect this device'),
        h('a.button', { href: rel(depth, deviceApiPath(d.id)) }, 'JSON'),
        h('a.button', { href: rel(depth, mudPath(d.id, 'both')) }, 'MUD profile (RFC 8520)'),
        h('a.button', { href: editUrl(d) }, 'Edit this file'),
        h('a.button', { href: problemUrl(d) }, 'Report a problem'),
      ]),
      ...(d.notes ? [h('div.notes', paragraphs(d.notes))] : []),
      h('section', { 'aria-labelledby': 'internet' }, [
        h('h2#internet', 'Internet destinations: needs and wants'),
        h('p', [
          h('strong', 'Vendor app: '), needsSummary(d, 'vendor-app'), '. ', h('strong', 'Home Assistant: '), needsSummary(d, 'home-assistant'), '. ',
          h('a', { href: rel(depth, 'verdicts/') }, 'What the verdicts mean'), '.',
        ]),
        ...(d.endpoints.length ? endpointTable(d.endpoints, numbers, 'Internet destinations') : [h('p', 'No internet destinations are recorded.')]),
      ]),
      h('section', { 'aria-labelledby': 'local' }, [h('h2#local', 'Local traffic and discovery'), ...localSection(d, numbers)]),
      h('section', { 'aria-labelledby': 'blocked' }, [h('h2#blocked', 'When the internet is blocked'), ...blockedSection(d, numbers)]),
      h('section', { 'aria-labelledby': 'evidence' }, [h('h2#evidence', 'Evidence'), evidenceList(d.evidence)]),
    ],
  });
}
