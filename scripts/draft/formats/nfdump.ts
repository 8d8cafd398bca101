// nfdump CSV (`nfdump -o csv`): a header row names the columns; 1.6 says ts,te,sa,da,sp,dp,pr,
// 1.7 says firstSeen,lastSeen,srcAddr,dstAddr,srcPort,dstPort,proto. A trailing "Summary" block is not flows.
// NetFlow and IPFIX exporters write one record per direction: each row is a 'record', and the collector
// pairs a reply with the connection it answers instead of taking its source for an opener.
import { normalizeIp, portNumber, protocolOf, type Format } from '../events.js';
import { isoTime } from '../time.js';
import { lineShare, readLines } from './text.js';

const COLUMNS = {
  first: ['ts', 'firstseen', 't_first'], src: ['sa', 'srcaddr'], dst: ['da', 'dstaddr'],
  sport: ['sp', 'srcport'], dport: ['dp', 'dstport'], proto: ['pr', 'proto'],
} as const;

export const nfdump: Format = {
  name: 'nfdump',
  evidenceType: 'firewall-log',
  unit: 'flow records',
  sniff: (_head, text) => (/^(ts,te,td,sa,da|firstseen,lastseen,duration,srcaddr,dstaddr)/i.test(text) ? 1 : 0),
  read: (path, sink, options) => readLines(path, options, true, () => {
    let col: Record<keyof typeof COLUMNS, number> | null = null;
    return (line) => {
      const f = line.split(',');
      if (!col || f[0] === 'ts' || f[0]?.toLowerCase() === 'firstseen') {
        const names = f.map((n) => n.trim().toLowerCase());
        const found = Object.fromEntries(Object.entries(COLUMNS).map(([k, aliases]) => [k, names.findIndex((n) => (aliases as readonly string[]).includes(n))])) as Record<keyof typeof COLUMNS, number>;
        if (found.src >= 0 && found.dst >= 0 && found.proto >= 0) { col = found; return 'other'; }
        return col ? 'not a flow row' : 'no header row naming sa/da/pr columns';
      }
      if (f.length < 5 || f[0] === 'Summary' || line.startsWith('flows,') || line.trim() === '') return 'other';
      const src = normalizeIp(f[col.src]?.trim() ?? '');
      const dst = normalizeIp(f[col.dst]?.trim() ?? '');
      if (!src || !dst) return f.length < 8 ? 'other' : 'source or destination is not an IP address';
      const protocol = protocolOf(f[col.proto]?.trim() ?? '');
      if (!protocol) return 'other';
      const time = col.first >= 0 ? isoTime(f[col.first] ?? '') : NaN;
      if (protocol === 'icmp' || protocol === 'icmpv6') sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'record' });
      else {
        const sport = portNumber(f[col.sport]?.trim());
        const dport = portNumber(f[col.dport]?.trim());
        if (sport === undefined || dport === undefined) return 'ports are not numbers';
        sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: 'record' });
      }
      return 'ok';
    };
  }),
};
