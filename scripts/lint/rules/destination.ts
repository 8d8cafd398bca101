import type { Rule } from '../rule.js';
import { endpointsOf, localFlowsOf } from '../../lib/walk.js';

const DESTINATION_KEYS = ['host', 'address', 'any-destination'] as const;

/** An endpoint names exactly one destination, and port-based protocols say which ports. */
export const destination: Rule = {
  name: 'destination',
  description: 'Each endpoint has exactly one of host, address or any-destination; any-destination entries name a protocol (and TCP/UDP ports); TCP/UDP entries list ports and entries of unknown protocol list none; source-ports only on TCP/UDP, icmp-type and icmp-code only on ICMP, ip-version only where the address or protocol does not already fix it; multicast flows name their group.',
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
      const icmp = proto === 'icmp' || proto === 'icmpv6';
      if ('source-ports' in e && !(proto === 'tcp' || proto === 'udp' || proto === 'tcp+udp')) report([...path, 'source-ports'], `${String(proto)} has no source ports`, { hint: 'remove source-ports:', at: 'key' });
      for (const key of ['icmp-type', 'icmp-code'] as const) if (key in e && !icmp) report([...path, key], `${key} applies only to icmp and icmpv6 entries`, { hint: `remove ${key}:`, at: 'key' });
      if ('icmp-code' in e && !('icmp-type' in e)) report([...path, 'icmp-code'], 'icmp-code without icmp-type', { hint: 'add the icmp-type the code belongs to', at: 'key' });
      const version = e['ip-version'];
      if (version !== undefined) {
        const own = proto === 'icmp' ? 4 : proto === 'icmpv6' ? 6 : typeof e.address === 'string' ? (e.address.includes(':') ? 6 : 4) : typeof e.group === 'string' ? (e.group.includes(':') ? 6 : 4) : null;
        if (own !== null) report([...path, 'ip-version'], own === version ? `ip-version ${version} repeats what the ${proto === 'icmp' || proto === 'icmpv6' ? 'protocol' : 'address'} says` : `ip-version ${String(version)} contradicts the IPv${own} ${proto === 'icmp' || proto === 'icmpv6' ? 'protocol' : 'address'}`, { hint: 'remove ip-version:', at: 'key' });
      }
    }
    for (const { value: flow, path } of localFlowsOf(data)) {
      if (flow.to === 'multicast' && !('group' in flow)) report([...path, 'to'], 'multicast flow names no group address', { hint: 'add group: 224.0.0.251 (mDNS) or 239.255.255.250 (SSDP)' });
      if (flow.to !== 'multicast' && 'group' in flow) report([...path, 'group'], 'group: applies only to flows with to: multicast', { at: 'key' });
    }
  },
};
