// Common Event Format over syslog, as UniFi Network sends it (Settings → Control Plane → Integrations → SIEM):
// `CEF:0|Ubiquiti|UniFi Network|9.4.19|201|Threat Detected and Blocked|7|proto=TCP src=… spt=… dst=… dpt=…
// UNIFIcategory=Security … UNIFIutcTime=2025-08-30T17:53:21.915Z msg=…`. Extension values may hold spaces: a
// value runs to the next ` key=`. Events without addresses (admin logins, device events) are not flows.
import { normalizeIp, normalizeMac, portNumber, protocolOf, type Format } from '../events.js';
import { lineShare, readLines } from './text.js';

/** The extension of a CEF record: `key=value` pairs after the seventh unescaped `|` following `CEF:`. */
export function cefExtension(line: string): Map<string, string> | null {
  const at = line.indexOf('CEF:');
  let i = at < 0 ? 0 : at;
  for (let pipes = 0; pipes < 7; i++) {
    if (i >= line.length) return null;
    if (line.charCodeAt(i) === 92 /* \ */) i++;
    else if (line.charCodeAt(i) === 124 /* | */) pipes++;
  }
  const out = new Map<string, string>();
  const keys = [...line.slice(i).matchAll(/(?:^|\s)([A-Za-z0-9_.]+)=/g)];
  keys.forEach((m, k) => {
    const start = i + m.index! + m[0].length;
    const end = k + 1 < keys.length ? i + keys[k + 1]!.index! : line.length;
    out.set(m[1]!, line.slice(start, end).trim().replace(/\\([=\\|])/g, '$1'));
  });
  return out;
}

const isCef = (l: string) => /(^|\s|>)CEF:\d+\|/.test(l) || /^\d+\|[^|]*\|[^|]*\|/.test(l);

export const cef: Format = {
  name: 'cef',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, isCef),
  read: (path, sink, options) => readLines(path, options, true, (clock) => (line) => {
    if (!isCef(line)) return line.trim() === '' ? 'other' : 'not a CEF record';
    const x = cefExtension(line);
    if (!x) return 'CEF header with fewer than seven fields';
    if (!x.has('src') || !x.has('dst')) return 'other';
    const src = normalizeIp(x.get('src')!);
    const dst = normalizeIp(x.get('dst')!);
    if (!src || !dst) return 'src or dst is not an IP address';
    const protocol = protocolOf(x.get('proto') ?? '');
    if (!protocol) return 'other';
    const stamp = x.get('UNIFIutcTime') ?? x.get('rt');
    const time = stamp === undefined ? clock.syslog(line) : /^\d+$/.test(stamp) ? Number(stamp) : Date.parse(stamp);
    const srcMac = normalizeMac(x.get('smac') ?? '') ?? undefined;
    const macs = srcMac ? { srcMac } : {};
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet', ...macs });
      return 'ok';
    }
    const sport = portNumber(x.get('spt'));
    const dport = portNumber(x.get('dpt'));
    if (sport === undefined || dport === undefined) return 'spt or dpt missing';
    sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: 'packet', ...macs });
    return 'ok';
  }),
};
