// nftables: named sets for destinations (static addresses, and addresses dnsmasq adds as it resolves the names),
// one chain per device, named counters. Shared by the standalone table and the OpenWrt fw4 include.
import { LAN, nameSets, usesController, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { dnsmasqLine, header, portList, type Format } from './format.js';

export interface NftNames {
  prefix: string;
  table: { family: 'inet'; name: string };
}

const setName = (n: NftNames, d: DevicePlan, i: number, kind: 'a4' | 'a6' | 'n4' | 'n6') => `${n.prefix}${d.tag}_s${i + 1}_${kind}`;

function l4(s: Service, version: 4 | 6): string | null {
  if (s.protocol === 'icmp') return version === 4 ? 'meta l4proto icmp' : null;
  if (s.protocol === 'icmpv6') return version === 6 ? 'meta l4proto ipv6-icmp' : null;
  if (s.protocol === 'any') return '';
  const ports = portList(s.ports);
  return `${s.protocol} dport ${ports.length === 1 ? ports[0] : `{ ${ports.join(', ')} }`}`;
}

function set(name: string, version: 4 | 6, elements: string[], flags: string[] = [], comment?: string): string {
  const body = [`type ${version === 4 ? 'ipv4_addr' : 'ipv6_addr'}`];
  if (flags.length) body.push(`flags ${flags.join(', ')}`);
  if (comment) body.push(`comment "${comment}"`);
  if (elements.length) body.push(`elements = { ${elements.join(', ')} }`);
  return `  set ${name} {\n${body.map((b) => `    ${b}`).join('\n')}\n  }`;
}

const family = (v: 4 | 6) => (v === 4 ? 'ip' : 'ip6');

function peerSets(n: NftNames, l: LocalRule): Record<4 | 6, string> | null {
  if (l.peer === 'controller') return { 4: `${n.prefix}ctl4`, 6: `${n.prefix}ctl6` };
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return { 4: `${n.prefix}lan4`, 6: `${n.prefix}lan6` };
  return null; // multicast and broadcast stay on the link: a router does not forward them
}

function refuseRules(d: DevicePlan, counter: string): string[] {
  return d.refuse === 'reject'
    ? [`meta l4proto tcp counter name ${counter} reject with tcp reset`, `counter name ${counter} reject with icmpx type admin-prohibited`]
    : [`counter name ${counter} drop`];
}

/** The sets, counters and chains of a policy, indented for a table body. */
export function nftBody(policy: Policy, n: NftNames): string {
  const sets: string[] = [];
  const counters: string[] = [];
  const chains: string[] = [];
  const dispatch: string[] = [];
  const lan: Record<4 | 6, string> = { 4: `${n.prefix}lan4`, 6: `${n.prefix}lan6` };
  const needLan = policy.devices.some(usesLan);
  if (policy.devices.some(usesController)) {
    sets.push(set(`${n.prefix}ctl4`, 4, policy.controller.v4, ['interval'], 'Home Assistant (IPv4)'));
    sets.push(set(`${n.prefix}ctl6`, 6, policy.controller.v6, ['interval'], 'Home Assistant (IPv6)'));
  }
  if (needLan) {
    sets.push(set(lan[4], 4, LAN.v4, ['interval'], 'private networks (IPv4)'));
    sets.push(set(lan[6], 6, LAN.v6, ['interval'], 'private networks (IPv6)'));
  }
  for (const d of policy.devices) {
    const allowed = `${n.prefix}${d.tag}_allowed`;
    const refused = `${n.prefix}${d.tag}_refused`;
    const out = `${n.prefix}${d.tag}_out`;
    const inward = `${n.prefix}${d.tag}_in`;
    counters.push(`  counter ${allowed} {\n  }`, `  counter ${refused} {\n  }`);
    sets.push(set(`${n.prefix}${d.tag}_src4`, 4, d.sources.v4, ['interval'], `${d.tag} addresses (IPv4)`));
    sets.push(set(`${n.prefix}${d.tag}_src6`, 6, d.sources.v6, ['interval'], `${d.tag} addresses (IPv6)`));
    dispatch.push(`ip saddr @${n.prefix}${d.tag}_src4 jump ${out}`, `ip6 saddr @${n.prefix}${d.tag}_src6 jump ${out}`);
    if (d.sources.macs.length) dispatch.push(`ether saddr { ${d.sources.macs.join(', ')} } jump ${out}`);
    dispatch.push(`ip daddr @${n.prefix}${d.tag}_src4 jump ${inward}`, `ip6 daddr @${n.prefix}${d.tag}_src6 jump ${inward}`);

    const outRules = ['ct state established,related accept'];
    d.allow.forEach((rule, i) => {
      for (const v of [4, 6] as const) {
        const match = l4(rule.service, v);
        if (match === null) continue;
        const statics = v === 4 ? rule.to.v4 : rule.to.v6;
        if (statics.length) {
          const name = setName(n, d, i, v === 4 ? 'a4' : 'a6');
          sets.push(set(name, v, statics, ['interval']));
          outRules.push(`${family(v)} daddr @${name} ${match} counter name ${allowed} accept`.replace('  ', ' '));
        }
        if (rule.to.hosts.length || rule.to.domains.length) {
          const name = setName(n, d, i, v === 4 ? 'n4' : 'n6');
          sets.push(set(name, v, []));
          outRules.push(`${family(v)} daddr @${name} ${match} counter name ${allowed} accept`.replace('  ', ' '));
        }
        // The data names no destination: any internet address, but not the private networks.
        if (rule.to.any) outRules.push(`${family(v)} daddr != @${lan[v]} ${match} counter name ${allowed} accept`.replace('  ', ' '));
      }
    });
    const inRules = ['ct state established,related accept'];
    for (const l of d.local) {
      const peer = peerSets(n, l);
      if (!peer) continue;
      for (const v of [4, 6] as const) {
        const match = l4(l.service, v);
        if (match === null) continue;
        const rule = `${family(v)} ${l.initiator === 'device' ? 'daddr' : 'saddr'} @${peer[v]} ${match} counter name ${allowed} accept`.replace('  ', ' ');
        (l.initiator === 'device' ? outRules : inRules).push(rule);
      }
    }
    outRules.push(...refuseRules(d, refused));
    inRules.push(...refuseRules(d, refused));
    chains.push(chain(out, [...new Set(outRules)]), chain(inward, [...new Set(inRules)]));
  }
  const base = chain(`${n.prefix}forward`, dispatch, 'type filter hook forward priority filter - 1; policy accept;');
  return [...sets, ...counters, ...chains, base].join('\n');
}

function chain(name: string, rules: string[], hook?: string): string {
  return `  chain ${name} {\n${[...(hook ? [hook] : []), ...rules].map((r) => `    ${r}`).join('\n')}\n  }`;
}

/** dnsmasq lines that put the addresses of allowed names into the policy's sets as dnsmasq resolves them. */
export function dnsmasqNftset(policy: Policy, n: NftNames): string {
  const entries = policy.devices.flatMap((d) => d.allow.map((rule, i) => ({
    to: rule.to,
    sets: [
      ...(l4(rule.service, 4) !== null ? [`4#${n.table.family}#${n.table.name}#${setName(n, d, i, 'n4')}`] : []),
      ...(l4(rule.service, 6) !== null ? [`6#${n.table.family}#${n.table.name}#${setName(n, d, i, 'n6')}`] : []),
    ],
  })));
  return nameSets(entries).map(({ name, sets }) => dnsmasqLine(`nftset=/${name}/${sets.join(',')}`)).join('');
}

const STANDALONE: NftNames = { prefix: '', table: { family: 'inet', name: 'netneeds' } };

export const nftablesFormat: Format = {
  name: 'nftables',
  summary: 'a self-contained nftables table (nft -f) and the dnsmasq nftset lines that fill its sets',
  render(policy) {
    const t = `${STANDALONE.table.family} ${STANDALONE.table.name}`;
    const usage = [
      '',
      'Load: nft -f <this file>; the table replaces an earlier one of the same name.',
      'Put the .dnsmasq-nftset.conf file into /etc/dnsmasq.d/ and restart dnsmasq: it adds the addresses of',
      'allowed names to the sets as devices look them up, so devices must use this dnsmasq for DNS.',
      `Device addresses: nft add element ${t} d1_src4 '{ 192.168.1.50 }' (or regenerate with the address).`,
      ...(policy.devices.some(usesController) ? [`Home Assistant: nft add element ${t} ctl4 '{ 192.168.1.10 }'.`] : []),
      `Counters: nft list counters table ${t}`,
    ];
    const nft = `#!/usr/sbin/nft -f\n${header(policy, '#', usage)}\ntable ${t}\ndelete table ${t}\n\ntable ${t} {\n${nftBody(policy, STANDALONE)}\n}\n`;
    const dnsmasq = header(policy, '#', ['', 'dnsmasq snippet for the nftables table inet netneeds; needs dnsmasq 2.87+ built with nftset.']) + dnsmasqNftset(policy, STANDALONE);
    return [{ name: 'nft', content: nft }, { name: 'dnsmasq-nftset.conf', content: dnsmasq }];
  },
};
