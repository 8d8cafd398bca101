// iptables-restore (IPv4 and IPv6) with ipset sets, and the dnsmasq ipset lines that fill them.
// Names: ipset names are at most 31 characters and iptables chains 28, so both use the short device tags.
import { LAN, nameSets, usesController, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { dnsmasqLine, header, portList, type Format } from './format.js';

const IPSET_MAX = 31;
const CHAIN_MAX = 28;
/** xt_multiport takes at most 15 ports, a range counting as two. */
const MULTIPORT_MAX = 15;

function checked(name: string, max: number): string {
  if (name.length > max || !/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`internal: name ${name} is not usable`);
  return name;
}

const ipsetName = (d: DevicePlan, i: number, kind: 'a' | 'n', v: 4 | 6) => checked(`nn_${d.tag}_s${i + 1}_${kind}${v}`, IPSET_MAX);
const srcSet = (d: DevicePlan, v: 4 | 6) => checked(`nn_${d.tag}_src${v}`, IPSET_MAX);
const chainName = (d: DevicePlan, dir: 'OUT' | 'IN') => checked(`NN_${d.tag.toUpperCase()}_${dir}`, CHAIN_MAX);

/** The protocol and port matches of a service, one entry per rule it needs (multiport holds 15 ports). */
function l4(s: Service, v: 4 | 6): string[] | null {
  if (s.protocol === 'icmp') return v === 4 ? ['-p icmp'] : null;
  if (s.protocol === 'icmpv6') return v === 6 ? ['-p ipv6-icmp'] : null;
  if (s.protocol === 'any') return [''];
  const ports = portList(s.ports, ':');
  if (ports.length === 1) return [`-p ${s.protocol} --dport ${ports[0]}`];
  const chunks: string[][] = [[]];
  let weight = 0;
  for (const p of ports) {
    const w = p.includes(':') ? 2 : 1;
    if (weight + w > MULTIPORT_MAX) { chunks.push([]); weight = 0; }
    chunks[chunks.length - 1]!.push(p);
    weight += w;
  }
  return chunks.map((c) => `-p ${s.protocol} -m multiport --dports ${c.join(',')}`);
}

function peerSet(l: LocalRule, v: 4 | 6): string | null {
  if (l.peer === 'controller') return `nn_ctl${v}`;
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return `nn_lan${v}`;
  return null;
}

const rule = (...parts: string[]) => parts.filter((p) => p !== '').join(' ');

function refuse(d: DevicePlan, chain: string, v: 4 | 6): string[] {
  if (d.refuse === 'drop') return [rule('-A', chain, '-j DROP')];
  return [
    rule('-A', chain, '-p tcp -j REJECT --reject-with tcp-reset'),
    rule('-A', chain, '-j REJECT', v === 4 ? '--reject-with icmp-admin-prohibited' : '--reject-with icmp6-adm-prohibited'),
  ];
}

function restoreFile(policy: Policy, v: 4 | 6): string {
  const chains = ['NETNEEDS_FWD'];
  const rules = ['-I FORWARD 1 -j NETNEEDS_FWD'];
  for (const d of policy.devices) {
    const out = chainName(d, 'OUT');
    const inward = chainName(d, 'IN');
    chains.push(out, inward);
    rules.push(rule('-A NETNEEDS_FWD -m set --match-set', srcSet(d, v), 'src -j', out));
    for (const mac of d.sources.macs) rules.push(rule('-A NETNEEDS_FWD -m mac --mac-source', mac, '-j', out));
    rules.push(rule('-A NETNEEDS_FWD -m set --match-set', srcSet(d, v), 'dst -j', inward));
    const comment = `-m comment --comment "netneeds ${d.tag}"`;
    rules.push(rule('-A', out, '-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN'));
    rules.push(rule('-A', inward, '-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN'));
    d.allow.forEach((a, i) => {
      for (const match of l4(a.service, v) ?? []) {
        if ((v === 4 ? a.to.v4 : a.to.v6).length) rules.push(rule('-A', out, match, '-m set --match-set', ipsetName(d, i, 'a', v), 'dst', comment, '-j RETURN'));
        if (a.to.hosts.length || a.to.domains.length) rules.push(rule('-A', out, match, '-m set --match-set', ipsetName(d, i, 'n', v), 'dst', comment, '-j RETURN'));
        // The data names no destination: any internet address, but not the private networks.
        if (a.to.any) rules.push(rule('-A', out, match, '-m set ! --match-set', `nn_lan${v}`, 'dst', comment, '-j RETURN'));
      }
    });
    for (const l of d.local) {
      const set = peerSet(l, v);
      if (!set) continue;
      for (const match of l4(l.service, v) ?? []) {
        rules.push(l.initiator === 'device'
          ? rule('-A', out, match, '-m set --match-set', set, 'dst', comment, '-j RETURN')
          : rule('-A', inward, match, '-m set --match-set', set, 'src', comment, '-j RETURN'));
      }
    }
    rules.push(...refuse(d, out, v), ...refuse(d, inward, v));
  }
  const usage = [
    '',
    `Load after the ipset file: ${v === 4 ? 'iptables' : 'ip6tables'}-restore --noflush < <this file>`,
    '(--noflush keeps your other rules). It puts one jump first in FORWARD; remove it before loading again.',
    'Allowed traffic returns to your own FORWARD rules; everything else from or to the devices is refused.',
  ];
  return `${header(policy, '#', usage)}*filter\n${chains.map((c) => `:${c} - [0:0]`).join('\n')}\n${[...new Set(rules)].join('\n')}\nCOMMIT\n`;
}

function ipsetFile(policy: Policy): string {
  const lines: string[] = [];
  const create = (name: string, type: 'hash:ip' | 'hash:net', v: 4 | 6, members: string[]) => {
    lines.push(`create ${name} ${type} family ${v === 4 ? 'inet' : 'inet6'} -exist`, `flush ${name}`);
    for (const m of members) lines.push(`add ${name} ${m} -exist`);
  };
  if (policy.devices.some(usesController)) for (const v of [4, 6] as const) create(`nn_ctl${v}`, 'hash:net', v, v === 4 ? policy.controller.v4 : policy.controller.v6);
  if (policy.devices.some(usesLan)) for (const v of [4, 6] as const) create(`nn_lan${v}`, 'hash:net', v, v === 4 ? LAN.v4 : LAN.v6);
  for (const d of policy.devices) {
    for (const v of [4, 6] as const) create(srcSet(d, v), 'hash:net', v, v === 4 ? d.sources.v4 : d.sources.v6);
    d.allow.forEach((a, i) => {
      for (const v of [4, 6] as const) {
        if (l4(a.service, v) === null) continue;
        const statics = v === 4 ? a.to.v4 : a.to.v6;
        if (statics.length) create(ipsetName(d, i, 'a', v), 'hash:net', v, statics);
        // Flushed on reload like the others: dnsmasq refills them on the next lookups.
        if (a.to.hosts.length || a.to.domains.length) create(ipsetName(d, i, 'n', v), 'hash:ip', v, []);
      }
    });
  }
  const usage = ['', 'Load first: ipset restore < <this file>; then the iptables and ip6tables files.'];
  return `${header(policy, '#', usage)}${lines.join('\n')}\n`;
}

export function dnsmasqIpset(policy: Policy): string {
  const entries = policy.devices.flatMap((d) => d.allow.map((a, i) => ({
    to: a.to,
    sets: ([4, 6] as const).filter((v) => l4(a.service, v) !== null).map((v) => ipsetName(d, i, 'n', v)),
  })));
  const usage = ['', 'dnsmasq snippet for the ipset sets above: put it into /etc/dnsmasq.d/ and restart dnsmasq.'];
  return header(policy, '#', usage) + nameSets(entries).map(({ name, sets }) => dnsmasqLine(`ipset=/${name}/${sets.join(',')}`)).join('');
}

export const iptablesFormat: Format = {
  name: 'iptables',
  summary: 'iptables-restore and ip6tables-restore files with ipset sets, and the dnsmasq ipset lines that fill them',
  render(policy) {
    return [
      { name: 'ipset', content: ipsetFile(policy) },
      { name: 'iptables', content: restoreFile(policy, 4) },
      { name: 'ip6tables', content: restoreFile(policy, 6) },
      { name: 'dnsmasq-ipset.conf', content: dnsmasqIpset(policy) },
    ];
  },
};
