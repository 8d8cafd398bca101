// OPNsense / pfSense: alias files to import (OPNsense's alias import JSON, pfSense's config.xml <aliases> section),
// plain lists to subscribe to by URL, and a guide naming the rules to create. pf evaluates a rule on the interface
// where traffic enters: rules from a device go on the device's interface; rules to a device go on every interface
// its peers sit behind, so they are floating rules (direction in, quick), which pf checks before interface rules.
import { safeId, shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type Policy, type Service } from '../plan.js';
import { conntrackFlush, header, portList, type Format, type PolicyFile } from './format.js';

const describe = (s: Service) => (s.protocol === 'any' ? 'any protocol' : s.ports.length ? `${s.protocol.toUpperCase()} ports ${portList(s.ports).join(', ')}` : s.protocol.toUpperCase());
const lines = (xs: string[]) => (xs.length ? xs.join('\n') + '\n' : '');

/** Alias names: letters, digits and underscores, at most 31 characters (pfSense's limit; OPNsense allows 32). */
export const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
function aliasName(name: string): string {
  if (!ALIAS_NAME.test(name)) throw new Error(`internal: alias name ${name} is not valid`);
  return name;
}

export interface Alias { name: string; type: 'host' | 'network' | 'port'; content: string[]; description: string }

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable UUID for an alias, so importing again updates instead of duplicating. */
function uuid(name: string): string {
  const h = shortHash(`netneeds alias ${name}`, 16) + shortHash(`alias ${name} netneeds`, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function opnsenseAliasJson(aliases: Alias[]): string {
  const alias = Object.fromEntries(aliases.map((a) => [uuid(a.name), {
    enabled: '1', name: a.name, type: a.type, proto: '', categories: '', updatefreq: '', counters: '0',
    content: a.content.join('\n'), description: a.description,
  }]));
  return JSON.stringify({ aliases: { alias } }, null, 2) + '\n';
}

export function pfsenseAliasXml(aliases: Alias[]): string {
  const body = aliases.map((a) => [
    '  <alias>',
    `    <name>${xmlEscape(a.name)}</name>`,
    `    <type>${a.type}</type>`,
    `    <address>${xmlEscape(a.content.join(' '))}</address>`,
    `    <descr>${xmlEscape(a.description)}</descr>`,
    `    <detail>${xmlEscape(a.content.map(() => 'netneeds').join('||'))}</detail>`,
    '  </alias>',
  ].join('\n'));
  return `<?xml version="1.0"?>\n<aliases>\n${body.map((b) => `${b}\n`).join('')}</aliases>\n`;
}

function deviceAliases(policy: Policy, d: DevicePlan, aliases: Alias[]): string {
  const addresses = [...d.sources.v4, ...d.sources.v6];
  const name = aliasName(`netneeds_${d.tag}`);
  aliases.push({ name, type: 'network', content: addresses, description: `NetNeeds ${d.tag} addresses` });
  return name;
}

export const opnsenseFormat: Format = {
  name: 'opnsense',
  summary: 'OPNsense / pfSense alias import files (OPNsense JSON, pfSense config.xml aliases), URL-table lists and a guide',
  render(policy: Policy) {
    const files: PolicyFile[] = [];
    const aliases: Alias[] = [];
    const ha = aliasName('netneeds_ha');
    const ctl = aliasName('netneeds_controller');
    const lan = aliasName('netneeds_lan');
    if (policy.devices.some(usesHomeAssistant)) aliases.push({ name: ha, type: 'host', content: [...policy.homeAssistant.v4, ...policy.homeAssistant.v6], description: 'NetNeeds Home Assistant' });
    if (policy.devices.some(usesController)) aliases.push({ name: ctl, type: 'host', content: [...policy.controllers.v4, ...policy.controllers.v6], description: 'NetNeeds MUD controller' });
    if (policy.devices.some(usesLan)) aliases.push({ name: lan, type: 'network', content: [...policy.lan.v4, ...policy.lan.v6], description: 'NetNeeds home network' });
    const floating: string[] = [];
    const iface: string[] = [];
    const action = (d: DevicePlan) => (policy.mode === 'log' ? 'pass (log)' : d.refuse === 'reject' ? 'reject' : 'block');
    for (const d of policy.devices) {
      const device = deviceAliases(policy, d, aliases);
      iface.push(`${d.tag} (${safeId(d.id)}), on the interface ${d.tag} sits on:`);
      if (policy.mode === 'enforce') iface.push(`  NAT port forward: source ${device}, TCP/UDP destination port 53, redirect to 127.0.0.1 port 53 (DNS through this firewall)`);
      d.allow.forEach((a, i) => {
        const base = `netneeds_${d.tag}_s${i + 1}`;
        const hosts = [...a.to.hosts, ...a.to.v4, ...a.to.v6];
        const addresses = [...a.to.v4, ...a.to.v6];
        if (hosts.length) {
          aliases.push({ name: aliasName(`${base}_hosts`), type: 'host', content: hosts, description: `NetNeeds ${d.tag} destinations ${i + 1}` });
          files.push({ name: `opnsense/${base}_hosts.txt`, content: lines(hosts) });
        }
        if (addresses.length) files.push({ name: `opnsense/${base}_addresses.txt`, content: lines(addresses) });
        if (a.service.ports.length) {
          aliases.push({ name: aliasName(`${base}_ports`), type: 'port', content: portList(a.service.ports, ':'), description: `NetNeeds ${d.tag} ports ${i + 1}` });
          files.push({ name: `opnsense/${base}_ports.txt`, content: lines(portList(a.service.ports, ':')) });
        }
        const port = a.service.ports.length ? ` port alias ${base}_ports` : '';
        if (hosts.length) iface.push(`  pass ${describe(a.service)} from alias ${device} to alias ${base}_hosts${port}`);
        // The data names no destination for this service: the rule's destination is "any" except the home network.
        if (a.to.any) iface.push(`  pass ${describe(a.service)} from alias ${device} to any destination except alias ${lan} (invert the destination)${port}`);
        for (const w of a.to.domains) iface.push(`    (not expressible as an alias: every name under ${w}; it is refused)`);
      });
      for (const l of d.local) {
        if (l.peer === 'multicast' || l.peer === 'broadcast' || l.peer === 'router') continue;
        const peer = l.peer === 'home-assistant' ? ha : l.peer === 'controller' ? ctl : lan;
        if (l.initiator === 'device') iface.push(`  pass ${describe(l.service)} from alias ${device} to alias ${peer}`);
        else floating.push(`  pass ${describe(l.service)} from alias ${peer} to alias ${device} (floating, direction in, quick)`);
      }
      iface.push(`  ${action(d)} everything else from alias ${device}${d.refuse === 'reject' && policy.mode === 'enforce' ? ' (reject: the data says dropping breaks this device)' : ''}`);
      if (d.ipv6 === 'closed') iface.push(`  ${action(d)} IPv6 from ${d.tag}'s MAC address (given by IPv4 only, its IPv6 is closed; give its IPv6 addresses to open it)`);
      floating.push(`  ${action(d)} everything else to alias ${device} (floating, direction in, quick, after the passes above)`);
    }
    const guide: string[] = [
      '',
      'Import the aliases: OPNsense: Firewall > Aliases > Import, file netneeds.opnsense-aliases.json.',
      'pfSense: Diagnostics > Backup & Restore > Restore area "Aliases", file netneeds.pfsense-aliases.xml.',
      'The *.txt lists hold the same entries for URL Table aliases. Then create these rules, in this order.',
      'Floating rules (checked first, on every interface, so traffic to a device is judged where it enters):',
      ...floating,
      'Interface rules:',
      ...iface,
      'DNS over TLS: block TCP/UDP port 853 from the devices (no rule above passes it).',
      ...conntrackFlush(policy).map((l) => l.replace(/conntrack -D -s (\S+)(?: --mask-src \S+)?; conntrack -D -d \S+(?: --mask-dst \S+)?/, 'Diagnostics > States: filter $1, kill')),
    ];
    files.unshift(
      { name: 'opnsense/README.txt', content: header(policy, '#', guide) },
      { name: 'opnsense-aliases.json', content: opnsenseAliasJson(aliases) },
      { name: 'pfsense-aliases.xml', content: pfsenseAliasXml(aliases) },
    );
    return files;
  },
};
