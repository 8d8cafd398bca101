// OPNsense / pfSense: alias files to import (OPNsense's alias import JSON, pfSense's config.xml <aliases> section),
// plain lists to subscribe to by URL, and a guide naming the rules to create. pf evaluates a rule on the interface
// where traffic enters: rules from a device go on the device's interface; rules to a device go on every interface
// its peers sit behind, so they are floating rules (direction in, quick), which pf checks before interface rules.
import { safeId, shortHash, usesController, usesHomeAssistant, usesLan, type DevicePlan, type Policy, type Service } from '../plan.js';
import { commentLines, conntrackFlush, header, Lines, portList, type Format, type PolicyFile } from './format.js';

const describe = (s: Service) => (s.protocol === 'any' ? 'any protocol' : s.ports.length ? `${s.protocol.toUpperCase()} ports ${portList(s.ports).join(', ')}` : s.protocol.toUpperCase());
const lines = (xs: string[]) => (xs.length ? xs.join('\n') + '\n' : '');

/** Alias names: letters, digits and underscores, at most 31 characters (pfSense's limit; OPNsense allows 32). */
export const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
function aliasName(name: string): string {
  if (!ALIAS_NAME.test(name)) throw new Error(`internal: alias name ${name} is not valid`);
  return name;
}

export interface Alias { name: string; type: 'host' | 'network' | 'port'; content: string[]; description: string }

const xmlEscape = (s: string) => (!/[&<>"]/.test(s) ? s : s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));

/** A stable UUID for an alias, so importing again updates instead of duplicating. */
function uuid(name: string): string {
  const h = shortHash(`netneeds alias ${name}`, 16) + shortHash(`alias ${name} netneeds`, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The OPNsense alias import JSON and the pfSense config.xml aliases, written alias by alias: a policy of 10,000 devices
 * has over a hundred thousand aliases. The JSON is the one JSON.stringify indents by two spaces; alias names, and so
 * their UUIDs, are unique within a policy.
 */
class AliasFiles {
  private readonly json = new Lines();
  private readonly xml = new Lines();

  add(a: Alias): void {
    const content = a.content.join('\n');
    this.json.add(`      "${uuid(a.name)}": {\n        "enabled": "1",\n        "name": ${JSON.stringify(a.name)},\n        "type": ${JSON.stringify(a.type)},\n        "proto": "",\n        "categories": "",\n        "updatefreq": "",\n        "counters": "0",\n        "content": ${JSON.stringify(content)},\n        "description": ${JSON.stringify(a.description)}\n      },`);
    this.xml.add(`  <alias>\n    <name>${xmlEscape(a.name)}</name>\n    <type>${a.type}</type>\n    <address>${xmlEscape(a.content.join(' '))}</address>\n    <descr>${xmlEscape(a.description)}</descr>\n    <detail>${a.content.length ? `${'netneeds||'.repeat(a.content.length - 1)}netneeds` : ''}</detail>\n  </alias>`);
  }

  opnsense(): string {
    const aliases = this.json.text();
    // Every alias but the last is followed by a comma.
    return `{\n  "aliases": {\n    "alias": ${aliases ? `{\n${aliases.slice(0, -2)}\n    }` : '{}'}\n  }\n}\n`;
  }

  pfsense(): string {
    return `<?xml version="1.0"?>\n<aliases>\n${this.xml.text()}</aliases>\n`;
  }
}

export function opnsenseAliasJson(aliases: Alias[]): string {
  const files = new AliasFiles();
  for (const a of aliases) files.add(a);
  return files.opnsense();
}

export function pfsenseAliasXml(aliases: Alias[]): string {
  const files = new AliasFiles();
  for (const a of aliases) files.add(a);
  return files.pfsense();
}

export const opnsenseFormat: Format = {
  name: 'opnsense',
  summary: 'OPNsense / pfSense alias import files (OPNsense JSON, pfSense config.xml aliases), URL-table lists and a guide',
  render(policy: Policy) {
    const files: PolicyFile[] = [];
    const aliases = new AliasFiles();
    const ha = aliasName('netneeds_ha');
    const ctl = aliasName('netneeds_controller');
    const lan = aliasName('netneeds_lan');
    if (policy.devices.some(usesHomeAssistant)) aliases.add({ name: ha, type: 'host', content: [...policy.homeAssistant.v4, ...policy.homeAssistant.v6], description: 'NetNeeds Home Assistant' });
    if (policy.devices.some(usesController)) aliases.add({ name: ctl, type: 'host', content: [...policy.controllers.v4, ...policy.controllers.v6], description: 'NetNeeds MUD controller' });
    if (policy.devices.some(usesLan)) aliases.add({ name: lan, type: 'network', content: [...policy.lan.v4, ...policy.lan.v6], description: 'NetNeeds home network' });
    // The guide's rules, already commented (they go into the README's header).
    const floating = new Lines();
    const iface = new Lines();
    const action = (d: DevicePlan) => (policy.mode === 'log' ? 'pass (log)' : d.refuse === 'reject' ? 'reject' : 'block');
    for (const d of policy.devices) {
      const device = aliasName(`netneeds_${d.tag}`);
      aliases.add({ name: device, type: 'network', content: [...d.sources.v4, ...d.sources.v6], description: `NetNeeds ${d.tag} addresses` });
      iface.add(`# ${d.tag} (${safeId(d.id)}), on the interface ${d.tag} sits on:`);
      if (policy.mode === 'enforce') iface.add(`#   NAT port forward: source ${device}, TCP/UDP destination port 53, redirect to 127.0.0.1 port 53 (DNS through this firewall)`);
      d.allow.forEach((a, i) => {
        const base = `netneeds_${d.tag}_s${i + 1}`;
        const hosts = [...a.to.hosts, ...a.to.v4, ...a.to.v6];
        if (hosts.length) {
          aliases.add({ name: aliasName(`${base}_hosts`), type: 'host', content: hosts, description: `NetNeeds ${d.tag} destinations ${i + 1}` });
          files.push({ name: `opnsense/${base}_hosts.txt`, content: lines(hosts) });
        }
        if (a.to.v4.length || a.to.v6.length) files.push({ name: `opnsense/${base}_addresses.txt`, content: lines([...a.to.v4, ...a.to.v6]) });
        if (a.service.ports.length) {
          const ports = portList(a.service.ports, ':');
          aliases.add({ name: aliasName(`${base}_ports`), type: 'port', content: ports, description: `NetNeeds ${d.tag} ports ${i + 1}` });
          files.push({ name: `opnsense/${base}_ports.txt`, content: lines(ports) });
        }
        const port = a.service.ports.length ? ` port alias ${base}_ports` : '';
        if (hosts.length) iface.add(`#   pass ${describe(a.service)} from alias ${device} to alias ${base}_hosts${port}`);
        // The data names no destination for this service: the rule's destination is "any" except the home network.
        if (a.to.any) iface.add(`#   pass ${describe(a.service)} from alias ${device} to any destination except alias ${lan} (invert the destination)${port}`);
        for (const w of a.to.domains) iface.add(`#     (not expressible as an alias: every name under ${w}; it is refused)`);
      });
      for (const l of d.local) {
        if (l.peer === 'multicast' || l.peer === 'broadcast' || l.peer === 'router') continue;
        const peer = l.peer === 'home-assistant' ? ha : l.peer === 'controller' ? ctl : lan;
        if (l.initiator === 'device') iface.add(`#   pass ${describe(l.service)} from alias ${device} to alias ${peer}`);
        else floating.add(`#   pass ${describe(l.service)} from alias ${peer} to alias ${device} (floating, direction in, quick)`);
      }
      iface.add(`#   ${action(d)} everything else from alias ${device}${d.refuse === 'reject' && policy.mode === 'enforce' ? ' (reject: the data says dropping breaks this device)' : ''}`);
      if (d.ipv6 === 'closed') iface.add(`#   ${action(d)} IPv6 from ${d.tag}'s MAC address (given by IPv4 only, its IPv6 is closed; give its IPv6 addresses to open it)`);
      floating.add(`#   ${action(d)} everything else to alias ${device} (floating, direction in, quick, after the passes above)`);
    }
    const guide = header(policy, '#', [
      '',
      'Import the aliases: OPNsense: Firewall > Aliases > Import, file netneeds.opnsense-aliases.json.',
      'pfSense: Diagnostics > Backup & Restore > Restore area "Aliases", file netneeds.pfsense-aliases.xml.',
      'The *.txt lists hold the same entries for URL Table aliases. Then create these rules, in this order.',
      'Floating rules (checked first, on every interface, so traffic to a device is judged where it enters):',
    ]) + floating.text() + '# Interface rules:\n' + iface.text() + commentLines('#', [
      'DNS over TLS: block TCP/UDP port 853 from the devices (no rule above passes it).',
      ...conntrackFlush(policy).map((l) => l.replace(/conntrack -D -s (\S+)(?: --mask-src \S+)?; conntrack -D -d \S+(?: --mask-dst \S+)?/, 'Diagnostics > States: filter $1, kill')),
    ]);
    return [
      { name: 'opnsense/README.txt', content: guide },
      { name: 'opnsense-aliases.json', content: aliases.opnsense() },
      { name: 'pfsense-aliases.xml', content: aliases.pfsense() },
      ...files,
    ];
  },
};
