// dnsmasq and Pi-hole query logs. `query[A] name from client` starts a lookup; `reply`/`cached` lines give
// the answers, CNAME steps first. Answers dnsmasq made up itself (`config` = address=/…/ rules such as a
// captive portal's, /etc/hosts, DHCP names, Pi-hole's `gravity blocked`) are not what the name resolves to, so they are never used.
import { normalizeIp, normalizeMac, type Format } from '../events.js';
import { lineShare, readLines, wordsFrom } from './text.js';

const MAX_PENDING = 4096;

export const dnsmasq: Format = {
  name: 'dnsmasq',
  evidenceType: 'dns-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => /dnsmasq(-dhcp)?\[\d+\]: |pihole(-FTL)?\[\d+\]: /.test(l)),
  read: (path, sink, options) => readLines(path, options, false, (clock) => {
    // Who asked for a name lately, and the name a CNAME chain started from.
    const askedBy = new Map<string, string>();
    let chainHead: string | undefined;
    return (line) => {
      const colon = line.indexOf(']: ');
      if (colon < 0) return 'other';
      const at = colon + 3;
      // Most lines are forwarded/config/gravity notes: the verb is checked in place before anything is split.
      const query = line.startsWith('query[', at);
      const answer = !query && (line.startsWith('reply ', at) || line.startsWith('cached ', at) || line.startsWith('cached-stale ', at));
      const ack = !query && !answer && line.startsWith('DHCPACK(', at);
      if (!query && !answer && !ack) return 'other';
      const words = wordsFrom(line, at, 4);
      const time = clock.syslog(line);
      if (query) {
        const name = words[1]?.toLowerCase();
        const client = normalizeIp(words[3] ?? '');
        if (!name || words[2] !== 'from' || !client) return 'query line without name or client';
        if (askedBy.size >= MAX_PENDING) askedBy.delete(askedBy.keys().next().value!);
        askedBy.set(name, client);
        chainHead = name;
        sink.emit({ kind: 'query', time, client, name });
        return 'ok';
      }
      if (answer) {
        const name = words[1]?.toLowerCase();
        const value = words[3];
        if (!name || words[2] !== 'is' || value === undefined) return 'answer line without name';
        const asker = askedBy.get(name);
        if (asker !== undefined) chainHead = name;
        const address = normalizeIp(value);
        if (!address) return 'ok'; // <CNAME>, NODATA, NXDOMAIN, <HTTPS>
        const head = asker !== undefined ? name : chainHead ?? name;
        const client = asker ?? askedBy.get(head);
        sink.emit({ kind: 'dns', time, client, name: head, address });
        return 'ok';
      }
      const ip = normalizeIp(words[1] ?? '');
      const mac = normalizeMac(words[2] ?? '');
      if (!ip || !mac) return 'DHCPACK without address and MAC';
      sink.emit({ kind: 'lease', time, ip, mac });
      return 'ok';
    };
  }),
};
