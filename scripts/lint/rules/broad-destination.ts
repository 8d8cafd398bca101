import { parse } from 'tldts';
import type { Rule } from '../rule.js';
import { isFinding, parseAddress, specialRange } from '../../lib/net.js';
import { endpointsOf } from '../../lib/walk.js';
import { sharedCloud } from '../../lib/shared-infrastructure.js';

/** An any-destination entry covering this many ports opens practically everything. */
export const ANY_PORTS_MAX = 60_000;
/** Blocks shorter than these hold many unrelated networks: no device needs a whole /8. */
export const PREFIX_MIN = { 4: 16, 6: 32 } as const;

function portCount(ports: unknown): number {
  if (!Array.isArray(ports)) return 0;
  let n = 0;
  for (const p of ports) {
    if (typeof p === 'number') n += 1;
    else if (typeof p === 'string') { const m = /^(\d+)-(\d+)$/.exec(p); if (m) n += Math.max(0, Number(m[2]) - Number(m[1]) + 1); }
  }
  return n;
}

/** Why a wildcard on this base would cover far more than one service, or null. */
export function broadWildcard(base: string): string | null {
  if (parse(base, { allowPrivateDomains: true }).publicSuffix === base) return `it covers a public suffix: every site registered under ${base}`;
  const cloud = sharedCloud(base);
  return cloud ? `it covers every customer of a shared cloud (${cloud.what})` : null;
}

/**
 * Destinations so broad that a rule allowing them opens the internet: any-destination over (nearly) all ports,
 * wildcards on a public suffix (*.co.uk, *.cloudfront.net) or on a cloud's shared customer domain (*.amazonaws.com),
 * and huge address blocks (8.0.0.0/8).
 */
export const broadDestination: Rule = {
  name: 'broad-destination',
  description: `Refuses destinations that would open far more than one service: any-destination entries over ${ANY_PORTS_MAX} ports or more, wildcards on a public suffix or a shared cloud's customer domain, and address blocks shorter than /${PREFIX_MIN[4]} (IPv4) or /${PREFIX_MIN[6]} (IPv6).`,
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of endpointsOf(data)) {
      if (e['any-destination'] === true) {
        const n = portCount(e.ports);
        if (n >= ANY_PORTS_MAX) report([...path, 'ports'], `any-destination entry covers ${n} ports: it would open the whole internet`, { hint: 'name the destinations the source gives, or the few ports it documents' });
      }
      if (typeof e.host === 'string' && e.host.startsWith('*.')) {
        const why = broadWildcard(e.host.slice(2));
        if (why) report([...path, 'host'], `wildcard ${e.host}: ${why}`, { hint: 'name the hosts the source gives; a suffix list entry is not a destination' });
      }
      if (typeof e.address === 'string') {
        const parsed = parseAddress(e.address);
        // A private or special block is public-address's finding: one mistake, one message.
        if (!isFinding(parsed) && parsed.prefix !== null && parsed.prefix < PREFIX_MIN[parsed.version] && specialRange(parsed) === null) {
          report([...path, 'address'], `${e.address} is a /${parsed.prefix} block: it holds many unrelated networks`, { hint: `give the addresses or blocks of /${PREFIX_MIN[parsed.version]} or longer the source names` });
        }
      }
    }
  },
};
