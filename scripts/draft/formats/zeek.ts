// Zeek conn.log, dns.log, ssl.log and dhcp.log, in the TSV form (with #fields headers) or as JSON lines.
// The log kind is read from the fields a record carries, so concatenated or renamed files still work.
// Labelled data sets (IoT-23's conn.log.labeled) append columns such as `label   detailed-label` separated by
// runs of spaces instead of tabs, in the header and in every row: both separators are read.
import { normalizeIp, normalizeMac, portNumber, protocolOf, type Format, type Sink } from '../events.js';
import { epochSeconds } from '../time.js';
import { lineShare, readLines } from './text.js';
import type { LineResult } from '../lines.js';

type Get = (field: string) => string | undefined;

function emitRecord(get: Get, sink: Sink, isJson: boolean): LineResult {
  const tsText = get('ts');
  const time = isJson && tsText !== undefined && tsText.includes('T') ? Date.parse(tsText) : epochSeconds(tsText ?? '');
  if (Number.isNaN(time)) return 'ts is not a time';
  if (get('mac') !== undefined && (get('assigned_addr') !== undefined || get('client_addr') !== undefined)) {
    const mac = normalizeMac(get('mac') ?? '');
    const ip = normalizeIp(get('assigned_addr') ?? '') ?? normalizeIp(get('client_addr') ?? '');
    if (!mac) return 'mac is not a MAC address';
    if (ip && ip !== '0.0.0.0') sink.emit({ kind: 'lease', time, mac, ip });
    return 'ok';
  }
  const src = normalizeIp(get('id.orig_h') ?? '');
  const dst = normalizeIp(get('id.resp_h') ?? '');
  const sport = portNumber(get('id.orig_p'));
  const dport = portNumber(get('id.resp_p'));
  if (!src || !dst || sport === undefined || dport === undefined) return 'id.orig_h/id.resp_h/ports missing or invalid';
  const query = get('query');
  if (query !== undefined) {
    const name = query.toLowerCase();
    if (name === '-' || name === '') return 'ok';
    sink.emit({ kind: 'query', time, client: src, name });
    for (const answer of (get('answers') ?? '').split(',')) {
      const address = normalizeIp(answer);
      if (address) sink.emit({ kind: 'dns', time, client: src, name, address });
    }
    // The lookup itself went from the client to a resolver: a flow of its own.
    const protocol = protocolOf(get('proto') ?? '');
    if (protocol === 'udp' || protocol === 'tcp') sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: 'initiator' });
    return 'ok';
  }
  const serverName = get('server_name');
  if (get('cipher') !== undefined || get('server_name') !== undefined) {
    const sni = serverName && serverName !== '-' ? serverName.toLowerCase() : undefined;
    sink.emit({ kind: 'flow', time, src, dst, protocol: 'tcp', sport, dport, role: 'initiator', ...(sni ? { sni } : {}) });
    return 'ok';
  }
  const protocol = protocolOf(get('proto') ?? '');
  if (!protocol) return get('proto') === undefined ? 'not a conn, dns, ssl or dhcp record' : 'other';
  // ICMP records put type and code in the port fields.
  if (protocol === 'icmp' || protocol === 'icmpv6') sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'initiator' });
  else sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: 'initiator' });
  return 'ok';
}

const SPACED = /\t| {2,}/;
/** Tab-separated columns, and the space-separated ones labelled data sets add. */
function splitColumns(line: string): string[] {
  return SPACED.test(line) ? line.split(SPACED) : [line];
}

export const zeek: Format = {
  name: 'zeek',
  evidenceType: 'packet-capture',
  unit: 'records',
  sniff: (_head, text) => (text.startsWith('#separator') ? 1 : lineShare(text, (l) => l.startsWith('{') && l.includes('"id.orig_h"'))),
  read: (path, sink, options) => readLines(path, options, ['\n#'], () => {
    let fields: string[] = [];
    let unset = '-';
    let empty = '(empty)';
    return (line) => {
      if (line.startsWith('#')) {
        if (line.startsWith('#fields\t')) fields = splitColumns(line).slice(1);
        else if (line.startsWith('#unset_field\t')) unset = line.split('\t')[1] ?? '-';
        else if (line.startsWith('#empty_field\t')) empty = line.split('\t')[1] ?? '(empty)';
        return 'other';
      }
      if (line.trim() === '') return 'other';
      if (line.startsWith('{')) {
        let rec: Record<string, unknown>;
        try { rec = JSON.parse(line) as Record<string, unknown>; } catch { return 'not valid JSON'; }
        return emitRecord((f) => {
          const v = rec[f];
          if (v === undefined || v === null) return undefined;
          return Array.isArray(v) ? v.map(String).join(',') : String(v);
        }, sink, true);
      }
      if (fields.length === 0) return 'a TSV row before any #fields header';
      let values = line.split('\t');
      if (values.length !== fields.length) values = splitColumns(line);
      if (values.length < fields.length) return `${values.length} columns where #fields names ${fields.length}`;
      return emitRecord((f) => {
        const i = fields.indexOf(f);
        const v = i < 0 ? undefined : values[i];
        return v === unset || v === empty ? undefined : v;
      }, sink, false);
    };
  }),
};
