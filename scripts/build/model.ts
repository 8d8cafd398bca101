import type { LoadedFile } from '../lib/load.js';
import { parsePortItem } from '../lib/net.js';
import { packageVersion, REPO_URL, SITE_URL, sourceCommit } from '../lib/project.js';
import { SCHEMA_VERSION } from '../lib/schemas.js';
import { haIntegrations } from '../lint/rules/ha-domain.js';
import type {
  GroupUse, SourceDevice, SourceEndpoint, SourceEvidence, SourceLocalFlow, SourceVendor, Verdict as SourceVerdict,
} from '../lib/source-types.js';
import { isGroupUse, NEED_FUNCTIONS } from '../lib/source-types.js';
import type {
  Claim, Dataset, Derived, Device, Endpoint, Evidence, EvidenceType, LocalFlow, Needs, PortRange, Tristate, Vendor,
  Verdict,
} from './types.js';

/** How much a kind of evidence settles a verdict: a test beats a statement, which beats an observation. */
export const EVIDENCE_STRENGTH: Record<EvidenceType, number> = {
  'blocking-test': 6, 'vendor-documentation': 5, 'firewall-log': 4, 'packet-capture': 4, 'dns-log': 4,
  'community-report': 3, 'paper': 2, 'mud-profile': 1,
};

/** The destination text of an endpoint of kind `any`. */
export const ANY_DESTINATION = '*';

const ports = (items: (number | string)[] | undefined): PortRange[] =>
  (items ?? []).map(parsePortItem).filter((r): r is PortRange => r !== null);

function evidenceModel(e: SourceEvidence, prefix = ''): Evidence {
  const out: Evidence = { id: prefix + e.id, type: e.type, source: e.source };
  for (const k of ['date', 'accessed', 'title', 'firmware', 'region', 'note', 'quote'] as const) if (e[k] !== undefined) out[k] = e[k];
  return out;
}

function verdictModel(v: SourceVerdict, backing: string[], evidence: Map<string, Evidence>, prefix: string): Verdict {
  const claims: Claim[] = typeof v === 'string'
    ? (v === 'unknown' ? [] : [{ verdict: v, evidence: backing.map((id) => prefix + id) }])
    : v.map((c) => ({ verdict: c.verdict, evidence: c.evidence.map((id) => prefix + id), ...(c.note ? { note: c.note } : {}) }));
  const definite = claims.filter((c) => c.verdict !== 'unknown');
  const strength = (c: Claim) => Math.max(0, ...c.evidence.map((id) => EVIDENCE_STRENGTH[evidence.get(id)?.type ?? 'mud-profile']));
  const newest = (c: Claim) => c.evidence.map((id) => evidence.get(id)?.date ?? '').sort().pop() ?? '';
  const best = [...definite].sort((a, b) => strength(b) - strength(a) || (newest(b) > newest(a) ? 1 : newest(b) < newest(a) ? -1 : 0))[0];
  return {
    verdict: best?.verdict ?? 'unknown',
    disputed: new Set(definite.map((c) => c.verdict)).size > 1,
    claims,
  };
}

function needsModel(src: { needs: Record<string, SourceVerdict>; evidence: string[] }, evidence: Map<string, Evidence>, prefix: string): Needs {
  return Object.fromEntries(NEED_FUNCTIONS.map((fn) => [fn, verdictModel(src.needs[fn]!, src.evidence, evidence, prefix)])) as Needs;
}

function endpointModel(e: SourceEndpoint, evidence: Map<string, Evidence>, prefix: string, group?: string): Endpoint {
  const destination = e.host ?? e.address ?? ANY_DESTINATION;
  const kind: Endpoint['kind'] = e.host ? (e.host.startsWith('*.') ? 'wildcard' : 'host') : !e.address ? 'any' : destination.includes('/') ? 'cidr' : 'ip';
  const out: Endpoint = {
    destination, kind,
    ...(e.address ? { ipVersion: e.address.includes(':') ? 6 : 4 } : {}),
    ...(e['reported-name'] ? { reportedName: e['reported-name'] } : {}),
    protocol: e.protocol, ports: ports(e.ports), service: e.service, purpose: e.purpose, party: e.party,
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
    from: f.from, to: f.to, protocol: f.protocol, ports: ports(f.ports), ...(f.group ? { group: f.group } : {}),
    service: f.service, purpose: f.purpose, needs: needsModel(f, evidence, ''), evidence: [...f.evidence], ...(f.note ? { note: f.note } : {}),
  };
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
  const haReports = combine(device.whenBlocked.internet.map((r) => r.homeAssistant), ['keeps-working'], ['stops-working', 'degraded']);
  const cloudOnly = device.homeAssistant.integrations.length > 0 && device.homeAssistant.integrations.every((i) => i.iotClass?.startsWith('cloud_'));
  if (haReports === 'yes' || haReports === 'no') { ha = haReports; haReason = 'reported with the internet blocked'; }
  else if (haReports === 'disputed') { ha = 'unknown'; haReason = 'sources disagree about the device with the internet blocked'; }
  else if (counts['home-assistant'].required > 0) { ha = 'no'; haReason = 'an internet endpoint is required for Home Assistant'; }
  else if (cloudOnly) { ha = 'no'; haReason = 'its Home Assistant integrations work through the vendor cloud (iot_class cloud_*)'; }
  else { ha = 'unknown'; haReason = 'not tested yet'; }

  let app: Tristate;
  let appReason: string;
  const appReports = combine(device.whenBlocked.internet.map((r) => r.vendorApp), ['stops-working', 'degraded'], ['keeps-working']);
  if (appReports === 'yes' || appReports === 'no') { app = appReports; appReason = 'reported with the internet blocked'; }
  else if (counts['vendor-app'].required > 0) { app = 'yes'; appReason = 'an internet endpoint is required for the vendor app'; }
  else if (appReports === 'disputed') { app = 'unknown'; appReason = 'sources disagree'; }
  else { app = 'unknown'; appReason = 'not tested yet'; }

  const dated = device.evidence.map((e) => e.date).filter((d): d is string => !!d).sort();
  const byType: Derived['evidence']['byType'] = {};
  for (const e of device.evidence) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const best = Math.max(0, ...device.evidence.map((e) => EVIDENCE_STRENGTH[e.type]));
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
      confidence: best >= EVIDENCE_STRENGTH['vendor-documentation'] ? 'high' : best >= EVIDENCE_STRENGTH['community-report'] ? 'medium' : 'low',
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
  const usedGroupEvidence = new Set(endpoints.flatMap((e) => [...e.evidence, ...Object.values(e.needs).flatMap((v) => v.claims.flatMap((c) => c.evidence))]));
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
      ...(data['home-assistant']?.note ? { note: data['home-assistant'].note } : {}),
    },
    endpoints,
    local: (data.local ?? []).map((f) => localModel(f, evidenceIndex)),
    whenBlocked: {
      internet: (data['when-blocked']?.internet ?? []).map((r) => ({
        vendorApp: r['vendor-app'], homeAssistant: r['home-assistant'], evidence: [...r.evidence], ...(r.note ? { note: r.note } : {}),
      })),
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
