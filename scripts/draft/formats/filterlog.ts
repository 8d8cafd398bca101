// pfSense / OPNsense filterlog: a CSV after a BSD-syslog or RFC 5424 header. The CSV holds no spaces,
// so it is the last word of the line. Field layout: https://docs.netgate.com/pfsense/en/latest/monitoring/logs/raw-filter-format.html
import { normalizeIp, portNumber, protocolOf, type Format, type Sink } from '../events.js';
import { lineShare, readLines } from './text.js';

// The highest field read is the TCP flags of IPv4 (23); one more tells whether the line has enough fields.
const MAX_FIELDS = 25;
/** Field indexes of the protocol name, source, destination and first port: IPv4 and IPv6 put them at different offsets. */
const V4 = [16, 18, 19, 20] as const;
const V6 = [12, 15, 16, 17] as const;
const UNKNOWN = [-1, 0, 0, 0] as const;

/** Where each CSV field starts; a field ends one character before the next one starts. Reused for every line. */
class CsvFields {
  private readonly starts = new Int32Array(MAX_FIELDS + 1);
  /** Fields found, up to MAX_FIELDS. */
  count = 0;
  private line = '';

  /** Splits line[start, end) at commas, without copying: only the fields asked for become strings. */
  read(line: string, start: number, end: number): void {
    this.line = line;
    this.starts[0] = start;
    let n = 1;
    for (let i = line.indexOf(',', start); i >= 0 && i < end && n < MAX_FIELDS; i = line.indexOf(',', i + 1)) this.starts[n++] = i + 1;
    this.count = n;
    // The last field found runs to the end of the CSV, or to the comma before the field beyond MAX_FIELDS.
    const next = n < MAX_FIELDS ? -1 : line.indexOf(',', this.starts[n - 1]!);
    this.starts[n] = (next >= 0 && next < end ? next : end) + 1;
  }

  field(i: number): string | undefined {
    return i < this.count ? this.line.slice(this.starts[i]!, this.starts[i + 1]! - 1) : undefined;
  }

  is(i: number, text: string): boolean {
    return i < this.count && this.starts[i + 1]! - 1 - this.starts[i]! === text.length && this.line.startsWith(text, this.starts[i]!);
  }
}

/** JavaScript's trimEnd, for the characters a latin1-decoded line can hold. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

export const filterlog: Format = {
  name: 'filterlog',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.includes('filterlog')),
  read: (path, sink: Sink, options) => readLines(path, options, true, (clock) => {
    const f = new CsvFields();
    return (line) => {
      const tag = line.indexOf('filterlog');
      if (tag < 0) return 'other';
      let end = line.length;
      while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
      f.read(line, line.lastIndexOf(' ', end - 1) + 1, end);
      const [proto, srcAt, dstAt, rest] = f.is(8, '4') ? V4 : f.is(8, '6') ? V6 : UNKNOWN;
      const protoName = proto < 0 ? undefined : f.field(proto);
      if (protoName === undefined) return f.count > 8 ? `IP version ${JSON.stringify(f.field(8))} is not 4 or 6` : 'too few fields for filterlog';
      const protocol = protocolOf(protoName);
      if (!protocol) return 'other';
      const src = normalizeIp(f.field(srcAt) ?? '');
      const dst = normalizeIp(f.field(dstAt) ?? '');
      if (!src || !dst) return 'source or destination is not an IP address';
      const time = clock.syslog(line);
      if (protocol === 'icmp' || protocol === 'icmpv6') {
        sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet' });
        return 'ok';
      }
      const sport = portNumber(f.field(rest));
      const dport = portNumber(f.field(rest + 1));
      if (sport === undefined || dport === undefined) return 'ports are not numbers';
      const flags = protocol === 'tcp' ? f.field(rest + 3) ?? '' : '';
      const role = flags.includes('S') ? (flags.includes('A') ? 'synack' : 'syn') : 'packet';
      sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role });
      return 'ok';
    };
  }),
};
