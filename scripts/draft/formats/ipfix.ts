// IPFIX files: RFC 7011 messages stored one after another (RFC 5655), as IPFIX collectors such as YAF and
// ipfixcol2 write them. Templates (and options templates) describe the records; the reader takes addresses,
// ports, protocol and start time from each data record. A uniflow record is one direction of a flow: it is a
// 'record' that the collector pairs with its other direction instead of taking its source for the opener. A
// biflow record (RFC 5103: the template carries reverse elements, enterprise 29305) is one whole connection
// whose forward side opened it, unless its biflowDirection says otherwise. NetFlow v9 (netflow9.ts) shares the
// template and record decoding.
import { newStats, noteMalformed, normalizeIp, type Format, type ReadStats, type Sink, type FlowProtocol, type Flow } from '../events.js';
import { FileWindow } from '../file-window.js';

/** Information elements read (IANA IPFIX registry numbers; NetFlow v9 uses the same numbers below 128). */
const IE = {
  protocol: 4, srcPort: 7, src4: 8, dstPort: 11, dst4: 12, startUptime: 22, src6: 27, dst6: 28,
  startSeconds: 150, startMillis: 152, startMicros: 154, startNanos: 156, biflowDirection: 239,
} as const;
/** RFC 5103: reverse information elements are enterprise-specific, under this private enterprise number. */
const REVERSE_PEN = 29305;
/** biflowDirection (RFC 5103 section 6.3): 1 the forward side opened the connection, 2 the reverse side did. */
const INITIATOR = 1;
const REVERSE_INITIATOR = 2;
/** Seconds from the NTP era (1900) to the Unix epoch: dateTimeMicroseconds and -Nanoseconds count from 1900. */
const NTP_TO_UNIX = 2208988800;

/** A field specifier; id -1 for an element this reader does not use (another enterprise's, or a reverse one). */
interface Field { id: number; length: number }
interface Template {
  fields: Field[];
  /** Sum of the fixed lengths, 1 for each variable-length field: no record is shorter. */
  minimum: number;
  /** Options template: its records describe the exporter, not traffic. */
  options: boolean;
  /** RFC 5103 biflow: the template has reverse elements, so each record is both directions of one connection. */
  biflow: boolean;
}

/** How a record's start time is found when it gives one relative to the exporter's boot, or none. */
export interface Clock {
  /** Milliseconds since the epoch when the message was exported: the time of a record that gives none. */
  exportMs: number;
  /** Epoch milliseconds of the exporter's boot (NetFlow v9: export time minus sysUptime), for FIRST_SWITCHED. */
  bootMs?: number;
}

const PROTOCOLS: Record<number, FlowProtocol> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

function v4(b: Buffer, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}
function v6(b: Buffer, at: number): string | null {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(at + i).toString(16));
  return normalizeIp(parts.join(':'));
}
/** An unsigned integer in 1 to 6 bytes: reduced-size encoding (RFC 7011 section 6.2) may shorten any of them. */
const unsigned = (b: Buffer, at: number, length: number) => (length >= 1 && length <= 6 ? b.readUIntBE(at, length) : length > 6 ? b.readUIntBE(at + length - 6, 6) : -1);

/** Templates and data records of IPFIX messages and NetFlow v9 packets; one instance per file. */
export class FlowRecordDecoder {
  private readonly templates = new Map<string, Template>();

  constructor(private readonly sink: Sink, private readonly stats: ReadStats) {}

  /**
   * Template records from at to end: IPFIX (set 2, or 3 for options) and NetFlow v9 template FlowSets (0) share a
   * layout, id and field count then the field specifiers; an IPFIX options template has a scope field count after
   * the field count. `key` scopes template ids (observation domain or source id).
   */
  templateSet(b: Buffer, at: number, end: number, key: string, options: boolean, where: string): void {
    for (let p = at; p + 4 <= end; ) {
      const id = b.readUInt16BE(p);
      const count = b.readUInt16BE(p + 2);
      if (id < 256) return; // padding up to the end of the set
      // A template id with no fields (and, in an options set too, no scope count) withdraws it (RFC 7011 section 8.1).
      if (count === 0) { this.templates.delete(`${key}|${id}`); p += 4; continue; }
      p += options ? 6 : 4;
      const fields: Field[] = [];
      let biflow = false;
      for (let i = 0; i < count; i++) {
        if (p + 4 > end) { this.unreadable(where, `template ${id} overruns its set`); return; }
        let fieldId = b.readUInt16BE(p);
        const length = b.readUInt16BE(p + 2);
        p += 4;
        if (fieldId & 0x8000) {
          // An enterprise-specific element carries its enterprise number next: RFC 5103's reverse elements mark a biflow.
          if (p + 4 > end) { this.unreadable(where, `template ${id} overruns its set`); return; }
          if (b.readUInt32BE(p) === REVERSE_PEN) biflow = true;
          fieldId = -1;
          p += 4;
        }
        fields.push({ id: fieldId, length });
      }
      this.define(key, id, fields, options, biflow);
    }
  }

  /** NetFlow v9 options templates (FlowSet 1): scope and option lengths in bytes, then their field specifiers. */
  optionsTemplateSetV9(b: Buffer, at: number, end: number, key: string, where: string): void {
    for (let p = at; p + 6 <= end; ) {
      const id = b.readUInt16BE(p);
      const bytes = b.readUInt16BE(p + 2) + b.readUInt16BE(p + 4);
      if (id < 256) return;
      p += 6;
      if (bytes % 4 !== 0 || p + bytes > end) { this.unreadable(where, `options template ${id} overruns its FlowSet`); return; }
      const fields: Field[] = [];
      for (const stop = p + bytes; p < stop; p += 4) fields.push({ id: -1, length: b.readUInt16BE(p + 2) });
      this.define(key, id, fields, true, false);
      // Padding to a four-byte boundary ends the FlowSet: a following template would have started at once.
      if (end - p < 6) return;
    }
  }

  private define(key: string, id: number, fields: Field[], options: boolean, biflow: boolean): void {
    const minimum = fields.reduce((n, f) => n + (f.length === 0xffff ? 1 : f.length), 0);
    this.templates.set(`${key}|${id}`, { fields, minimum, options, biflow });
  }

  /** Counts one unreadable unit (a set, a template, a message) as a malformed record. */
  unreadable(where: string, reason: string): void {
    this.stats.records++;
    noteMalformed(this.stats, where, reason);
  }

  dataSet(b: Buffer, at: number, end: number, key: string, id: number, where: string, clock: Clock): void {
    const template = this.templates.get(`${key}|${id}`);
    if (!template) { this.unreadable(where, `data set ${id} before its template`); return; }
    if (template.minimum === 0) return;
    // Whatever is left that is shorter than a record is padding.
    for (let p = at; p + template.minimum <= end; ) {
      this.stats.records++;
      let src: string | null = null;
      let dst: string | null = null;
      let sport: number | undefined;
      let dport: number | undefined;
      let protocol = -1;
      let time = NaN;
      let direction = -1;
      for (const f of template.fields) {
        let length = f.length;
        if (length === 0xffff) {
          length = b[p]!;
          p += 1;
          if (length === 255) { length = b.readUInt16BE(p); p += 2; }
        }
        if (p + length > end) { noteMalformed(this.stats, where, 'data record overruns its set'); return; }
        switch (f.id) {
          case IE.protocol: protocol = unsigned(b, p, length); break;
          case IE.srcPort: sport = unsigned(b, p, length); break;
          case IE.dstPort: dport = unsigned(b, p, length); break;
          case IE.src4: if (length === 4) src = v4(b, p); break;
          case IE.dst4: if (length === 4) dst = v4(b, p); break;
          case IE.src6: if (length === 16) src = v6(b, p); break;
          case IE.dst6: if (length === 16) dst = v6(b, p); break;
          case IE.startSeconds: if (length === 4) time = b.readUInt32BE(p) * 1000; break;
          case IE.startMillis: if (length === 8) time = b.readUInt32BE(p) * 4294967296 + b.readUInt32BE(p + 4); break;
          case IE.startMicros: case IE.startNanos: if (length === 8) time = (b.readUInt32BE(p) - NTP_TO_UNIX) * 1000 + Math.floor(b.readUInt32BE(p + 4) / 4294967.296); break;
          case IE.startUptime: if (length === 4 && clock.bootMs !== undefined) time = clock.bootMs + b.readUInt32BE(p); break;
          case IE.biflowDirection: direction = unsigned(b, p, length); break;
        }
        p += length;
      }
      if (template.options) { this.stats.other++; continue; }
      const proto = PROTOCOLS[protocol];
      if (!src || !dst || !proto) { if (!src || !dst) noteMalformed(this.stats, where, 'data record without source and destination addresses'); else this.stats.other++; continue; }
      if ((proto === 'tcp' || proto === 'udp') && (sport === undefined || dport === undefined || sport < 0 || dport < 0)) { noteMalformed(this.stats, where, `${proto} record without ports`); continue; }
      // A biflow's forward side opened the connection unless biflowDirection says the reverse side did (then the
      // record is read turned round) or that the direction is arbitrary or the perimeter's (then the ports decide).
      const role: Flow['role'] = !template.biflow ? 'record' : direction === -1 || direction === INITIATOR || direction === REVERSE_INITIATOR ? 'initiator' : 'record';
      const turn = template.biflow && direction === REVERSE_INITIATOR;
      const flow: Flow = {
        kind: 'flow', time: Number.isNaN(time) ? clock.exportMs : time, protocol: proto, role,
        src: turn ? dst : src, dst: turn ? src : dst,
        ...(proto === 'tcp' || proto === 'udp' ? { sport: turn ? dport : sport, dport: turn ? sport : dport } : {}),
      };
      this.sink.emit(flow);
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
    const decoder = new FlowRecordDecoder(sink, stats);
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
            decoder.unreadable(where, 'not an IPFIX message header; the rest of the file is unreadable');
            return stats;
          }
          if (window.end - pos < length) break;
          message(decoder, b, pos, length, where);
          pos += length;
        }
      }
      if (window.end - pos > 0) decoder.unreadable(`byte ${window.offset + pos}`, `file ends inside a message (${window.end - pos} bytes left)`);
    } finally {
      window.close();
    }
    return stats;
  },
};

/** One message at b[at, at + length): header, then sets (RFC 7011 sections 3.1 and 3.3). */
function message(decoder: FlowRecordDecoder, b: Buffer, at: number, length: number, where: string): void {
  const clock: Clock = { exportMs: b.readUInt32BE(at + 4) * 1000 };
  const domain = `10|${b.readUInt32BE(at + 12)}`;
  const end = at + length;
  for (let p = at + 16; p + 4 <= end; ) {
    const setId = b.readUInt16BE(p);
    const setLength = b.readUInt16BE(p + 2);
    if (setLength < 4 || p + setLength > end) { decoder.unreadable(where, `set of length ${setLength} overruns its message`); return; }
    const setEnd = p + setLength;
    if (setId === 2 || setId === 3) decoder.templateSet(b, p + 4, setEnd, domain, setId === 3, where);
    else if (setId >= 256) decoder.dataSet(b, p + 4, setEnd, domain, setId, where, clock);
    p = setEnd;
  }
}
