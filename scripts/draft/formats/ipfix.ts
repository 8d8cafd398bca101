// IPFIX files: RFC 7011 messages stored one after another (RFC 5655), as IPFIX collectors such as YAF and
// ipfixcol2 write them. Templates describe the records; the reader takes addresses, ports, protocol and start
// time from each data record. Every record is one direction of a flow, so each is a 'record' that the collector
// pairs with its other direction instead of taking its source for the opener.
import { newStats, noteMalformed, normalizeIp, type Format, type ReadStats, type Sink, type FlowProtocol } from '../events.js';
import { FileWindow } from '../file-window.js';

/** Information elements read (IANA IPFIX registry numbers; NetFlow v9 uses the same for these). */
const IE = { protocol: 4, srcPort: 7, src4: 8, dstPort: 11, dst4: 12, src6: 27, dst6: 28, startSeconds: 150, startMillis: 152 } as const;

interface Field { id: number; length: number }
type Template = Field[];

function v4(b: Buffer, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}
function v6(b: Buffer, at: number): string | null {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(at + i).toString(16));
  return normalizeIp(parts.join(':'));
}

const PROTOCOLS: Record<number, FlowProtocol> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

class IpfixReader {
  /** Templates per observation domain and template id. */
  private readonly templates = new Map<string, Template>();

  constructor(private readonly sink: Sink, private readonly stats: ReadStats) {}

  /** One message at b[at, at + length). */
  message(b: Buffer, at: number, length: number, where: string): void {
      const domain = b.readUInt32BE(at + 12);
    const end = at + length;
    for (let p = at + 16; p + 4 <= end; ) {
      const setId = b.readUInt16BE(p);
      const setLength = b.readUInt16BE(p + 2);
      if (setLength < 4 || p + setLength > end) { noteMalformed(this.stats, where, `set of length ${setLength} overruns its message`); return; }
      const setEnd = p + setLength;
      if (setId === 2) this.templateSet(b, p + 4, setEnd, domain);
      else if (setId >= 256) this.dataSet(b, p + 4, setEnd, this.templates.get(`${domain}|${setId}`), where);
      p = setEnd;
    }
  }

  private templateSet(b: Buffer, at: number, end: number, domain: number): void {
    for (let p = at; p + 4 <= end; ) {
      const id = b.readUInt16BE(p);
      const count = b.readUInt16BE(p + 2);
      p += 4;
      if (id < 256) return; // padding
      const fields: Template = [];
      for (let i = 0; i < count && p + 4 <= end; i++) {
        let fieldId = b.readUInt16BE(p);
        const length = b.readUInt16BE(p + 2);
        p += 4;
        // An enterprise-specific element carries its enterprise number next: not one this reader uses.
        if (fieldId & 0x8000) { fieldId = -1; p += 4; }
        fields.push({ id: fieldId, length });
      }
      this.templates.set(`${domain}|${id}`, fields);
    }
  }

  private dataSet(b: Buffer, at: number, end: number, template: Template | undefined, where: string): void {
    if (!template) { noteMalformed(this.stats, where, 'data set before its template'); return; }
    const minimum = template.reduce((n, f) => n + (f.length === 0xffff ? 1 : f.length), 0);
    for (let p = at; p + minimum <= end && minimum > 0; ) {
      this.stats.records++;
      let src: string | null = null;
      let dst: string | null = null;
      let sport: number | undefined;
      let dport: number | undefined;
      let protocol = -1;
      let time = NaN;
      for (const f of template) {
        let length = f.length;
        if (length === 0xffff) {
          length = b[p]!;
          p += 1;
          if (length === 255) { length = b.readUInt16BE(p); p += 2; }
        }
        if (p + length > end) { noteMalformed(this.stats, where, 'data record overruns its set'); return; }
        switch (f.id) {
          case IE.protocol: protocol = b[p + length - 1]!; break;
          case IE.srcPort: sport = b.readUInt16BE(p + length - 2); break;
          case IE.dstPort: dport = b.readUInt16BE(p + length - 2); break;
          case IE.src4: if (length === 4) src = v4(b, p); break;
          case IE.dst4: if (length === 4) dst = v4(b, p); break;
          case IE.src6: if (length === 16) src = v6(b, p); break;
          case IE.dst6: if (length === 16) dst = v6(b, p); break;
          case IE.startSeconds: if (length === 4) time = b.readUInt32BE(p) * 1000; break;
          case IE.startMillis: if (length === 8) time = b.readUInt32BE(p) * 4294967296 + b.readUInt32BE(p + 4); break;
        }
        p += length;
      }
      const proto = PROTOCOLS[protocol];
      if (!src || !dst || !proto) { if (!src || !dst) noteMalformed(this.stats, where, 'data record without source and destination addresses'); else this.stats.other++; continue; }
      if (proto === 'icmp' || proto === 'icmpv6') this.sink.emit({ kind: 'flow', time, src, dst, protocol: proto, role: 'record' });
      else if (sport === undefined || dport === undefined) noteMalformed(this.stats, where, 'tcp/udp record without ports');
      else this.sink.emit({ kind: 'flow', time, src, dst, protocol: proto, sport, dport, role: 'record' });
    }
  }
}

export const ipfix: Format = {
  name: 'ipfix',
  evidenceType: 'firewall-log',
  unit: 'flow records',
  sniff(head) {
    // Version 10, a message length that covers at least the header, and an export time after 2000.
    return head.length >= 16 && head.readUInt16BE(0) === 10 && head.readUInt16BE(2) >= 16 && head.readUInt32BE(4) > 946684800 ? 1 : 0;
  },
  async read(path, sink, options) {
    const stats = newStats();
    const window = new FileWindow(path, undefined, 0, options.progress);
    const reader = new IpfixReader(sink, stats);
    let pos = 0;
    try {
      for (;;) {
        const n = window.refill(pos);
        pos = 0;
        if (n === 0) break;
        stats.bytes += n;
        const b = window.buf;
        while (window.end - pos >= 16) {
          const length = b.readUInt16BE(pos + 2);
          const where = `byte ${window.offset + pos}`;
          if (b.readUInt16BE(pos) !== 10 || length < 16) {
            noteMalformed(stats, where, 'not an IPFIX message header; the rest of the file is unreadable');
            return stats;
          }
          if (window.end - pos < length) break;
          reader.message(b, pos, length, where);
          pos += length;
        }
      }
      if (window.end - pos > 0) noteMalformed(stats, `byte ${window.offset + pos}`, `file ends inside a message (${window.end - pos} bytes left)`);
    } finally {
      window.close();
    }
    return stats;
  },
};
