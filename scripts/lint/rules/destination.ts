import type { Rule } from '../rule.js';
import { endpointsOf, localFlowsOf } from '../../lib/walk.js';

/** An endpoint names exactly one destination, and port-based protocols say which ports. */
export const destination: Rule = {
  name: 'destination',
  description: 'Each endpoint has exactly one of host or address; TCP/UDP entries list ports and entries of unknown protocol list none; multicast flows name their group.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of endpointsOf(data)) {
      const has = ['host', 'address'].filter((k) => k in e);
      if (has.length === 0) report(path, 'endpoint has no destination', { hint: 'add host: (a DNS name) or address: (an IP or CIDR block)' });
      if (has.length === 2) report([...path, 'address'], 'endpoint has both host and address', { hint: 'split it into two endpoints, or keep the observed address in reported-name', at: 'key' });
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
