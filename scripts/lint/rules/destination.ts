import type { Rule } from '../rule.js';
import { endpointsOf, localFlowsOf } from '../../lib/walk.js';

const DESTINATION_KEYS = ['host', 'address', 'any-destination'] as const;

/** An endpoint names exactly one destination, and port-based protocols say which ports. */
export const destination: Rule = {
  name: 'destination',
  description: 'Each endpoint has exactly one of host, address or any-destination; any-destination entries name a protocol (and TCP/UDP ports); TCP/UDP entries list ports and entries of unknown protocol list none; multicast flows name their group.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of endpointsOf(data)) {
      const has = DESTINATION_KEYS.filter((k) => k in e);
      if (has.length === 0) {
        report(path, 'endpoint has no destination', { hint: 'add host: (a DNS name), address: (an IP or CIDR block), or any-destination: true when the source gives only protocol and ports' });
      }
      if (has.length > 1) {
        report([...path, has[1]!], `endpoint has both ${has[0]} and ${has[1]}`, {
          hint: has.includes('any-destination') ? 'keep the destination the source names and remove any-destination:' : 'split it into two endpoints, or keep the observed address in reported-name',
          at: 'key',
        });
      }
      // Without a protocol and ports, "any destination" would allow everything: the source must say what it allows.
      if ('any-destination' in e && e.protocol === 'unknown') {
        report([...path, 'protocol'], 'any-destination entry has an unknown protocol', { hint: 'name the protocol and ports the source gives; without them the entry would allow all traffic' });
      }
    }
    for (const { value: e, path } of [...endpointsOf(data), ...localFlowsOf(data)]) {
      const proto = e.protocol;
      if ((proto === 'tcp' || proto === 'udp' || proto === 'tcp+udp') && !('ports' in e)) {
        report([...path, 'protocol'], `${proto} entry lists no ports`, { hint: 'add ports: [443] (or a range such as "16500-65000")' });
      }
      if ((proto === 'icmp' || proto === 'icmpv6') && 'ports' in e) report([...path, 'ports'], `${proto} has no ports`, { hint: 'remove ports:', at: 'key' });
      if (proto === 'unknown' && 'ports' in e) report([...path, 'ports'], 'ports are listed but the protocol is unknown', { hint: 'name the protocol the ports belong to, or remove ports:', at: 'key' });
    }
    for (const { value: flow, path } of localFlowsOf(data)) {
      if (flow.to === 'multicast' && !('group' in flow)) report([...path, 'to'], 'multicast flow names no group address', { hint: 'add group: 224.0.0.251 (mDNS) or 239.255.255.250 (SSDP)' });
      if (flow.to !== 'multicast' && 'group' in flow) report([...path, 'group'], 'group: applies only to flows with to: multicast', { at: 'key' });
    }
  },
};
