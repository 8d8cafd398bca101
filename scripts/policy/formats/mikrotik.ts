// MikroTik RouterOS 7: address lists (RouterOS resolves the DNS names in them and keeps the addresses current)
// and filter rules in jump chains. Every entry carries comment=netneeds:<generation>; the old generation goes last.
import { shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type LocalRule, type Policy, type Service } from '../plan.js';
import { header, Lines, portList, type Format } from './format.js';

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

/** Every entry carries the generation's comment: the new policy is complete before the old one goes. */
const tagOf = (gen: string) => `comment=netneeds:${gen}`;
const list = (gen: string, d: DevicePlan, i: number) => `netneeds-${gen}-${d.tag}-s${i + 1}`;

function peerList(gen: string, l: LocalRule): string | null {
  if (l.peer === 'home-assistant') return `netneeds-${gen}-ha`;
  if (l.peer === 'controller') return `netneeds-${gen}-ctl`;
  if (l.peer === 'lan' || l.peer === 'same-manufacturer') return `netneeds-${gen}-lan`;
  return null;
}

/** One family's part of the script, each line ending in a newline. */
function family(policy: Policy, v: 4 | 6, gen: string): string {
  const menu = v === 4 ? '/ip firewall' : '/ipv6 firewall';
  const add = (...parts: string[]) => ['add', ...parts.filter((p) => p !== ''), tagOf(gen)].join(' ');
  const lists = new Lines();
  const filters = new Lines();
  const nat = new Lines();
  const entry = (name: string, address: string) => lists.add(add(`list=${name}`, `address=${address}`));
  const lan = `netneeds-${gen}-lan`;
  if (policy.devices.some(usesHomeAssistant)) for (const a of v === 4 ? policy.homeAssistant.v4 : policy.homeAssistant.v6) entry(`netneeds-${gen}-ha`, a);
  if (policy.devices.some(usesController)) for (const a of v === 4 ? policy.controllers.v4 : policy.controllers.v6) entry(`netneeds-${gen}-ctl`, a);
  if (policy.devices.some(usesLan)) for (const a of v === 4 ? policy.lan.v4 : policy.lan.v6) entry(lan, a);
  for (const d of policy.devices) {
    const out = `netneeds-${gen}-${d.tag}-out`;
    const inward = `netneeds-${gen}-${d.tag}-in`;
    const src = `netneeds-${gen}-${d.tag}-src`;
    for (const a of v === 4 ? d.sources.v4 : d.sources.v6) entry(src, a);
    const refuse = (chain: string) => (policy.mode === 'log'
      ? [add(`chain=${chain}`, 'action=log', `log-prefix=netneeds-${d.tag}-refused`, 'connection-state=new'), add(`chain=${chain}`, 'action=return')]
      : d.refuse === 'drop' ? [add(`chain=${chain}`, 'action=drop')]
        : [add(`chain=${chain}`, 'action=reject protocol=tcp reject-with=tcp-reset'), add(`chain=${chain}`, 'action=reject reject-with=icmp-admin-prohibited')]);
    if (v === 6 && d.ipv6 === 'closed') {
      // Given by IPv4 only: RouterOS cannot learn its IPv6 addresses, so only its MAC (once given) could open them.
      const closed = `netneeds-${gen}-${d.tag}-v6closed`;
      filters.add(add('chain=forward action=jump', `jump-target=${closed}`, 'src-address-list=' + src));
      for (const r of refuse(closed)) filters.add(r);
    }
    filters.add(add('chain=forward action=jump', `jump-target=${out}`, `src-address-list=${src}`));
    for (const mac of d.sources.macs) filters.add(add('chain=forward action=jump', `jump-target=${out}`, `src-mac-address=${mac.toUpperCase()}`));
    filters.add(add('chain=forward action=jump', `jump-target=${inward}`, `dst-address-list=${src}`));
    if (policy.mode === 'enforce') for (const p of ['udp', 'tcp']) nat.add(add('chain=dstnat action=redirect to-ports=53', `src-address-list=${src}`, `protocol=${p} dst-port=53`));
    for (const chain of [out, inward]) filters.add(add(`chain=${chain}`, 'action=return connection-state=established,related'));
    d.allow.forEach((a, i) => {
      const matches = l4(a.service, v);
      if (matches === null) return;
      const addresses = [...a.to.hosts, ...(v === 4 ? a.to.v4 : a.to.v6)];
      for (const address of addresses) entry(list(gen, d, i), address);
      if (addresses.length) for (const m of matches) filters.add(add(`chain=${out}`, 'action=return', `dst-address-list=${list(gen, d, i)}`, m));
      // The data names no destination: any internet address, but not the home network.
      if (a.to.any) for (const m of matches) filters.add(add(`chain=${out}`, 'action=return', `dst-address-list=!${lan}`, m));
    });
    for (const l of d.local) {
      const peer = peerList(gen, l);
      const matches = peer ? l4(l.service, v) : null;
      for (const m of matches ?? []) {
        filters.add(l.initiator === 'device'
          ? add(`chain=${out}`, 'action=return', `dst-address-list=${peer}`, m)
          : add(`chain=${inward}`, 'action=return', `src-address-list=${peer}`, m));
      }
    }
    for (const chain of [out, inward]) for (const r of refuse(chain)) filters.add(r);
  }
  const old = `[find where comment~"^netneeds" && comment!="netneeds:${gen}"]`;
  return `${menu} address-list\n${lists.text()}`
    + `${menu} filter\n${filters.text()}`
    + `${menu} filter move [find where comment="netneeds:${gen}" && chain="forward"] destination=0\n`
    + (nat.count ? `${menu} nat\n${nat.text()}${menu} nat move [find where comment="netneeds:${gen}"] destination=0\n` : '')
    + `${menu} filter remove ${old}\n${menu} nat remove ${old}\n${menu} address-list remove ${old}\n`;
}

/** Conversations opened before the import keep flowing until their connection entries go. */
function connectionFlush(policy: Policy): string[] {
  const lines = ['Last, end the conversations the devices opened before this policy (they would keep flowing):'];
  for (const d of policy.devices) {
    if (!d.sources.v4.length) lines.push(`  /ip firewall connection remove [find where src-address~"^<address of ${d.tag}>:"]`);
    for (const a of d.sources.v4) lines.push(`  /ip firewall connection remove [find where src-address~"^${a.split('/')[0]}:" || dst-address~"^${a.split('/')[0]}:"]`);
  }
  return lines;
}

export const mikrotikFormat: Format = {
  name: 'mikrotik',
  summary: 'MikroTik RouterOS 7 script: address lists with DNS names and filter rules',
  render(policy) {
    const usage = [
      '',
      'RouterOS 7: /import file-name=<this file>. It adds the new policy, moves its jumps to the top of forward, and only',
      'then removes what an earlier import added (comment=netneeds:...), so the devices are never left unguarded.',
      'Allowed traffic returns to your forward chain; everything else from or to the devices is refused.',
      'Names under a wildcard cannot go into an address list; they are refused.',
      'Device addresses: regenerate with the address (list names carry the generation).',
    ];
    const body = (gen: string) => family(policy, 4, gen) + family(policy, 6, gen);
    // The generation names what the policy holds: the same policy gives the same script.
    const gen = shortHash(JSON.stringify([policy.profile, policy.unknown, policy.trust, policy.anyDestination, policy.mode, policy.homeAssistant, policy.controllers, policy.lan,
      policy.devices.map((d) => [d.id, d.sources, d.refuse, d.ipv6, d.allow.map((a) => a.key), d.local.map((l) => [l.initiator, l.peer, l.service])])]), 8);
    return [{ name: 'mikrotik.rsc', content: header(policy, '#', [...usage, ...connectionFlush(policy)]) + body(gen) }];
  },
};
