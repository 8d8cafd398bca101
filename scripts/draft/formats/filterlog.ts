// pfSense / OPNsense filterlog: a CSV after a BSD-syslog or RFC 5424 header. The CSV holds no spaces,
// so it is the last word of the line. Field layout: https://docs.netgate.com/pfsense/en/latest/monitoring/logs/raw-filter-format.html
import { normalizeIp, portNumber, protocolOf, type Format, type Sink } from '../events.js';
import { lineShare, readLines } from './text.js';

export const filterlog: Format = {
  name: 'filterlog',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.includes('filterlog')),
  read: (path, sink: Sink, options) => readLines(path, options, true, (clock) => (line) => {
    const tag = line.indexOf('filterlog');
    if (tag < 0) return 'other';
    const csv = line.slice(line.lastIndexOf(' ', line.trimEnd().length - 1) + 1).trimEnd();
    const f = csv.split(',');
    const version = f[8];
    // IPv4 and IPv6 put the protocol and addresses at different offsets.
    const [protoName, srcText, dstText, rest] = version === '4' ? [f[16], f[18], f[19], 20] : version === '6' ? [f[12], f[15], f[16], 17] : [];
    if (protoName === undefined || rest === undefined) return f.length > 8 ? `IP version ${JSON.stringify(version)} is not 4 or 6` : 'too few fields for filterlog';
    const protocol = protocolOf(protoName);
    if (!protocol) return 'other';
    const src = normalizeIp(srcText ?? '');
    const dst = normalizeIp(dstText ?? '');
    if (!src || !dst) return 'source or destination is not an IP address';
    const time = clock.syslog(line);
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet' });
      return 'ok';
    }
    const sport = portNumber(f[rest]);
    const dport = portNumber(f[rest + 1]);
    if (sport === undefined || dport === undefined) return 'ports are not numbers';
    const flags = protocol === 'tcp' ? f[rest + 3] ?? '' : '';
    const role = flags.includes('S') ? (flags.includes('A') ? 'synack' : 'syn') : 'packet';
    sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role });
    return 'ok';
  }),
};
