// Suricata eve.json: one event per line. Every event with addresses is a flow in the flow's own direction
// (src is the client); dns answers name addresses; tls and quic events carry the SNI.
import { normalizeIp, portNumber, protocolOf, type Format } from '../events.js';
import { lineShare, readLines } from './text.js';

type Rec = Record<string, unknown>;
const rec = (x: unknown): Rec => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Rec) : {});

/** DNS answer addresses in eve's v1 (one answer per event), v2 (answers list) and grouped forms. */
function answerAddresses(dns: Rec): string[] {
  const out: string[] = [];
  if (dns.type === 'answer' && typeof dns.rdata === 'string') out.push(dns.rdata);
  for (const a of Array.isArray(dns.answers) ? dns.answers : []) if (typeof rec(a).rdata === 'string') out.push(rec(a).rdata as string);
  const grouped = rec(dns.grouped);
  for (const key of ['A', 'AAAA']) for (const v of Array.isArray(grouped[key]) ? grouped[key] : []) out.push(String(v));
  return out;
}

export const suricata: Format = {
  name: 'suricata',
  evidenceType: 'packet-capture',
  unit: 'events',
  sniff: (_head, text) => lineShare(text, (l) => l.startsWith('{') && l.includes('"event_type"')),
  read: (path, sink, options) => readLines(path, options, true, () => (line) => {
    if (!line.startsWith('{')) return line.trim() === '' ? 'other' : 'not a JSON object';
    let e: Rec;
    try { e = JSON.parse(line) as Rec; } catch { return 'not valid JSON'; }
    const time = Date.parse(String(e.timestamp ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    const src = normalizeIp(String(e.src_ip ?? ''));
    const dst = normalizeIp(String(e.dest_ip ?? ''));
    const protocol = protocolOf(String(e.proto ?? ''));
    if (!src || !dst) return e.event_type === 'stats' ? 'other' : 'src_ip/dest_ip missing';
    if (!protocol) return 'other';
    const type = e.event_type;
    if (type === 'dns') {
      const dns = rec(e.dns);
      const name = typeof dns.rrname === 'string' ? dns.rrname.toLowerCase() : undefined;
      if (name && (dns.type === 'query' || dns.type === 'request')) sink.emit({ kind: 'query', time, client: src, name });
      if (name && dns.type === 'answer') {
        for (const text of answerAddresses(dns)) {
          const address = normalizeIp(text);
          if (address) sink.emit({ kind: 'dns', time, client: src, name, address });
        }
      }
    }
    // Only flow-opening events count as flows: several events describe one connection.
    if (type !== 'flow' && type !== 'netflow' && type !== 'tls' && type !== 'quic' && !(type === 'dns' && rec(e.dns).type === 'query')) return 'ok';
    const sniText = rec(e.tls).sni ?? rec(e.quic).sni;
    const sni = typeof sniText === 'string' ? sniText.toLowerCase() : undefined;
    // A netflow event is one direction of a flow: its source may be the side that answered.
    const role = type === 'netflow' ? 'record' : 'initiator';
    if (protocol === 'icmp' || protocol === 'icmpv6') sink.emit({ kind: 'flow', time, src, dst, protocol, role });
    else {
      const sport = portNumber(String(e.src_port ?? ''));
      const dport = portNumber(String(e.dest_port ?? ''));
      if (sport === undefined || dport === undefined) return 'src_port/dest_port missing';
      sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role, ...(sni ? { sni } : {}) });
    }
    return 'ok';
  }),
};
