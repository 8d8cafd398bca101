// nftables: named sets for destinations (static addresses, and addresses dnsmasq adds as it resolves the names),
// one chain per device and direction, named counters. Shared by the standalone table and the OpenWrt include.
//
// Every device chain only returns (no objection) or refuses, so the verdict for traffic between two listed devices is
// the same whatever their order: both devices' chains run. Loading again keeps the sets dnsmasq filled (`flush table`
// empties chains, not sets), because dnsmasq does not refill them from its cache.
import { shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { oncePer } from '../../lib/memo.js';
import { conntrackFlush, dnsmasqSetLines, header, Lines, logPrefix, portList, type Format } from './format.js';

export const TABLE = { family: 'inet', name: 'netneeds' } as const;
const T = `${TABLE.family} ${TABLE.name}`;

const family = (v: 4 | 6) => (v === 4 ? 'ip' : 'ip6');
/** A rule from its parts; an empty match (any protocol) leaves no double space. */
const join = (head: string, match: string, tail: string) => (match ? `${head} ${match} ${tail}` : `${head} ${tail}`);
/**
 * One set per allowed name, shared by every device and rule that allows it: dnsmasq then lists at most a few sets per
 * name (its own and its allowed wildcard parents'), however many devices a policy holds, and a set keeps its meaning
 * whatever else is regenerated.
 */
const nameSetNames = { 4: new Map<string, string>(), 6: new Map<string, string>() };
export function nameSet(name: string, v: 4 | 6): string {
  // Memoized: the script and the dnsmasq lines ask for the same names, once per device that allows them.
  const memo = nameSetNames[v];
  let set = memo.get(name);
  if (set === undefined) {
    if (memo.size > 1_000_000) memo.clear();
    set = `n${v}_${shortHash(name)}`;
    memo.set(name, set);
  }
  return set;
}
/** Sets the router fills by itself (learned MACs and addresses) are named after the device and its addresses. */
export const learnKey = oncePer((d: DevicePlan): string => shortHash(JSON.stringify([d.id, d.sources]), 8));

function l4(s: Service, version: 4 | 6): string | null {
  if (s.protocol === 'icmp') return version === 4 ? 'meta l4proto icmp' : null;
  if (s.protocol === 'icmpv6') return version === 6 ? 'meta l4proto ipv6-icmp' : null;
  if (s.protocol === 'any') return '';
  const ports = portList(s.ports);
  return `${s.protocol} dport ${ports.length === 1 ? ports[0] : `{ ${ports.join(', ')} }`}`;
}

/** The same match on the conversation's opening packet, for judging both directions of a peer-opened flow. */
function l4Original(s: Service, version: 4 | 6): string | null {
  if (s.protocol === 'icmp') return version === 4 ? 'meta l4proto icmp' : null;
  if (s.protocol === 'icmpv6') return version === 6 ? 'meta l4proto ipv6-icmp' : null;
  if (s.protocol === 'any') return '';
  const ports = portList(s.ports);
  return `meta l4proto ${s.protocol} ct original proto-dst ${ports.length === 1 ? ports[0] : `{ ${ports.join(', ')} }`}`;
}

function peerSet(l: LocalRule): Record<4 | 6, string> | null {
  if (l.peer === 'home-assistant') return { 4: 'ha4', 6: 'ha6' };
  if (l.peer === 'controller') return { 4: 'ctl4', 6: 'ctl6' };
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return { 4: 'lan4', 6: 'lan6' };
  return null; // the router answers itself; multicast and broadcast stay on the link
}

function refuseRules(policy: Policy, d: DevicePlan, counter: string): string[] {
  if (policy.mode === 'log') return [`ct state new counter name ${counter} log prefix "${logPrefix(d)}"`, 'return'];
  return d.refuse === 'reject'
    ? [`meta l4proto tcp counter name ${counter} reject with tcp reset`, `counter name ${counter} reject with icmpx type admin-prohibited`]
    : [`counter name ${counter} drop`];
}

const sourceMatches = (d: DevicePlan, dir: 'saddr' | 'daddr') => [
  `ip ${dir} @${d.tag}_src4`, `ip6 ${dir} @${d.tag}_src6`,
];

const addressType = (v: 4 | 6) => (v === 4 ? 'ipv4_addr' : 'ipv6_addr');
const chainBody = (name: string, rules: string) => `  chain ${name} {\n${rules}  }`;

/** The complete nft script: idempotent declarations, `flush table`, then the static elements and the rules. */
export const nftScript = oncePer(buildNftScript);

/**
 * Written part by part as the devices come (each part in script order), then put together: the declarations of every
 * set, counter and chain; a flush of every static set; the static sets' elements; the shared chains; the devices' chains.
 */
function buildNftScript(policy: Policy): string {
  const setDeclarations = new Lines();
  const counters = new Lines();
  const chainDeclarations = new Lines();
  const flushes = new Lines();
  const elements = new Lines();
  const deviceChains = new Lines();
  /** A set with static elements (none is still static: it is flushed on every load). */
  const staticSet = (name: string, type: string, flags: string, members: string[], comment?: string) => {
    const head = `  set ${name} {\n    type ${type}\n${flags ? `    flags ${flags}\n` : ''}`;
    setDeclarations.add(`${head}${comment ? `    comment "${comment}"\n` : ''}  }`);
    flushes.add(`flush set ${T} ${name}`);
    if (members.length) elements.add(`${head}    elements = { ${members.join(', ')} }\n  }`);
  };
  const addressSet = (name: string, v: 4 | 6, members: string[], comment?: string) => staticSet(name, addressType(v), 'interval', members, comment);
  const dynamic = (name: string, type: string) => setDeclarations.add(`  set ${name} {\n    type ${type}\n    flags dynamic, timeout\n    timeout 1d\n  }`);
  const deviceChain = (name: string, rules: Iterable<string>) => {
    chainDeclarations.add(`  chain ${name} {\n  }`);
    let text = '';
    for (const r of rules) text += `    ${r}\n`;
    deviceChains.add(chainBody(name, text));
  };

  const declared = new Set<string>();
  const shared = { learn: 'type filter hook prerouting priority filter - 1; policy accept;', dns: 'type nat hook prerouting priority dstnat; policy accept;', forward: 'type filter hook forward priority filter - 1; policy accept;' };
  for (const [name, hook] of Object.entries(shared)) chainDeclarations.add(`  chain ${name} {\n    ${hook}\n  }`);
  const pre = new Lines();
  const nat = new Lines();
  const forward = new Lines();

  if (policy.devices.some(usesHomeAssistant)) {
    addressSet('ha4', 4, policy.homeAssistant.v4, 'Home Assistant (IPv4)');
    addressSet('ha6', 6, policy.homeAssistant.v6, 'Home Assistant (IPv6)');
  }
  if (policy.devices.some(usesController)) {
    addressSet('ctl4', 4, policy.controllers.v4, 'MUD controller (IPv4)');
    addressSet('ctl6', 6, policy.controllers.v6, 'MUD controller (IPv6)');
  }
  if (policy.devices.some(usesLan)) {
    addressSet('lan4', 4, policy.lan.v4, 'home network (IPv4)');
    addressSet('lan6', 6, policy.lan.v6, 'home network (IPv6)');
  }
  for (const d of policy.devices) {
    const allowed = `${d.tag}_allowed`;
    const refused = `${d.tag}_refused`;
    const out = `${d.tag}_out`;
    const inward = `${d.tag}_in`;
    const peer = `${d.tag}_peer`;
    const learned = learnKey(d);
    counters.add(`  counter ${allowed} {\n  }`);
    counters.add(`  counter ${refused} {\n  }`);
    addressSet(`${d.tag}_src4`, 4, d.sources.v4, `${d.tag} addresses (IPv4)`);
    addressSet(`${d.tag}_src6`, 6, d.sources.v6, `${d.tag} addresses (IPv6)`);
    const seen = { 4: `${d.tag}_${learned}_seen4`, 6: `${d.tag}_${learned}_seen6` } as const;
    const rpf = 'fib saddr . iif oif exists';
    // A device's other addresses are learned from its MAC on the way in (reverse-path checked, so a spoofed packet
    // from elsewhere teaches nothing): the MAC from its IPv4 traffic when only IPv4 was given.
    let mac: string | undefined;
    if (d.sources.macs.length) {
      mac = `${d.tag}_mac`;
      staticSet(mac, 'ether_addr', '', d.sources.macs, `${d.tag} MAC addresses`);
      dynamic(seen[4], 'ipv4_addr');
      pre.add(`    ether saddr @${mac} ip saddr != 0.0.0.0 ${rpf} update @${seen[4]} { ip saddr }`);
    } else {
      mac = `${d.tag}_${learned}_macl`;
      dynamic(mac, 'ether_addr');
      pre.add(`    ip saddr @${d.tag}_src4 ${rpf} update @${mac} { ether saddr }`);
    }
    dynamic(seen[6], 'ipv6_addr');
    pre.add(`    ether saddr @${mac} ip6 saddr != { ::, fe80::/10 } ${rpf} update @${seen[6]} { ip6 saddr }`);

    if (d.ipv6 === 'closed') {
      // Given by IPv4 only: every IPv6 packet from the device's MAC, or to its IPv6 addresses, is refused, replies too.
      const closed = `${d.tag}_v6closed`;
      deviceChain(closed, refuseRules(policy, d, refused));
      forward.add(`    ether saddr @${mac} meta nfproto ipv6 jump ${closed}`);
      forward.add(`    ip6 daddr @${seen[6]} jump ${closed}`);
    }
    const fromDevice = [...sourceMatches(d, 'saddr'), ...(d.sources.macs.length ? [`ether saddr @${mac}`] : [])];
    const toDevice = [...sourceMatches(d, 'daddr'), ...(d.sources.macs.length ? [`ip daddr @${seen[4]}`] : []), ...(d.ipv6 === 'open' ? [`ip6 daddr @${seen[6]}`] : [])];
    for (const m of fromDevice) forward.add(`    ${m} jump ${out}`);
    for (const m of toDevice) forward.add(`    ${m} jump ${inward}`);
    // DNS goes to the router's resolver, whatever server the device asks (not in log mode, which changes nothing).
    if (policy.mode === 'enforce') {
      for (const m of fromDevice) if (!(d.ipv6 === 'closed' && m.startsWith('ip6'))) nat.add(`    ${m} meta l4proto { tcp, udp } th dport 53 redirect`);
    }

    // A packet the device sends in a conversation a peer opened is judged by the rules for that peer.
    const outRules = new Set([`ct direction reply goto ${peer}`, 'ct state established,related return']);
    for (const rule of d.allow) {
      for (const v of [4, 6] as const) {
        const match = l4(rule.service, v);
        if (match === null) continue;
        const statics = v === 4 ? rule.to.v4 : rule.to.v6;
        const tail = `counter name ${allowed} return`;
        if (statics.length) {
          const name = `${d.tag}_${rule.key}_a${v}`;
          addressSet(name, v, statics);
          outRules.add(join(`${family(v)} daddr @${name}`, match, tail));
        }
        for (const names of [rule.to.hosts, rule.to.domains]) {
          for (const host of names) {
            if (!declared.has(host)) {
              declared.add(host);
              setDeclarations.add(`  set ${nameSet(host, 4)} {\n    type ipv4_addr\n  }`);
              setDeclarations.add(`  set ${nameSet(host, 6)} {\n    type ipv6_addr\n  }`);
            }
            outRules.add(join(`${family(v)} daddr @${nameSet(host, v)}`, match, tail));
          }
        }
        // The data names no destination: any internet address, but not the home network.
        if (rule.to.any) outRules.add(join(`${family(v)} daddr != @lan${v}`, match, tail));
      }
    }
    const peerRules = new Set<string>();
    for (const l of d.local) {
      const set = peerSet(l);
      if (!set) continue;
      for (const v of [4, 6] as const) {
        if (l.initiator === 'device') {
          const match = l4(l.service, v);
          if (match !== null) outRules.add(join(`${family(v)} daddr @${set[v]}`, match, `counter name ${allowed} return`));
        } else {
          const match = l4Original(l.service, v);
          if (match !== null) peerRules.add(join(`ct original ${family(v)} saddr @${set[v]}`, match, `counter name ${allowed} return`));
        }
      }
    }
    const refusal = refuseRules(policy, d, refused);
    deviceChain(out, [...outRules, ...refusal]);
    // Replies to conversations the device opened passed its own rules when they opened.
    deviceChain(inward, ['ct direction reply return', `goto ${peer}`]);
    deviceChain(peer, [...peerRules, ...refusal]);
  }

  const sharedChains = [['learn', pre], ['dns', nat], ['forward', forward]] as const;
  const body = elements.text() + sharedChains.filter(([, rules]) => rules.count).map(([name, rules]) => `${chainBody(name, rules.text())}\n`).join('') + deviceChains.text();
  return `table ${T} {\n${setDeclarations.text()}${counters.text()}${chainDeclarations.text()}}\n`
    + `flush table ${T}\n${flushes.text()}`
    + `table ${T} {\n${body || '\n'}}\n`;
}

/** dnsmasq lines that put the addresses of allowed names into the policy's sets as dnsmasq resolves them. */
export const dnsmasqNftset = oncePer(buildDnsmasqNftset);

function buildDnsmasqNftset(policy: Policy): string {
  return dnsmasqSetLines(policy, 'nftset', (name) => [`4#${TABLE.family}#${TABLE.name}#${nameSet(name, 4)}`, `6#${TABLE.family}#${TABLE.name}#${nameSet(name, 6)}`]);
}

/** What the instructions say about addresses and the steps after loading, shared with the OpenWrt variant. */
export function nftNotes(policy: Policy): string[] {
  const d1 = policy.devices[0]!.tag;
  return [
    `Device addresses: nft add element ${T} ${d1}_src4 '{ <address> }' (or regenerate with the address).`,
    ...(policy.devices.some(usesHomeAssistant) ? [`Home Assistant: nft add element ${T} ha4 '{ <address> }'.`] : []),
    ...policy.devices.filter((d) => d.ipv6 === 'closed').map((d) => `IPv6 of ${d.tag} is closed (given by IPv4 only): give its IPv6 addresses, its prefix or its MAC to open it to the policy.`),
    'DNS from the devices to any server is answered by this router (port 53 redirected); DNS over TLS is refused.',
    `Counters: nft list counters table ${T}`,
    ...conntrackFlush(policy),
  ];
}

export const nftablesFormat: Format = {
  name: 'nftables',
  summary: 'a self-contained nftables table (nft -f) and the dnsmasq nftset lines that fill its sets',
  render(policy) {
    const usage = [
      '',
      'Load: nft -f <this file>; loading again replaces the rules and keeps the addresses dnsmasq put into the sets.',
      'Remove: nft delete table inet netneeds.',
      'Put the .dnsmasq-nftset.conf file into /etc/dnsmasq.d/ and restart dnsmasq: it adds the addresses of',
      'allowed names to the sets as devices look them up, so devices must use this dnsmasq for DNS.',
      ...nftNotes(policy),
    ];
    const nft = `#!/usr/sbin/nft -f\n${header(policy, '#', usage)}\n${nftScript(policy)}`;
    const dnsmasq = header(policy, '#', ['', 'dnsmasq snippet for the nftables table inet netneeds; needs dnsmasq 2.87+ built with nftset.']) + dnsmasqNftset(policy);
    return [{ name: 'nft', content: nft }, { name: 'dnsmasq-nftset.conf', content: dnsmasq }];
  },
};
