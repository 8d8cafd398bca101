// pfSense / OPNsense filterlog: a CSV after a BSD-syslog or RFC 5424 header. The CSV holds no spaces,
// so it is the last word of the line. Field layout: https://docs.netgate.com/pfsense/en/latest/monitoring/logs/raw-filter-format.html
import { emitPortless, normalizeIp, protocolOf, type Flow, type FlowProtocol, type Format, type Sink } from '../events.js';
import { ByteMemo, BytePattern, LineClock, lineShare, portIn, readLineBytes, WindowBytes } from './text.js';

// The highest field read is the TCP flags of IPv4 (23); one more tells whether the line has enough fields.
const MAX_FIELDS = 25;
/** Field indexes of the protocol name, source, destination and first port: IPv4 and IPv6 put them at different offsets. */
const V4 = [16, 18, 19, 20] as const;
const V6 = [12, 15, 16, 17] as const;
const UNKNOWN = [-1, 0, 0, 0] as const;
const TAG = new BytePattern('filterlog');
const COMMA = 44;
const TCP = new BytePattern('tcp');
const UDP = new BytePattern('udp');
const ICMP = new BytePattern('icmp');

/** Where each CSV field of a line starts in the read window; a field ends one byte before the next one starts. Reused for every line. */
class CsvFields {
  private readonly starts = new Int32Array(MAX_FIELDS + 1);
  /** Fields found, up to MAX_FIELDS. */
  count = 0;

  constructor(private readonly bytes: WindowBytes) {}

  /** Splits buf[start, end) at commas, without copying. */
  read(start: number, end: number): void {
    const bytes = this.bytes;
    this.starts[0] = start;
    let n = 1;
    for (let i = bytes.indexOf(COMMA, start, end); i >= 0 && n < MAX_FIELDS; i = bytes.indexOf(COMMA, i + 1, end)) this.starts[n++] = i + 1;
    this.count = n;
    // The last field found runs to the end of the CSV, or to the comma before the field beyond MAX_FIELDS.
    const next = n < MAX_FIELDS ? -1 : bytes.indexOf(COMMA, this.starts[n - 1]!, end);
    this.starts[n] = (next >= 0 ? next : end) + 1;
  }

  start(i: number): number {
    return this.starts[i]!;
  }

  /** Where field i ends; call only for i < count. */
  end(i: number): number {
    return this.starts[i + 1]! - 1;
  }

  text(i: number): string | undefined {
    return i < this.count ? this.bytes.buf.toString('latin1', this.start(i), this.end(i)) : undefined;
  }

  /** Whether field i is the one character c. */
  is(i: number, c: number): boolean {
    return i < this.count && this.end(i) - this.start(i) === 1 && this.bytes.buf[this.start(i)] === c;
  }

  /** protocolOf the field, without decoding the usual lower-case names. */
  protocol(i: number): FlowProtocol | null {
    const start = this.start(i);
    const end = this.end(i);
    const bytes = this.bytes;
    if (end - start === 3 && bytes.startsWith(start, end, TCP)) return 'tcp';
    if (end - start === 3 && bytes.startsWith(start, end, UDP)) return 'udp';
    if (end - start === 4 && bytes.startsWith(start, end, ICMP)) return 'icmp';
    return protocolOf(this.text(i)!);
  }

  /** Whether field i holds the character c; false when the line has no field i. */
  has(i: number, c: number): boolean {
    return i < this.count && this.bytes.indexOf(c, this.start(i), this.end(i)) >= 0;
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
  read: (path, sink: Sink, options) => readLineBytes(path, options, true, (logClock) => {
    const bytes = new WindowBytes();
    const clock = new LineClock(logClock);
    const f = new CsvFields(bytes);
    const addresses = new ByteMemo(normalizeIp);
    const flow: Flow = { kind: 'flow', time: NaN, src: '', dst: '', protocol: 'tcp', sport: undefined, dport: undefined, role: 'packet' };
    return (buf, start, lineEnd) => {
      bytes.use(buf);
      let tag = bytes.indexOf(102, start, lineEnd);
      while (tag >= 0 && !bytes.startsWith(tag, lineEnd, TAG)) tag = bytes.indexOf(102, tag + 1, lineEnd);
      if (tag < 0) return 'other';
      let end = lineEnd;
      while (end > start && isSpace(buf[end - 1]!)) end--;
      let csv = end - 1;
      while (csv >= start && buf[csv] !== 32) csv--;
      f.read(csv + 1, end);
      const [proto, srcAt, dstAt, rest] = f.is(8, 52 /* 4 */) ? V4 : f.is(8, 54 /* 6 */) ? V6 : UNKNOWN;
      if (proto < 0 || proto >= f.count) return f.count > 8 ? `IP version ${JSON.stringify(f.text(8))} is not 4 or 6` : 'too few fields for filterlog';
      const protocol = f.protocol(proto);
      if (!protocol) return 'other';
      const src = srcAt < f.count ? addresses.get(bytes, f.start(srcAt), f.end(srcAt)) : null;
      const dst = dstAt < f.count ? addresses.get(bytes, f.start(dstAt), f.end(dstAt)) : null;
      if (!src || !dst) return 'source or destination is not an IP address';
      flow.time = clock.timeOf(bytes, start, lineEnd);
      flow.src = src;
      flow.dst = dst;
      flow.protocol = protocol;
      if (protocol === 'icmp' || protocol === 'icmpv6') {
        emitPortless(sink, flow);
        return 'ok';
      }
      const sport = rest < f.count ? portIn(buf, f.start(rest), f.end(rest)) : undefined;
      const dport = rest + 1 < f.count ? portIn(buf, f.start(rest + 1), f.end(rest + 1)) : undefined;
      if (sport === undefined || dport === undefined) return 'ports are not numbers';
      const flags = protocol === 'tcp' ? rest + 3 : -1;
      flow.sport = sport;
      flow.dport = dport;
      flow.role = flags >= 0 && f.has(flags, 83 /* S */) ? (f.has(flags, 65 /* A */) ? 'synack' : 'syn') : 'packet';
      sink.emit(flow);
      return 'ok';
    };
  }),
};
