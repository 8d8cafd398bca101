// `conntrack -L` output and /proc/net/nf_conntrack: the first src=/dst=/sport=/dport= of a line is the
// original direction, so src opened the connection. Lines carry no time unless conntrack ran with -o timestamp.
import { normalizeIp, portNumber, protocolOf, type Format } from '../events.js';
import { lineShare, readLines, valueAfter } from './text.js';

export const conntrack: Format = {
  name: 'conntrack',
  evidenceType: 'firewall-log',
  unit: 'connections',
  sniff: (_head, text) => lineShare(text, (l) => /^(\[\d+\.\d+\]\s+)?(ipv[46]\s+\d+\s+)?(tcp|udp|icmp|icmpv6)\s+\d+\s/.test(l) && l.includes(' src=')),
  read: (path, sink, options) => readLines(path, options, true, () => (line) => {
    const words = line.trimStart().split(/\s+/, 6);
    let i = words[0]!.startsWith('[') ? 1 : 0;
    const stamp = i === 1 ? Number(words[0]!.slice(1, -1)) * 1000 : NaN;
    if (words[i] === 'ipv4' || words[i] === 'ipv6') i += 2;
    const protocol = protocolOf(words[i] ?? '');
    if (!protocol) return line.includes(' src=') || line.startsWith('conntrack ') ? 'other' : 'not a conntrack entry';
    const src = normalizeIp(valueAfter(line, ' src=') ?? '');
    const dst = normalizeIp(valueAfter(line, ' dst=') ?? '');
    if (!src || !dst) return 'src= or dst= is not an IP address';
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      sink.emit({ kind: 'flow', time: stamp, src, dst, protocol, role: 'initiator' });
      return 'ok';
    }
    const sport = portNumber(valueAfter(line, ' sport='));
    const dport = portNumber(valueAfter(line, ' dport='));
    if (sport === undefined || dport === undefined) return 'no sport= or dport=';
    sink.emit({ kind: 'flow', time: stamp, src, dst, protocol, sport, dport, role: 'initiator' });
    return 'ok';
  }),
};
