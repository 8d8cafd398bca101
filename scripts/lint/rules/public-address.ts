import type { Rule } from '../rule.js';
import { isFinding, parseAddress, specialRange } from '../../lib/net.js';
import { endpointsOf, localFlowsOf } from '../../lib/walk.js';

/** Internet endpoints must be internet addresses: a private or documentation address in a shared rule set is a mistake. */
export const publicAddress: Rule = {
  name: 'public-address',
  description: 'Internet endpoints are not private, loopback, link-local, multicast, documentation or other special-use addresses; multicast groups are multicast.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of endpointsOf(data)) {
      if (typeof e.address !== 'string') continue;
      const parsed = parseAddress(e.address);
      if (isFinding(parsed)) continue;
      const range = specialRange(parsed);
      if (range) {
        report([...path, 'address'], `${e.address} is a ${range} address, not an internet endpoint`, {
          hint: range === 'multicast' || range === 'private' || range === 'link-local' ? 'describe LAN traffic under local:' : 'use the address the device really contacted',
        });
      }
    }
    for (const { value: f, path } of localFlowsOf(data)) {
      if (typeof f.group !== 'string') continue;
      const parsed = parseAddress(f.group);
      if (!isFinding(parsed) && parsed.address.range() !== 'multicast') report([...path, 'group'], `${f.group} is not a multicast address`);
    }
  },
};
