// OPNsense / pfSense: alias lists to subscribe to by URL (URL Table (IPs), URL Table (Ports)) or to import into a
// Host(s) alias, and a short guide naming the rules to create. Lists hold only addresses, names and ports.
import { LAN, safeId, usesController, usesLan, type Policy, type Service } from '../plan.js';
import { header, portList, type Format, type PolicyFile } from './format.js';

const describe = (s: Service) => (s.protocol === 'any' ? 'any protocol' : s.ports.length ? `${s.protocol.toUpperCase()} ports ${portList(s.ports).join(', ')}` : s.protocol.toUpperCase());
const lines = (xs: string[]) => (xs.length ? xs.join('\n') + '\n' : '');

export const opnsenseFormat: Format = {
  name: 'opnsense',
  summary: 'OPNsense / pfSense alias lists (hosts, URL Table IPs and ports) and a guide',
  render(policy: Policy) {
    const files: PolicyFile[] = [];
    const guide: string[] = [
      '',
      'OPNsense (Firewall > Aliases) and pfSense (Firewall > Aliases): one alias per list below.',
      '  *-hosts.txt      names and addresses: paste into a Host(s) alias (Import); the firewall resolves the names periodically.',
      '  *-addresses.txt  addresses and blocks only: a URL Table (IPs) alias can subscribe to it by URL.',
      '  *-ports.txt      ports, ranges written low:high: a Port(s) alias (OPNsense) or URL Table (Ports) alias (pfSense).',
      'Then, on the interface the devices sit on, in this order:',
    ];
    for (const d of policy.devices) {
      const device = `the address of ${d.tag}`;
      guide.push(`${d.tag} (${safeId(d.id)}):`);
      d.allow.forEach((a, i) => {
        const base = `${d.tag}-s${i + 1}`;
        const hosts = [...a.to.hosts, ...a.to.v4, ...a.to.v6];
        const addresses = [...a.to.v4, ...a.to.v6];
        if (hosts.length) files.push({ name: `opnsense/${base}-hosts.txt`, content: lines(hosts) });
        if (addresses.length) files.push({ name: `opnsense/${base}-addresses.txt`, content: lines(addresses) });
        if (a.service.ports.length) files.push({ name: `opnsense/${base}-ports.txt`, content: lines(portList(a.service.ports, ':')) });
        const port = a.service.ports.length ? ` port alias ${base}-ports` : '';
        if (hosts.length || !a.to.any) guide.push(`  pass ${describe(a.service)} from ${device} to ${hosts.length ? `alias ${base}-hosts` : 'nothing'}${port}`);
        // The data names no destination for this service: the rule's destination is "any" except the private networks.
        if (a.to.any) guide.push(`  pass ${describe(a.service)} from ${device} to any destination except your private networks (destination: invert an alias of them)${port}`);
        for (const w of a.to.domains) guide.push(`    (not expressible as an alias: every name under ${w}; allow it by DNS-based rules or an address list)`);
      });
      for (const l of d.local) {
        if (l.peer === 'multicast' || l.peer === 'broadcast') continue;
        const peer = l.peer === 'controller' ? 'Home Assistant' : 'your private networks';
        guide.push(l.initiator === 'device'
          ? `  pass ${describe(l.service)} from ${device} to ${peer}`
          : `  pass ${describe(l.service)} from ${peer} to ${device}`);
      }
      guide.push(`  ${d.refuse === 'reject' ? 'reject' : 'block'} everything else from and to ${device}${d.refuse === 'reject' ? ' (reject: the data says dropping breaks this device)' : ''}`);
    }
    if (policy.devices.some(usesController)) guide.push('Home Assistant: an alias holding its address' + (policy.controller.v4.length + policy.controller.v6.length ? `: ${[...policy.controller.v4, ...policy.controller.v6].join(' ')}` : '.'));
    if (policy.devices.some(usesLan)) guide.push(`Private networks: an alias holding ${[...LAN.v4, ...LAN.v6].join(' ')}`);
    files.unshift({ name: 'opnsense/README.txt', content: header(policy, '#', guide) });
    return files;
  },
};
