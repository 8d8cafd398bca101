import type { Dataset, Tristate } from '../scripts/build/types.js';

const TRISTATE: Record<Tristate, number> = { yes: 0, no: 1, unknown: 2 };

/**
 * The data behind the index page's search and filters, one row per device in table order. Rows are positional arrays
 * and repeated strings are indexes into shared lists, to keep the file small at tens of thousands of devices:
 * [name, vendor, category, worksWithHaOffline, vendorAppNeedsCloud, endpoints, newest evidence, searchable text, integrations].
 */
export function searchData(ds: Dataset): string {
  const vendors = ds.vendors.map((v) => v.id);
  const vendorIndex = new Map(vendors.map((id, i) => [id, i]));
  const categories = [...new Set(ds.devices.map((d) => d.category))].sort();
  const iotClassOf = new Map(ds.devices.flatMap((d) => d.homeAssistant.integrations.map((i) => [i.domain, i.iotClass ?? 'unknown'] as const)));
  const integrations = [...iotClassOf.keys()].sort();
  const iotClass = integrations.map((dom) => iotClassOf.get(dom)!);
  const rows = ds.devices.map((d) => {
    const destinations = new Set(d.endpoints.flatMap((e) => [...(e.kind === 'any' ? [] : [e.destination]), ...(e.reportedName ? [e.reportedName] : [])]));
    const text = [d.id, ...d.models, ...d.aliases, ...d.apps, ...destinations].join(' ');
    return [
      d.name, vendorIndex.get(d.vendor) ?? -1, categories.indexOf(d.category), TRISTATE[d.derived.worksWithHaOffline],
      TRISTATE[d.derived.vendorAppNeedsCloud], d.derived.counts.endpoints, d.derived.evidence.newest ?? '', text,
      d.homeAssistant.integrations.map((i) => integrations.indexOf(i.domain)),
    ];
  });
  return JSON.stringify({
    version: 1,
    vendors: ds.vendors.map((v) => [v.id, v.name]),
    categories, integrations, iotClass, devices: rows,
  }) + '\n';
}
