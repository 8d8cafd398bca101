// MikroTik RouterOS 7: address lists (RouterOS resolves the DNS names in them and keeps the addresses current)
// and filter rules in jump chains. Every entry carries comment=netneeds, so the script first removes its old copy.
import { LAN, usesController, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { header, portList, type Format } from './format.js';

const TAG = 'comment=netneeds';
/** RouterOS, like xt_multiport, takes at most 15 ports in one dst-port. */
const PORTS_MAX = 15;

function l4(s: Service, v: 4 | 6): string[] | null {
  if (s.protocol === 'icmp') return v === 4 ? ['protocol=icmp'] : null;
  if (s.protocol === 'icmpv6') return v === 6 ? ['protocol=icmpv6'] : null;
  if (s.protocol === 'any') return [''];
  const ports = portList(s.ports);
  const out: string[] = [];
  for (let i = 0; i < ports.length; i += PORTS_MAX) out.push(`protocol=${s.protocol} dst-port=${ports.slice(i, i + PORTS_MAX).join(',')}`);
  return out;
}

const add = (...parts: string[]) => ['add', ...parts.filter((p) => p !== ''), TAG].join(' ');
const list = (d: DevicePlan, i: number) => `netneeds-${d.tag}-s${i + 1}`;

function peerList(l: LocalRule): string | null {
  if (l.peer === 'controller') return 'netneeds-ctl';
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return 'netneeds-lan';
  return null;
}

function family(policy: Policy, v: 4 | 6): string[] {
  const menu = v === 4 ? '/ip firewall' : '/ipv6 firewall';
  const lists: string[] = [];
  const filters: string[] = [];
  const entry = (name: string, address: string) => lists.push(add(`list=${name}`, `address=${address}`));
  if (policy.devices.some(usesController)) for (const a of v === 4 ? policy.controller.v4 : policy.controller.v6) entry('netneeds-ctl', a);
  if (policy.devices.some(usesLan)) for (const a of v === 4 ? LAN.v4 : LAN.v6) entry('netneeds-lan', a);
  for (const d of policy.devices) {
    const out = `netneeds-${d.tag}-out`;
    const inward = `netneeds-${d.tag}-in`;
    for (const a of v === 4 ? d.sources.v4 : d.sources.v6) entry(`netneeds-${d.tag}-src`, a);
    filters.push(add('chain=forward action=jump', `jump-target=${out}`, `src-address-list=netneeds-${d.tag}-src`));
    for (const mac of d.sources.macs) filters.push(add('chain=forward action=jump', `jump-target=${out}`, `src-mac-address=${mac.toUpperCase()}`));
    filters.push(add('chain=forward action=jump', `jump-target=${inward}`, `dst-address-list=netneeds-${d.tag}-src`));
    for (const chain of [out, inward]) filters.push(add(`chain=${chain}`, 'action=return connection-state=established,related'));
    d.allow.forEach((a, i) => {
      const matches = l4(a.service, v);
      if (matches === null) return;
      const addresses = [...a.to.hosts, ...(v === 4 ? a.to.v4 : a.to.v6)];
      for (const address of addresses) entry(list(d, i), address);
      if (addresses.length) for (const m of matches) filters.push(add(`chain=${out}`, 'action=return', `dst-address-list=${list(d, i)}`, m));
      // The data names no destination: any internet address, but not the private networks.
      if (a.to.any) for (const m of matches) filters.push(add(`chain=${out}`, 'action=return', 'dst-address-list=!netneeds-lan', m));
    });
    for (const l of d.local) {
      const peer = peerList(l);
      const matches = peer ? l4(l.service, v) : null;
      for (const m of matches ?? []) {
        filters.push(l.initiator === 'device'
          ? add(`chain=${out}`, 'action=return', `dst-address-list=${peer}`, m)
          : add(`chain=${inward}`, 'action=return', `src-address-list=${peer}`, m));
      }
    }
    for (const chain of [out, inward]) {
      if (d.refuse === 'drop') filters.push(add(`chain=${chain}`, 'action=drop'));
      else filters.push(add(`chain=${chain}`, 'action=reject protocol=tcp reject-with=tcp-reset'), add(`chain=${chain}`, 'action=reject reject-with=icmp-admin-prohibited'));
    }
  }
  return [
    `${menu} filter remove [find comment=netneeds]`,
    `${menu} address-list remove [find comment=netneeds]`,
    `${menu} address-list`, ...lists,
    `${menu} filter`, ...filters,
  ];
}

export const mikrotikFormat: Format = {
  name: 'mikrotik',
  summary: 'MikroTik RouterOS 7 script: address lists with DNS names and filter rules',
  render(policy) {
    const usage = [
      '',
      'RouterOS 7: /import file-name=<this file>. It first removes the entries an earlier import added (comment=netneeds).',
      'The forward jumps are appended: move them above your own accept rules (Winbox or place-before=).',
      'Allowed traffic returns to your forward chain; everything else from or to the devices is refused.',
      'Names under a wildcard cannot go into an address list; they are refused.',
      'Device addresses: /ip firewall address-list add list=netneeds-d1-src address=192.168.1.50 comment=netneeds',
    ];
    return [{ name: 'mikrotik.rsc', content: `${header(policy, '#', usage)}${[...family(policy, 4), ...family(policy, 6)].join('\n')}\n` }];
  },
};
