import type { Dataset, Device, EvidenceType, Tristate } from '../scripts/build/types.js';
import { formatPortRange } from '../scripts/lib/net.js';
import { BASIS_OF_TYPE, verdictClaims } from '../scripts/lib/verdict-basis.js';

const TRISTATE: Record<Tristate, number> = { yes: 0, no: 1, unknown: 2 };

/** Row flags. */
export const FLAG_TESTED = 1;

/** True when some verdict or blocking report of the device rests on a blocking test. */
export function hasTestedVerdict(d: Device): boolean {
  const type = new Map(d.evidence.map((e) => [e.id, e.type] as [string, EvidenceType]));
  const tested = (ids: string[]) => ids.some((id) => { const t = type.get(id); return t !== undefined && BASIS_OF_TYPE[t] === 'tested'; });
  const verdicts = [...d.endpoints, ...d.local].flatMap((e) => Object.values(e.needs));
  return verdicts.some((v) => verdictClaims(v).some((c) => c.verdict !== 'unknown' && tested(c.evidence)))
    || d.whenBlocked.internet.some((r) => tested(r.evidence));
}

/**
 * The data behind the index page's search, filters and list, one row per device in id order. Rows are positional
 * arrays and repeated strings are indexes into shared lists, to keep the file small at tens of thousands of devices:
 * [id, name, vendor, category, worksWithHaOffline, vendorAppNeedsCloud, endpoints, newest evidence,
 *  model text, traffic text, integrations, flags].
 * Model text (ids, models, aliases) ranks above traffic text (apps, destinations, services, ports).
 */
export function searchData(ds: Dataset): string {
  const vendors = ds.vendors.map((v) => v.id);
  const vendorIndex = new Map(vendors.map((id, i) => [id, i]));
  const categories = [...new Set(ds.devices.map((d) => d.category))].sort();
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const iotClassOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  for (const d of ds.devices) for (const i of d.homeAssistant.integrations) { iotClassOf.set(i.domain, i.iotClass ?? 'unknown'); nameOf.set(i.domain, i.name ?? i.domain); }
  const integrations = [...iotClassOf.keys()].sort();
  const integrationIndex = new Map(integrations.map((dom, i) => [dom, i]));
  const rows = ds.devices.map((d) => {
    const traffic = new Set<string>(d.apps);
    for (const e of d.endpoints) {
      if (e.kind !== 'any') traffic.add(e.destination);
      if (e.reportedName) traffic.add(e.reportedName);
      traffic.add(e.service);
      for (const p of e.ports) traffic.add(formatPortRange(p));
    }
    for (const f of d.local) { traffic.add(f.service); for (const p of f.ports) traffic.add(formatPortRange(p)); }
    return [
      d.id, d.name, vendorIndex.get(d.vendor) ?? -1, categoryIndex.get(d.category) ?? -1, TRISTATE[d.derived.worksWithHaOffline],
      TRISTATE[d.derived.vendorAppNeedsCloud], d.derived.counts.endpoints, d.derived.evidence.newest ?? '',
      [...d.models, ...d.aliases].join(' '), [...traffic].join(' '),
      d.homeAssistant.integrations.map((i) => integrationIndex.get(i.domain)!), hasTestedVerdict(d) ? FLAG_TESTED : 0,
    ];
  });
  return JSON.stringify({
    version: 2,
    vendors: ds.vendors.map((v) => [v.id, v.name]),
    categories, integrations, integrationNames: integrations.map((dom) => nameOf.get(dom)!), iotClass: integrations.map((dom) => iotClassOf.get(dom)!),
    devices: rows,
  }) + '\n';
}
