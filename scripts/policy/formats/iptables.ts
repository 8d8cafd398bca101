// iptables-restore (IPv4 and IPv6) with ipset sets, and the dnsmasq ipset lines that fill them. The same rules as
// the nftables table: device chains only return or refuse, so both devices of a LAN conversation are asked.
// Names: ipset names are at most 31 characters and iptables chains 28, so both use the short device tags.
import { shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { learnKey } from './nftables.js';
import { conntrackFlush, dnsmasqSetLines, header, Lines, logPrefix, portList, type Format } from './format.js';

const IPSET_MAX = 31;
const CHAIN_MAX = 28;
/** xt_multiport takes at most 15 ports, a range counting as two. */
const MULTIPORT_MAX = 15;
const LEARN_TIMEOUT = 86400;

function checked(name: string, max: number): string {
  if (name.length > max || !/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`internal: name ${name} is not usable`);
  return name;
}

const ipsetName = (d: DevicePlan, key: string, v: 4 | 6) => checked(`nn_${d.tag}_${key}_a${v}`, IPSET_MAX);
/**
 * One set per allowed name, shared by every device that allows it (see the nftables format). Memoized: every file
 * of a policy asks for the same names, once per device that allows them.
 */
const nameIpsets = { 4: new Map<string, string>(), 6: new Map<string, string>() };
function nameIpset(name: string, v: 4 | 6): string {
  const memo = nameIpsets[v];
  let set = memo.get(name);
  if (set === undefined) {
    if (memo.size > 1_000_000) memo.clear();
    set = checked(`nn_n${v}_${shortHash(name)}`, IPSET_MAX);
    memo.set(name, set);
  }
  return set;
}
const srcSet = (d: DevicePlan, v: 4 | 6) => checked(`nn_${d.tag}_src${v}`, IPSET_MAX);
const seenSet = (d: DevicePlan, v: 4 | 6) => checked(`nn_${d.tag}_${learnKey(d)}_seen${v}`, IPSET_MAX);
const chainName = (d: DevicePlan, dir: 'OUT' | 'IN' | 'PEER' | 'PEERR') => checked(`NN_${d.tag.toUpperCase()}_${dir}`, CHAIN_MAX);

/** The protocol and port matches of a service, one entry per rule it needs (multiport holds 15 ports). */
function l4(s: Service, v: 4 | 6, side: 'dport' | 'sport' = 'dport'): string[] | null {
  if (s.protocol === 'icmp') return v === 4 ? ['-p icmp'] : null;
  if (s.protocol === 'icmpv6') return v === 6 ? ['-p ipv6-icmp'] : null;
  if (s.protocol === 'any') return [''];
  const ports = portList(s.ports, ':');
  if (ports.length === 1) return [`-p ${s.protocol} --${side} ${ports[0]}`];
  const chunks: string[][] = [[]];
  let weight = 0;
  for (const p of ports) {
    const w = p.includes(':') ? 2 : 1;
    if (weight + w > MULTIPORT_MAX) { chunks.push([]); weight = 0; }
    chunks[chunks.length - 1]!.push(p);
    weight += w;
  }
  return chunks.map((c) => `-p ${s.protocol} -m multiport --${side}s ${c.join(',')}`);
}

function peerSet(l: LocalRule, v: 4 | 6): string | null {
  if (l.peer === 'home-assistant') return `nn_ha${v}`;
  if (l.peer === 'controller') return `nn_ctl${v}`;
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return `nn_lan${v}`;
  return null;
}

const rule = (...parts: string[]) => parts.filter((p) => p !== '').join(' ');

function refuse(policy: Policy, d: DevicePlan, chain: string, v: 4 | 6): string[] {
  if (policy.mode === 'log') return [rule('-A', chain, `-m conntrack --ctstate NEW -j LOG --log-prefix "${logPrefix(d)}"`), rule('-A', chain, '-j RETURN')];
  if (d.refuse === 'drop') return [rule('-A', chain, '-j DROP')];
  return [
    rule('-A', chain, '-p tcp -j REJECT --reject-with tcp-reset'),
    rule('-A', chain, '-j REJECT', v === 4 ? '--reject-with icmp-admin-prohibited' : '--reject-with icmp6-adm-prohibited'),
  ];
}

function restoreFile(policy: Policy, v: 4 | 6): string {
  const chains = new Lines();
  const rules = new Lines();
  const learn = new Lines();
  const dns = new Lines();
  chains.add(':NETNEEDS_FWD - [0:0]');
  rules.add('-I FORWARD 1 -j NETNEEDS_FWD');
  learn.add('-I PREROUTING 1 -j NETNEEDS_LEARN');
  dns.add('-I PREROUTING 1 -j NETNEEDS_DNS');
  // Each table lists a rule once. A device's rules name its own chains or sets, so they can repeat only within the
  // device; but a DNS redirect by MAC repeats for every device given that MAC.
  const macRedirects = new Set<string>();
  for (const d of policy.devices) {
    const comment = `-m comment --comment "netneeds ${d.tag}"`;
    const [out, inward, peer, peerReply] = [chainName(d, 'OUT'), chainName(d, 'IN'), chainName(d, 'PEER'), chainName(d, 'PEERR')];
    for (const c of [out, inward, peer, peerReply]) chains.add(`:${c} - [0:0]`);
    const deviceRules = new Set<string>();
    const rpf = '-m rpfilter';
    const macs = d.sources.macs.map((m) => `-m mac --mac-source ${m}`);
    // A MAC-given device's addresses are learned on the way in (reverse-path checked). ipset's hash:mac is missing
    // from many kernels, so a device given by IPv4 only cannot have its MAC learned here: its IPv6 stays open to
    // whatever else the router allows unless its MAC or IPv6 addresses are given (the nftables format closes it).
    for (const m of new Set(macs)) learn.add(rule('-A NETNEEDS_LEARN', m, v === 4 ? '! -s 0.0.0.0' : '! -s fe80::/10', rpf, '-j SET --add-set', seenSet(d, v), 'src --exist'));
    const fromDevice = [`-m set --match-set ${srcSet(d, v)} src`, ...macs];
    const toDevice = [`-m set --match-set ${srcSet(d, v)} dst`, ...(macs.length ? [`-m set --match-set ${seenSet(d, v)} dst`] : [])];
    for (const m of fromDevice) deviceRules.add(rule('-A NETNEEDS_FWD', m, '-j', out));
    for (const m of toDevice) deviceRules.add(rule('-A NETNEEDS_FWD', m, '-j', inward));
    if (policy.mode === 'enforce' && !(v === 6 && d.ipv6 === 'closed')) {
      for (const p of ['udp', 'tcp']) dns.add(rule('-A NETNEEDS_DNS', fromDevice[0]!, `-p ${p} --dport 53 -j REDIRECT`));
      for (const m of macs) {
        for (const p of ['udp', 'tcp']) {
          const line = rule('-A NETNEEDS_DNS', m, `-p ${p} --dport 53 -j REDIRECT`);
          if (!macRedirects.has(line)) { macRedirects.add(line); dns.add(line); }
        }
      }
    }
    deviceRules.add(rule('-A', out, '-m conntrack --ctdir REPLY -g', peerReply));
    deviceRules.add(rule('-A', out, '-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN'));
    deviceRules.add(rule('-A', inward, '-m conntrack --ctdir REPLY -j RETURN'));
    deviceRules.add(rule('-A', inward, '-g', peer));
    for (const a of d.allow) {
      const matches = l4(a.service, v) ?? [];
      if (!matches.length) continue;
      const staticSet = (v === 4 ? a.to.v4 : a.to.v6).length ? ipsetName(d, a.key, v) : undefined;
      const named = [...a.to.hosts, ...a.to.domains].map((name) => nameIpset(name, v));
      for (const match of matches) {
        if (staticSet) deviceRules.add(rule('-A', out, match, '-m set --match-set', staticSet, 'dst', comment, '-j RETURN'));
        for (const set of named) deviceRules.add(rule('-A', out, match, '-m set --match-set', set, 'dst', comment, '-j RETURN'));
        // The data names no destination: any internet address, but not the home network.
        if (a.to.any) deviceRules.add(rule('-A', out, match, '-m set ! --match-set', `nn_lan${v}`, 'dst', comment, '-j RETURN'));
      }
    }
    for (const l of d.local) {
      const set = peerSet(l, v);
      if (!set) continue;
      if (l.initiator === 'device') {
        for (const match of l4(l.service, v) ?? []) deviceRules.add(rule('-A', out, match, '-m set --match-set', set, 'dst', comment, '-j RETURN'));
      } else {
        // The peer's opening packets, and the device's packets back in that conversation.
        for (const match of l4(l.service, v) ?? []) deviceRules.add(rule('-A', peer, match, '-m set --match-set', set, 'src', comment, '-j RETURN'));
        for (const match of l4(l.service, v, 'sport') ?? []) deviceRules.add(rule('-A', peerReply, match, '-m set --match-set', set, 'dst', comment, '-j RETURN'));
      }
    }
    for (const chain of [out, peer, peerReply]) for (const r of refuse(policy, d, chain, v)) deviceRules.add(r);
    for (const r of deviceRules) rules.add(r);
  }
  const usage = [
    '',
    `Load after the ipset file: ${v === 4 ? 'iptables' : 'ip6tables'}-restore --noflush < <this file>`,
    '(--noflush keeps your other rules). It puts one jump first in FORWARD, mangle PREROUTING and nat PREROUTING;',
    'remove them before loading again. Allowed traffic returns to your own FORWARD rules; everything else from or to',
    'the devices is refused, and their DNS to any server is answered by this router (port 53 redirected).',
    ...policy.devices.filter((d) => d.ipv6 === 'closed').map((d) => `IPv6 of ${d.tag}: given by IPv4 only, so these rules cannot see its IPv6 traffic; give its MAC (then IPv6 follows the policy) or use the nftables format, which closes it.`),
    ...conntrackFlush(policy),
  ];
  const table = (name: string, own: string, lines: Lines) => `*${name}\n${own}${lines.text()}COMMIT\n`;
  return header(policy, '#', usage)
    + table('mangle', ':NETNEEDS_LEARN - [0:0]\n', learn)
    + (v === 4 || policy.mode === 'enforce' ? table('nat', ':NETNEEDS_DNS - [0:0]\n', dns) : '')
    + table('filter', chains.text(), rules);
}

function ipsetFile(policy: Policy): string {
  const lines = new Lines();
  const named = new Set<string>();
  const create = (name: string, type: 'hash:ip' | 'hash:net', v: 4 | 6, members: string[], flush = true) => {
    lines.add(`create ${name} ${type} family ${v === 4 ? 'inet' : 'inet6'} -exist`);
    if (flush) lines.add(`flush ${name}`);
    for (const m of members) lines.add(`add ${name} ${m} -exist`);
  };
  // Not flushed: dnsmasq does not refill a set from its cache, so a reload would cut the devices off.
  const createNamed = (name: string, v: 4 | 6) => {
    const set = nameIpset(name, v);
    if (!named.has(set)) { named.add(set); create(set, 'hash:ip', v, [], false); }
  };
  if (policy.devices.some(usesHomeAssistant)) for (const v of [4, 6] as const) create(`nn_ha${v}`, 'hash:net', v, v === 4 ? policy.homeAssistant.v4 : policy.homeAssistant.v6);
  if (policy.devices.some(usesController)) for (const v of [4, 6] as const) create(`nn_ctl${v}`, 'hash:net', v, v === 4 ? policy.controllers.v4 : policy.controllers.v6);
  if (policy.devices.some(usesLan)) for (const v of [4, 6] as const) create(`nn_lan${v}`, 'hash:net', v, v === 4 ? policy.lan.v4 : policy.lan.v6);
  for (const d of policy.devices) {
    for (const v of [4, 6] as const) create(srcSet(d, v), 'hash:net', v, v === 4 ? d.sources.v4 : d.sources.v6);
    if (d.sources.macs.length) for (const v of [4, 6] as const) lines.add(`create ${seenSet(d, v)} hash:ip family ${v === 4 ? 'inet' : 'inet6'} timeout ${LEARN_TIMEOUT} -exist`);
    for (const a of d.allow) {
      const names = [...a.to.hosts, ...a.to.domains];
      for (const v of [4, 6] as const) {
        if (l4(a.service, v) === null) continue;
        const statics = v === 4 ? a.to.v4 : a.to.v6;
        if (statics.length) create(ipsetName(d, a.key, v), 'hash:net', v, statics);
        for (const name of names) createNamed(name, v);
      }
      // dnsmasq adds to both families' sets of every name.
      for (const name of names) for (const v of [4, 6] as const) createNamed(name, v);
    }
  }
  const usage = ['', 'Load first: ipset restore < <this file>; then the iptables and ip6tables files.'];
  return header(policy, '#', usage) + lines.text();
}

export function dnsmasqIpset(policy: Policy): string {
  const usage = ['', 'dnsmasq snippet for the ipset sets above: put it into /etc/dnsmasq.d/ and restart dnsmasq.'];
  return header(policy, '#', usage) + dnsmasqSetLines(policy, 'ipset', (name) => [nameIpset(name, 4), nameIpset(name, 6)]);
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
