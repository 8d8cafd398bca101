// Folding a draft with more destinations than a reader can review: by registered domain and by /24, under a cap.
import { getDomain } from 'tldts';
import { coarsePrefix, fresh, observe, type DraftEndpoint } from './collect.js';

function merged(into: DraftEndpoint | undefined, e: DraftEndpoint, make: () => DraftEndpoint): DraftEndpoint {
  const m = into ?? make();
  observe(m, e.first, e.count);
  observe(m, e.last, 0);
  return m;
}

/**
 * Keeps a draft readable and under the size limit: over `cap` entries, names are folded into their registered
 * domain (`*.example.com`) and bare addresses into their /24 or /48, each per protocol and port; what is still
 * over the cap is left out, the most-seen destinations kept, and a sentence per service says how many went.
 */
export function aggregate(endpoints: DraftEndpoint[], cap: number): { kept: DraftEndpoint[]; notes: string[] } {
  if (endpoints.length <= cap) return { kept: endpoints, notes: [] };
  const total = endpoints.length;
  const groups = new Map<string, { members: DraftEndpoint[]; kind: 'domain' | 'prefix'; dest: string }>();
  for (const e of endpoints) {
    const domain = e.host ? getDomain(e.host.replace(/^\*\./, '')) : null;
    const dest = e.host ? (domain ?? e.host) : e.address!.includes('/') ? e.address! : coarsePrefix(e.address!, false);
    const key = `${e.host ? 'h' : 'a'}|${dest}|${e.protocol}|${e.port ?? ''}`;
    const g = groups.get(key) ?? groups.set(key, { members: [], kind: e.host ? 'domain' : 'prefix', dest }).get(key)!;
    g.members.push(e);
  }
  let folded = 0;
  let foldedInto = 0;
  let kept: DraftEndpoint[] = [];
  for (const g of groups.values()) {
    const first = g.members[0]!;
    if (g.members.length === 1) { kept.push(first); continue; }
    folded += g.members.length;
    foldedInto++;
    const members = g.members.reduce((n, e) => n + (e.aggregated ? e.aggregated.members : 1), 0);
    let m: DraftEndpoint | undefined;
    for (const e of g.members) {
      m = merged(m, e, () => ({
        ...fresh(), ...(g.kind === 'domain' ? { host: `*.${g.dest}` } : { address: g.dest }), protocol: first.protocol,
        ...(first.port !== undefined ? { port: first.port } : {}), service: first.service, purpose: first.purpose,
        aggregated: { kind: g.kind, members, examples: g.members.filter((x) => !x.aggregated).slice(0, 5).map((x) => x.host ?? x.address!) },
      }));
    }
    kept.push(m!);
  }
  const notes = [`The inputs gave ${total} destination entries, more than the ${cap} a readable draft lists: ${folded ? `${folded} of them were folded into ${foldedInto} entries by registered domain (*.domain) or by /24 (/48 for IPv6), per protocol and port` : 'none shared a registered domain or a /24 with another'}. An aggregated entry allows more than was seen: narrow it before relying on it.`];
  if (kept.length > cap) {
    const label = (e: DraftEndpoint) => e.host ?? e.address!;
    kept.sort((a, b) => b.count - a.count || (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0));
    const dropped = kept.slice(cap);
    kept = kept.slice(0, cap);
    const byService = new Map<string, number>();
    for (const e of dropped) {
      const k = `${e.protocol}${e.port !== undefined ? `/${e.port}` : ''}${e.service !== 'unknown' ? ` (${e.service})` : ''}`;
      byService.set(k, (byService.get(k) ?? 0) + (e.aggregated?.members ?? 1));
    }
    const list = [...byService].sort((a, b) => b[1] - a[1]);
    notes.push(`Still over the cap, the ${cap} most-seen entries were kept; not listed: ${list.slice(0, 20).map(([k, n]) => `${n} on ${k}`).join(', ')}${list.length > 20 ? ` and ${list.length - 20} more services` : ''}.`);
  }
  return { kept, notes };
}
