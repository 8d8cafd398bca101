// OPNsense's firewall log as JSON: what Firewall → Log Files → Live View exports and the
// /api/diagnostics/firewall/log endpoint returns. Each object is one filterlog line split into named fields
// (rulenr, interface, action, dir, version, protoname, src, dst, srcport, dstport, tcpflags, ...) plus
// __timestamp__ and __host__. The export is one JSON array; JSON lines of the same objects are read too.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { newStats, noteMalformed, normalizeIp, portNumber, protocolOf, type Format, type ReadStats, type Sink } from '../events.js';
import { lineShare, readLines } from './text.js';
import type { LineResult } from '../lines.js';

type Rec = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function emitRecord(r: Rec, sink: Sink): LineResult {
  const protocol = protocolOf(text(r.protoname) ?? text(r.proto) ?? '');
  const src = normalizeIp(text(r.src) ?? '');
  const dst = normalizeIp(text(r.dst) ?? '');
  if (text(r.src) === undefined && text(r.dst) === undefined) return 'other';
  if (!src || !dst) return 'src or dst is not an IP address';
  if (!protocol) return 'other';
  const stamp = text(r.__timestamp__) ?? '';
  const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp.replace(' ', 'T')}Z`);
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet' });
    return 'ok';
  }
  const sport = portNumber(text(r.srcport));
  const dport = portNumber(text(r.dstport));
  if (sport === undefined || dport === undefined) return 'srcport or dstport is not a port';
  const flags = protocol === 'tcp' ? text(r.tcpflags) ?? '' : '';
  sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: flags.includes('S') ? (flags.includes('A') ? 'synack' : 'syn') : 'packet' });
  return 'ok';
}

const looksLike = (t: string) => t.includes('"__timestamp__"') || (t.includes('"rulenr"') && t.includes('"protoname"'));

export const opnsenseJson: Format = {
  name: 'opnsense-json',
  evidenceType: 'firewall-log',
  unit: 'log entries',
  sniff: (_head, t) => {
    const start = t.trimStart();
    if (!looksLike(start)) return 0;
    return start.startsWith('[') ? 1 : lineShare(t, (l) => l.startsWith('{') && looksLike(l));
  },
  async read(path, sink, options) {
    if (firstCharacter(path) !== '[') return readLines(path, options, false, () => (line) => {
      if (line.trim() === '') return 'other';
      let r: unknown;
      try { r = JSON.parse(line); } catch { return 'not valid JSON'; }
      return typeof r === 'object' && r !== null && !Array.isArray(r) ? emitRecord(r as Rec, sink) : 'not a JSON object';
    });
    return readArray(path, sink);
  },
};

function firstCharacter(path: string): string {
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(256);
  const n = readSync(fd, b, 0, b.length, 0);
  closeSync(fd);
  return b.toString('latin1', 0, n).trimStart().charAt(0);
}

/** The GUI export: one array of entries. */
function readArray(path: string, sink: Sink): ReadStats {
  const stats: ReadStats = newStats();
  const body = readFileSync(path, 'utf8');
  stats.bytes = Buffer.byteLength(body);
  let entries: unknown;
  try { entries = JSON.parse(body); } catch (e) {
    noteMalformed(stats, 'the file', `not valid JSON: ${(e as Error).message}`);
    return stats;
  }
  if (!Array.isArray(entries)) { noteMalformed(stats, 'the file', 'not a JSON array of log entries'); return stats; }
  entries.forEach((r, i) => {
    stats.records++;
    const result = typeof r === 'object' && r !== null && !Array.isArray(r) ? emitRecord(r as Rec, sink) : 'not a JSON object';
    if (result === 'other') stats.other++;
    else if (result !== 'ok') noteMalformed(stats, `entry ${i + 1}`, result);
  });
  return stats;
}
