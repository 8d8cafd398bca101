import type { LoadedFile } from '../lib/load.js';
import { parsePortItem } from '../lib/net.js';
import { packageVersion, REPO_URL, SITE_URL, sourceCommit } from '../lib/project.js';
import { SCHEMA_VERSION } from '../lib/schemas.js';
import { haIntegrations } from '../lint/rules/ha-domain.js';
import type {
  GroupUse, SourceDevice, SourceEndpoint, SourceEvidence, SourceLocalFlow, SourceVendor, Verdict as SourceVerdict,
} from '../lib/source-types.js';
import { isGroupUse, NEED_FUNCTIONS } from '../lib/source-types.js';
import { claimBasis, verdictClaims } from '../lib/verdict-basis.js';
import type {
  Basis, Claim, Dataset, Derived, Device, Endpoint, Evidence, EvidenceType, LocalFlow, Needs, PortRange, Tristate, Vendor,
  Verdict,
} from './types.js';

/** How much a kind of evidence settles a verdict: a test beats a statement, which beats a list, which beats an observation. */
export const EVIDENCE_STRENGTH: Record<EvidenceType, number> = {
  'blocking-test': 8, 'vendor-documentation': 7, 'integration-documentation': 7, 'source-code': 7, paper: 6,
  'community-blocklist': 4, 'community-report': 3, 'firewall-log': 2, 'packet-capture': 2, 'dns-log': 2, 'mud-profile': 1,
};

/** The destination text of an endpoint of kind `any`. */
export const ANY_DESTINATION = '*';

const ports = (items: (number | string)[] | undefined): PortRange[] =>
  (items ?? []).map(parsePortItem).filter((r): r is PortRange => r !== null);

/** The evidence ids a destination cites: its own, then those of every claim about it, each once. */
export const endpointSources = (e: Endpoint): string[] => [...new Set([...e.evidence, ...Object.values(e.needs).flatMap((v) => verdictClaims(v).flatMap((c) => c.evidence))])];

function evidenceModel(e: SourceEvidence, prefix = ''): Evidence {
  const out: Evidence = { id: prefix + e.id, type: e.type, source: e.source };
  for (const k of ['date', 'accessed', 'title', 'firmware', 'region', 'note', 'quote'] as const) if (e[k] !== undefined) out[k] = e[k];
  return out;
}

function verdictModel(v: SourceVerdict, backing: string[], evidence: Map<string, Evidence>, prefix: string): Verdict {
  const withBasis = (verdict: Claim['verdict'], ids: string[], note?: string): Claim => {
    const basis = claimBasis(ids.map((id) => evidence.get(id)?.type).filter((t): t is EvidenceType => t !== undefined));
    return { verdict, evidence: ids, ...(basis ? { basis } : {}), ...(note ? { note } : {}) };
  };
  const claims: Claim[] = typeof v === 'string'
    ? (v === 'unknown' ? [] : [withBasis(v, backing.map((id) => prefix + id))])
    : v.map((c) => withBasis(c.verdict, c.evidence.map((id) => prefix + id), c.note));
  const definite = claims.filter((c) => c.verdict !== 'unknown');
  const strength = (c: Claim) => Math.max(0, ...c.evidence.map((id) => EVIDENCE_STRENGTH[evidence.get(id)?.type ?? 'mud-profile']));
  const newest = (c: Claim) => c.evidence.map((id) => evidence.get(id)?.date ?? '').sort().pop() ?? '';
  const best = [...definite].sort((a, b) => strength(b) - strength(a) || (newest(b) > newest(a) ? 1 : newest(b) < newest(a) ? -1 : 0))[0];
  const verdict = best?.verdict ?? 'unknown';
  const basis = best?.basis ?? null;
  const out: Verdict = { verdict, basis, evidence: [...new Set(claims.filter((c) => c.verdict === verdict).flatMap((c) => c.evidence))] };
  const [only] = claims;
  const saysNoMore = claims.length === 0 || (claims.length === 1 && only!.verdict === verdict && (only!.basis ?? null) === basis);
  if (saysNoMore && only?.note) out.note = only.note;
  if (new Set(definite.map((c) => c.verdict)).size > 1) out.disputed = true;
  if (!saysNoMore) out.claims = claims;
  return out;
}

function needsModel(src: { needs: Record<string, SourceVerdict>; evidence: string[] }, evidence: Map<string, Evidence>, prefix: string): Needs {
  return Object.fromEntries(NEED_FUNCTIONS.map((fn) => [fn, verdictModel(src.needs[fn]!, src.evidence, evidence, prefix)])) as Needs;
}

/** What an entry says beyond protocol and ports: the opener's own ports, the ICMP type and code. */
function narrowing(e: SourceEndpoint | SourceLocalFlow): Pick<Endpoint, 'sourcePorts' | 'icmpType' | 'icmpCode'> {
  return {
    ...(e['source-ports'] ? { sourcePorts: ports(e['source-ports']) } : {}),
    ...(e['icmp-type'] !== undefined ? { icmpType: e['icmp-type'] } : {}),
    ...(e['icmp-code'] !== undefined ? { icmpCode: e['icmp-code'] } : {}),
  };
}

function endpointModel(e: SourceEndpoint, evidence: Map<string, Evidence>, prefix: string, group?: string): Endpoint {
  const destination = e.host ?? e.address ?? ANY_DESTINATION;
  const kind: Endpoint['kind'] = e.host ? (e.host.startsWith('*.') ? 'wildcard' : 'host') : !e.address ? 'any' : destination.includes('/') ? 'cidr' : 'ip';
  const out: Endpoint = {
    destination, kind,
    ...(e.address ? { ipVersion: e.address.includes(':') ? 6 : 4 } : e['ip-version'] ? { ipVersion: e['ip-version'] } : {}),
    ...(e['reported-name'] ? { reportedName: e['reported-name'] } : {}),
    protocol: e.protocol, ports: ports(e.ports), ...narrowing(e), service: e.service, purpose: e.purpose, party: e.party,
    ...(e.region ? { region: e.region } : {}),
    needs: needsModel(e, evidence, prefix),
    evidence: e.evidence.map((id) => prefix + id),
    ...(group ? { group } : {}),
    ...(e.note ? { note: e.note } : {}),
  };
  return out;
}

function localModel(f: SourceLocalFlow, evidence: Map<string, Evidence>): LocalFlow {
  return {
    from: f.from, to: f.to, protocol: f.protocol, ...(f['ip-version'] ? { ipVersion: f['ip-version'] } : {}),
    ports: ports(f.ports), ...narrowing(f), ...(f.group ? { group: f.group } : {}),
    service: f.service, purpose: f.purpose, needs: needsModel(f, evidence, ''), evidence: [...f.evidence], ...(f.note ? { note: f.note } : {}),
  };
}

const SETTLED: readonly Basis[] = ['tested', 'documented'];

function verdictTally(device: Omit<Device, 'derived'>): Derived['evidence']['verdicts'] {
  const tally: Derived['evidence']['verdicts'] = { total: 0, definite: 0, byBasis: {} };
  for (const entry of [...device.endpoints, ...device.local]) {
    for (const fn of NEED_FUNCTIONS) {
      const v = entry.needs[fn];
      tally.total++;
      if (v.verdict === 'unknown' || !v.basis) continue;
      tally.definite++;
      tally.byBasis[v.basis] = (tally.byBasis[v.basis] ?? 0) + 1;
    }
  }
  return tally;
}

/** How sure we are, from the verdicts alone: a device whose every verdict is unknown is never sure, however many sources it cites. */
function confidenceOf(device: Omit<Device, 'derived'>, tally: Derived['evidence']['verdicts']): Derived['evidence']['confidence'] {
  if (tally.definite === 0) return 'none';
  const settled = (fn: (typeof NEED_FUNCTIONS)[number]) =>
    [...device.endpoints, ...device.local].some((e) => e.needs[fn].verdict !== 'unknown' && SETTLED.includes(e.needs[fn].basis as Basis));
  if (!SETTLED.some((b) => tally.byBasis[b])) return 'low';
  if (settled('vendor-app') && settled('home-assistant') && tally.total - tally.definite <= tally.total / 4) return 'high';
  return 'medium';
}

const protocolsMeet = (a: Endpoint['protocol'], b: Endpoint['protocol']) =>
  a === b || a === 'unknown' || b === 'unknown' || a === 'tcp+udp' && (b === 'tcp' || b === 'udp') || b === 'tcp+udp' && (a === 'tcp' || a === 'udp');
const portsMeet = (a: PortRange[], b: PortRange[]) =>
  a.length === 0 || b.length === 0 || a.some((x) => b.some((y) => x.from <= y.to && y.from <= x.to));

/** Two entries for the same destination and traffic that disagree are a dispute, though each entry alone agrees with itself. */
function markCrossEntryDisputes(endpoints: Endpoint[]): void {
  const byDestination = new Map<string, Endpoint[]>();
  for (const e of endpoints) {
    if (e.kind === 'any') continue;
    const key = e.destination.toLowerCase();
    byDestination.set(key, [...(byDestination.get(key) ?? []), e]);
  }
  for (const same of byDestination.values()) {
    if (same.length < 2) continue;
    for (const fn of NEED_FUNCTIONS) {
      for (const a of same) {
        for (const b of same) {
          if (a === b || a.needs[fn].verdict === 'unknown' || b.needs[fn].verdict === 'unknown') continue;
          if (a.needs[fn].verdict !== b.needs[fn].verdict && protocolsMeet(a.protocol, b.protocol) && portsMeet(a.ports, b.ports)) {
            a.needs[fn].disputed = true;
          }
        }
      }
    }
  }
}

function combine(values: string[], yes: string[], no: string[]): Tristate | 'disputed' {
  const definite = values.filter((v) => yes.includes(v) || no.includes(v));
  if (definite.length === 0) return 'unknown';
  if (definite.every((v) => yes.includes(v))) return 'yes';
  if (definite.every((v) => no.includes(v))) return 'no';
  return 'disputed';
}

function derive(device: Omit<Device, 'derived'>): Derived {
  const counts = {
    endpoints: device.endpoints.length,
    local: device.local.length,
    'vendor-app': { required: 0, 'not-required': 0, 'setup-only': 0, unknown: 0 },
    'home-assistant': { required: 0, 'not-required': 0, 'setup-only': 0, unknown: 0 },
  } as Derived['counts'];
  for (const e of device.endpoints) for (const fn of NEED_FUNCTIONS) counts[fn][e.needs[fn].verdict]++;

  let ha: Tristate;
  let haReason: string;
  // A forum anecdote is shown with the reports, but only a test or documentation decides the answer.
  const settledReports = device.whenBlocked.internet.filter((r) => SETTLED.includes(r.basis as Basis));
  const weakOnly = device.whenBlocked.internet.length > 0 && settledReports.length === 0;
  const haReports = combine(settledReports.map((r) => r.homeAssistant), ['keeps-working'], ['stops-working', 'degraded']);
  const cloudOnly = device.homeAssistant.integrations.length > 0 && device.homeAssistant.integrations.every((i) => i.iotClass?.startsWith('cloud_'));
  const reported = (fn: 'homeAssistant' | 'vendorApp') => {
    const n = settledReports.filter((r) => r[fn] !== 'unknown').length;
    return `${n === 1 ? 'one tested or documented report' : `${n} tested or documented reports`} with the internet blocked (see the reports for the setup each covers)`;
  };
  if (haReports === 'yes' || haReports === 'no') { ha = haReports; haReason = reported('homeAssistant'); }
  else if (haReports === 'disputed') { ha = 'unknown'; haReason = 'sources disagree about the device with the internet blocked'; }
  else if (counts['home-assistant'].required > 0) { ha = 'no'; haReason = 'an internet endpoint is required for Home Assistant'; }
  else if (cloudOnly) { ha = 'no'; haReason = 'its Home Assistant integrations work through the vendor cloud (iot_class cloud_*)'; }
  else { ha = 'unknown'; haReason = weakOnly ? 'only community reports, not tests, say what happens with the internet blocked' : 'not tested yet'; }

  let app: Tristate;
  let appReason: string;
  const appReports = combine(settledReports.map((r) => r.vendorApp), ['stops-working', 'degraded'], ['keeps-working']);
  if (appReports === 'yes' || appReports === 'no') { app = appReports; appReason = reported('vendorApp'); }
  else if (counts['vendor-app'].required > 0) { app = 'yes'; appReason = 'an internet endpoint is required for the vendor app'; }
  else if (appReports === 'disputed') { app = 'unknown'; appReason = 'sources disagree'; }
  else { app = 'unknown'; appReason = weakOnly ? 'only community reports, not tests, say what happens with the internet blocked' : 'not tested yet'; }

  const dated = device.evidence.map((e) => e.date).filter((d): d is string => !!d).sort();
  const byType: Derived['evidence']['byType'] = {};
  for (const e of device.evidence) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const verdicts = verdictTally(device);
  return {
    worksWithHaOffline: ha,
    worksWithHaOfflineReason: haReason,
    vendorAppNeedsCloud: app,
    vendorAppNeedsCloudReason: appReason,
    refuseWith: device.whenBlocked.rejectOrDrop?.advice ?? 'unknown',
    reflect: device.local
      .filter((f) => (f.to === 'multicast' || f.to === 'broadcast') && NEED_FUNCTIONS.some((fn) => f.needs[fn].verdict !== 'not-required'))
      .map((f) => ({ service: f.service, protocol: f.protocol, ports: f.ports, ...(f.group ? { group: f.group } : {}) })),
    counts,
    evidence: {
      count: device.evidence.length,
      byType,
      ...(dated.length ? { newest: dated[dated.length - 1]!, oldest: dated[0]! } : {}),
      undated: device.evidence.length - dated.length,
      confidence: confidenceOf(device, verdicts),
      verdicts,
    },
  };
}

/** The vendors of a tree that passed validation, with their groups' endpoints modelled; `devices` is filled in by the caller. */
export function vendorModels(vendorsSrc: ReadonlyMap<string, SourceVendor>): Vendor[] {
  return [...vendorsSrc.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, v]) => {
    const evidence = (v.evidence ?? []).map((e) => evidenceModel(e));
    const byId = new Map(evidence.map((e) => [e.id, e]));
    return {
      id, name: v.name, ...(v.website ? { website: v.website } : {}),
      groups: (v.groups ?? []).map((g) => ({
        id: g.id, name: g.name, ...(g.description ? { description: g.description } : {}),
        endpoints: g.endpoints.map((e) => endpointModel(e, byId, '', `${id}/${g.id}`)),
      })),
      evidence, devices: [], ...(v.notes ? { notes: v.notes } : {}),
    };
  });
}

/** One device of a tree that passed validation: its vendor groups expanded, derived facts computed. Needs only its own file and the vendor files. */
export function deviceModel(relPath: string, data: SourceDevice, vendorsSrc: ReadonlyMap<string, SourceVendor>): Device {
  const { domains } = haIntegrations();
  const file = { relPath };
  const evidence = data.evidence.map((e) => evidenceModel(e));
  const endpoints: Endpoint[] = [];
  const groupEvidence = new Map<string, Evidence>();
  const ownEvidence = new Map(evidence.map((e) => [e.id, e]));
  for (const entry of data.endpoints) {
    if (!isGroupUse(entry)) { endpoints.push(endpointModel(entry, ownEvidence, '')); continue; }
    const use = entry as GroupUse;
    const [vendorId, groupId] = use.group.split('/') as [string, string];
    const vendorSrc = vendorsSrc.get(vendorId)!;
    const group = vendorSrc.groups!.find((g) => g.id === groupId)!;
    const prefix = `${vendorId}:`;
    for (const e of vendorSrc.evidence ?? []) groupEvidence.set(prefix + e.id, evidenceModel(e, prefix));
    const all = new Map([...ownEvidence, ...groupEvidence]);
    for (const e of group.endpoints) {
      const model = endpointModel(e, all, prefix, use.group);
      model.evidence = [...new Set([...model.evidence, ...use.evidence])];
      endpoints.push(model);
    }
  }
  markCrossEntryDisputes(endpoints);
  const usedGroupEvidence = new Set(endpoints.flatMap(endpointSources));
  const allEvidence = [...evidence, ...[...groupEvidence.values()].filter((e) => usedGroupEvidence.has(e.id))];
  const evidenceIndex = new Map(allEvidence.map((e) => [e.id, e]));
  const base: Omit<Device, 'derived'> = {
    id: data.id,
    vendor: file.relPath.split('/')[0]!,
    name: data.name,
    aliases: data.aliases ?? [],
    models: data.models ?? [],
    category: data.category,
    connectivity: data.connectivity ?? [],
    apps: data.apps ?? [],
    homeAssistant: {
      integrations: (data['home-assistant']?.integrations ?? []).map((domain) => {
        const known = Object.hasOwn(domains, domain) ? domains[domain] : undefined;
        return { domain, ...(known ? { name: known.name } : {}), ...(known?.iot_class ? { iotClass: known.iot_class } : {}) };
      }),
      calls: (data['home-assistant']?.calls ?? []).map((c) => ({
        host: c.host, protocol: c.protocol, ports: ports(c.ports), service: c.service, purpose: c.purpose, evidence: [...c.evidence],
        ...(c.note ? { note: c.note } : {}),
      })),
      ...(data['home-assistant']?.note ? { note: data['home-assistant'].note } : {}),
    },
    endpoints,
    local: (data.local ?? []).map((f) => localModel(f, evidenceIndex)),
    whenBlocked: {
      internet: (data['when-blocked']?.internet ?? []).map((r) => {
        const basis = claimBasis(r.evidence.map((id) => evidenceIndex.get(id)?.type).filter((t): t is EvidenceType => t !== undefined));
        return {
          vendorApp: r['vendor-app'], homeAssistant: r['home-assistant'], evidence: [...r.evidence],
          ...(basis ? { basis } : {}), ...(r.note ? { note: r.note } : {}),
        };
      }),
      ...(data['when-blocked']?.['reject-or-drop'] ? {
        rejectOrDrop: {
          advice: data['when-blocked']['reject-or-drop'].advice,
          evidence: [...data['when-blocked']['reject-or-drop'].evidence],
          ...(data['when-blocked']['reject-or-drop'].note ? { note: data['when-blocked']['reject-or-drop'].note } : {}),
        },
      } : {}),
    },
    evidence: allEvidence,
    ...(data.notes ? { notes: data.notes } : {}),
    source: `devices/${file.relPath}`,
  };
  return { ...base, derived: derive(base) };
}

export function datasetMeta(vendors: readonly Vendor[], devices: readonly Device[]): Dataset['meta'] {
  return {
    name: 'netneeds',
    datasetVersion: packageVersion(),
    schemaVersion: SCHEMA_VERSION,
    sourceCommit: sourceCommit(),
    deviceCount: devices.length,
    vendorCount: vendors.length,
    endpointCount: devices.reduce((n, d) => n + d.endpoints.length, 0),
    license: { data: 'CC0-1.0', code: 'MIT' },
    homepage: SITE_URL,
    repository: REPO_URL,
  };
}

/** Devices sorted by id, each listed in its vendor's `devices`. */
export function assembleDataset(vendors: Vendor[], devices: Device[]): Dataset {
  devices.sort((a, b) => (a.id < b.id ? -1 : 1));
  const vendorById = new Map(vendors.map((v) => [v.id, v]));
  for (const d of devices) vendorById.get(d.vendor)?.devices.push(d.id);
  return { meta: datasetMeta(vendors, devices), vendors, devices };
}

/** Builds the dataset from files that passed validation: vendor groups expanded, derived facts computed. */
export function buildDataset(files: LoadedFile[]): Dataset {
  const vendorsSrc = new Map<string, SourceVendor>();
  const devices: Device[] = [];
  for (const f of files) if (f.kind === 'vendor') vendorsSrc.set(f.relPath.split('/')[0]!, f.data as SourceVendor);
  for (const f of files) if (f.kind === 'device') devices.push(deviceModel(f.relPath, f.data as SourceDevice, vendorsSrc));
  return assembleDataset(vendorModels(vendorsSrc), devices);
}
