// NetFlow version 9 (RFC 3954): export packets stored one after another, as a collector that keeps the raw UDP
// payloads writes them. A packet is a 20-byte header (version 9, record count, sysUptime, UNIX seconds, sequence,
// source id) and FlowSets: templates (id 0), options templates (1), data (256 and up). The header carries no
// packet length, but FlowSet ids 2-255 are reserved, so a 9 where a FlowSet would start begins the next packet.
// Templates and records decode as IPFIX's do (ipfix.ts); every record is one direction of a flow.
import { newStats, type Format } from '../events.js';
import { FileWindow } from '../file-window.js';
import { FlowRecordDecoder, type Clock } from './ipfix.js';

const HEADER = 20;

export const netflow9: Format = {
  name: 'netflow9',
  evidenceType: 'firewall-log',
  unit: 'flow records',
  sniff(head) {
    // Version 9, an export time after 2000, and a first FlowSet that is a template, an options template or data.
    if (head.length < HEADER + 4 || head.readUInt16BE(0) !== 9 || head.readUInt32BE(8) <= 946684800) return 0;
    const set = head.readUInt16BE(HEADER);
    return (set <= 1 || set >= 256) && head.readUInt16BE(HEADER + 2) >= 4 ? 1 : 0;
  },
  async read(path, sink, options) {
    const stats = newStats();
    const window = new FileWindow(path, undefined, 0, options.progress);
    const decoder = new FlowRecordDecoder(sink, stats);
    let clock: Clock | null = null;
    let source = '';
    let pos = 0;
    try {
      for (;;) {
        const n = window.refill(pos);
        pos = 0;
        if (n === 0) break;
        stats.bytes += n;
        const b = window.buf;
        while (window.end - pos >= 4) {
          const id = b.readUInt16BE(pos);
          const where = `byte ${window.offset + pos}`;
          if (id === 9) {
            if (window.end - pos < HEADER) break;
            const uptime = b.readUInt32BE(pos + 4);
            const exportMs = b.readUInt32BE(pos + 8) * 1000;
            clock = { exportMs, bootMs: exportMs - uptime };
            source = `9|${b.readUInt32BE(pos + 16)}`;
            pos += HEADER;
            continue;
          }
          const length = b.readUInt16BE(pos + 2);
          if (!clock || length < 4 || (id > 1 && id < 256)) {
            decoder.unreadable(where, clock ? `FlowSet ${id} of length ${length} is neither a template, an options template nor data; the rest of the file is unreadable` : 'not a NetFlow v9 export packet header; the rest of the file is unreadable');
            return stats;
          }
          if (window.end - pos < length) break;
          if (id === 0) decoder.templateSet(b, pos + 4, pos + length, source, false, where);
          else if (id === 1) decoder.optionsTemplateSetV9(b, pos + 4, pos + length, source, where);
          else decoder.dataSet(b, pos + 4, pos + length, source, id, where, clock);
          pos += length;
        }
      }
      if (window.end - pos > 0) decoder.unreadable(`byte ${window.offset + pos}`, `file ends inside a packet (${window.end - pos} bytes left)`);
    } finally {
      window.close();
    }
    return stats;
  },
};
