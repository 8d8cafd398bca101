// nftables: named sets for destinations (static addresses, and addresses dnsmasq adds as it resolves the names),
// one chain per device and direction, named counters. Shared by the standalone table and the OpenWrt include.
//
// Every device chain only returns (no objection) or refuses, so the verdict for traffic between two listed devices is
// the same whatever their order: both devices' chains run. Loading again keeps the sets dnsmasq filled (`flush table`
// empties chains, not sets), because dnsmasq does not refill them from its cache.
import { nameSets, shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { oncePer } from '../../lib/memo.js';
import { conntrackFlush, dnsmasqLine, header, logPrefix, portList, type Format } from './format.js';

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
const addressSet = (d: DevicePlan, key: string, v: 4 | 6) => `${d.tag}_${key}_a${v}`;
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

interface SetDef { name: string; type: string; flags: string[]; elements?: string[]; comment?: string; timeout?: string }

function declare(s: SetDef, withElements: boolean): string {
  const body = [`type ${s.type}`];
  if (s.flags.length) body.push(`flags ${s.flags.join(', ')}`);
  if (s.timeout) body.push(`timeout ${s.timeout}`);
  if (s.comment) body.push(`comment "${s.comment}"`);
  if (withElements && s.elements?.length) body.push(`elements = { ${s.elements.join(', ')} }`);
  return `  set ${s.name} {\n${body.map((b) => `    ${b}`).join('\n')}\n  }`;
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

/** The complete nft script: idempotent declarations, `flush table`, then the static elements and the rules. */
export const nftScript = oncePer(buildNftScript);

function buildNftScript(policy: Policy): string {
  const sets: SetDef[] = [];
  const counters: string[] = [];
  const chains = new Map<string, { hook?: string; rules: string[] }>();
  const chain = (name: string, hook?: string) => { const c = { ...(hook ? { hook } : {}), rules: [] as string[] }; chains.set(name, c); return c.rules; };
  const staticSet = (name: string, v: 4 | 6, elements: string[], comment?: string) =>
    sets.push({ name, type: v === 4 ? 'ipv4_addr' : 'ipv6_addr', flags: ['interval'], elements, ...(comment ? { comment } : {}) });

  const declared = new Set<string>();
  const pre = chain('learn', 'type filter hook prerouting priority filter - 1; policy accept;');
  const nat = chain('dns', 'type nat hook prerouting priority dstnat; policy accept;');
  const forward = chain('forward', 'type filter hook forward priority filter - 1; policy accept;');

  if (policy.devices.some(usesHomeAssistant)) {
    staticSet('ha4', 4, policy.homeAssistant.v4, 'Home Assistant (IPv4)');
    staticSet('ha6', 6, policy.homeAssistant.v6, 'Home Assistant (IPv6)');
  }
  if (policy.devices.some(usesController)) {
    staticSet('ctl4', 4, policy.controllers.v4, 'MUD controller (IPv4)');
    staticSet('ctl6', 6, policy.controllers.v6, 'MUD controller (IPv6)');
  }
  if (policy.devices.some(usesLan)) {
    staticSet('lan4', 4, policy.lan.v4, 'home network (IPv4)');
    staticSet('lan6', 6, policy.lan.v6, 'home network (IPv6)');
  }
  for (const d of policy.devices) {
    const allowed = `${d.tag}_allowed`;
    const refused = `${d.tag}_refused`;
    const out = `${d.tag}_out`;
    const inward = `${d.tag}_in`;
    const peer = `${d.tag}_peer`;
    const learned = learnKey(d);
    counters.push(allowed, refused);
    staticSet(`${d.tag}_src4`, 4, d.sources.v4, `${d.tag} addresses (IPv4)`);
    staticSet(`${d.tag}_src6`, 6, d.sources.v6, `${d.tag} addresses (IPv6)`);
    const seen = { 4: `${d.tag}_${learned}_seen4`, 6: `${d.tag}_${learned}_seen6` } as const;
    const dynamic = (name: string, type: string) => sets.push({ name, type, flags: ['dynamic', 'timeout'], timeout: '1d' });
    const rpf = 'fib saddr . iif oif exists';
    // A device's other addresses are learned from its MAC on the way in (reverse-path checked, so a spoofed packet
    // from elsewhere teaches nothing): the MAC from its IPv4 traffic when only IPv4 was given.
    let mac: string | undefined;
    if (d.sources.macs.length) {
      mac = `${d.tag}_mac`;
      sets.push({ name: mac, type: 'ether_addr', flags: [], elements: d.sources.macs, comment: `${d.tag} MAC addresses` });
      dynamic(seen[4], 'ipv4_addr');
      pre.push(`ether saddr @${mac} ip saddr != 0.0.0.0 ${rpf} update @${seen[4]} { ip saddr }`);
    } else {
      mac = `${d.tag}_${learned}_macl`;
      dynamic(mac, 'ether_addr');
      pre.push(`ip saddr @${d.tag}_src4 ${rpf} update @${mac} { ether saddr }`);
    }
    dynamic(seen[6], 'ipv6_addr');
    pre.push(`ether saddr @${mac} ip6 saddr != { ::, fe80::/10 } ${rpf} update @${seen[6]} { ip6 saddr }`);

    if (d.ipv6 === 'closed') {
      // Given by IPv4 only: every IPv6 packet from the device's MAC, or to its IPv6 addresses, is refused, replies too.
      const closed = `${d.tag}_v6closed`;
      chain(closed).push(...refuseRules(policy, d, refused));
      forward.push(`ether saddr @${mac} meta nfproto ipv6 jump ${closed}`, `ip6 daddr @${seen[6]} jump ${closed}`);
    }
    const fromDevice = [...sourceMatches(d, 'saddr'), ...(d.sources.macs.length ? [`ether saddr @${mac}`] : [])];
    const toDevice = [...sourceMatches(d, 'daddr'), ...(d.sources.macs.length ? [`ip daddr @${seen[4]}`] : []), ...(d.ipv6 === 'open' ? [`ip6 daddr @${seen[6]}`] : [])];
    for (const m of fromDevice) forward.push(`${m} jump ${out}`);
    for (const m of toDevice) forward.push(`${m} jump ${inward}`);
    // DNS goes to the router's resolver, whatever server the device asks (not in log mode, which changes nothing).
    if (policy.mode === 'enforce') {
      for (const m of fromDevice.filter((x) => !(d.ipv6 === 'closed' && x.startsWith('ip6')))) nat.push(`${m} meta l4proto { tcp, udp } th dport 53 redirect`);
    }

    // A packet the device sends in a conversation a peer opened is judged by the rules for that peer.
    const outRules = [`ct direction reply goto ${peer}`, 'ct state established,related return'];
    for (const rule of d.allow) {
      for (const v of [4, 6] as const) {
        const match = l4(rule.service, v);
        if (match === null) continue;
        const statics = v === 4 ? rule.to.v4 : rule.to.v6;
        if (statics.length) {
          const name = addressSet(d, rule.key, v);
          staticSet(name, v, statics);
          outRules.push(join(`${family(v)} daddr @${name}`, match, `counter name ${allowed} return`));
        }
        for (const host of [...rule.to.hosts, ...rule.to.domains]) {
          const name = nameSet(host, v);
          if (!declared.has(host)) {
            declared.add(host);
            for (const w of [4, 6] as const) sets.push({ name: nameSet(host, w), type: w === 4 ? 'ipv4_addr' : 'ipv6_addr', flags: [] });
          }
          outRules.push(join(`${family(v)} daddr @${name}`, match, `counter name ${allowed} return`));
        }
        // The data names no destination: any internet address, but not the home network.
        if (rule.to.any) outRules.push(join(`${family(v)} daddr != @lan${v}`, match, `counter name ${allowed} return`));
      }
    }
    const peerRules: string[] = [];
    for (const l of d.local) {
      const set = peerSet(l);
      if (!set) continue;
      for (const v of [4, 6] as const) {
        if (l.initiator === 'device') {
          const match = l4(l.service, v);
          if (match !== null) outRules.push(join(`${family(v)} daddr @${set[v]}`, match, `counter name ${allowed} return`));
        } else {
          const match = l4Original(l.service, v);
          if (match !== null) peerRules.push(join(`ct original ${family(v)} saddr @${set[v]}`, match, `counter name ${allowed} return`));
        }
      }
    }
    chain(out).push(...new Set(outRules), ...refuseRules(policy, d, refused));
    // Replies to conversations the device opened passed its own rules when they opened.
    chain(inward).push(`ct direction reply return`, `goto ${peer}`);
    chain(peer).push(...new Set(peerRules), ...refuseRules(policy, d, refused));
  }

  const declarations = [
    ...sets.map((s) => declare(s, false)),
    ...counters.map((c) => `  counter ${c} {\n  }`),
    ...[...chains.entries()].map(([name, c]) => `  chain ${name} {${c.hook ? `\n    ${c.hook}` : ''}\n  }`),
  ];
  const statics = sets.filter((s) => s.elements);
  const body = [
    ...statics.filter((s) => s.elements!.length).map((s) => `  set ${s.name} {\n    type ${s.type}\n${s.flags.length ? `    flags ${s.flags.join(', ')}\n` : ''}    elements = { ${s.elements!.join(', ')} }\n  }`),
    ...[...chains.entries()].filter(([, c]) => c.rules.length).map(([name, c]) => `  chain ${name} {\n${c.rules.map((r) => `    ${r}`).join('\n')}\n  }`),
  ];
  return [
    `table ${T} {\n${declarations.join('\n')}\n}`,
    `flush table ${T}`,
    ...statics.map((s) => `flush set ${T} ${s.name}`),
    `table ${T} {\n${body.join('\n')}\n}`,
  ].join('\n') + '\n';
}

/** dnsmasq lines that put the addresses of allowed names into the policy's sets as dnsmasq resolves them. */
export const dnsmasqNftset = oncePer(buildDnsmasqNftset);

function buildDnsmasqNftset(policy: Policy): string {
  const hosts = new Set<string>();
  const domains = new Set<string>();
  for (const d of policy.devices) for (const rule of d.allow) { for (const h of rule.to.hosts) hosts.add(h); for (const w of rule.to.domains) domains.add(w); }
  const sets = (name: string) => ([4, 6] as const).map((v) => `${v}#${TABLE.family}#${TABLE.name}#${nameSet(name, v)}`);
  const entries = [
    ...[...hosts].map((h) => ({ to: { hosts: [h], domains: [] }, sets: sets(h) })),
    ...[...domains].map((w) => ({ to: { hosts: [], domains: [w] }, sets: sets(w) })),
  ];
  return nameSets(entries).map(({ name, sets: s }) => dnsmasqLine(`nftset=/${name}/${s.join(',')}`)).join('');
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
