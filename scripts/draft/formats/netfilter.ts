// Linux netfilter LOG lines (iptables, nftables `log`, UFW, UniFi/EdgeRouter, Proxmox pve-firewall):
// `… IN=eth0 OUT= MAC=dst:src:type SRC=… DST=… PROTO=TCP SPT=… DPT=… SYN …` after whatever prefix the rule set.
// EdgeOS, VyOS and the UniFi USG write the prefix in brackets with no space before IN= (`[WAN_OUT-2000-A]IN=eth0`).
import { emitPortless, normalizeIp, normalizeMac, protocolOf, type Flow, type FlowProtocol, type Format } from '../events.js';
import { ByteMemo, BytePattern, LineClock, lineShare, portIn, readLineBytes, WindowBytes } from './text.js';

const PROXMOX_TIME = /^\d+ \d+ \S+ (\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d{4}) /;
const IN = new BytePattern('IN=', 1);
const TCP = new BytePattern('TCP');
const UDP = new BytePattern('UDP');
const ICMP = new BytePattern('ICMP');

/** The first four bytes of a field, as the little-endian int32 a line's bytes are compared with. */
const keyOf = (text: string): number => Buffer.from(text, 'latin1').readInt32LE(0);
const SRC = keyOf('SRC=');
const DST = keyOf('DST=');
const PROT = keyOf('PROT'); // PROTO=
const SPT = keyOf('SPT=');
const DPT = keyOf('DPT=');
const MAC = keyOf('MAC=');
const SYN = keyOf('SYN ');
const ACK = keyOf('ACK ');
const IN_FIELD = keyOf('IN= ') & 0xffffff;

interface Macs { src: string | undefined; dst: string | undefined }

/** MAC= is destination (6 bytes), source (6 bytes), ethertype: the source sits at characters 18-34. */
function macsOf(field: string): Macs {
  return {
    src: field.length >= 35 ? normalizeMac(field.slice(18, 35)) ?? undefined : undefined,
    dst: field.length >= 17 ? normalizeMac(field.slice(0, 17)) ?? undefined : undefined,
  };
}
const NO_MACS: Macs = { src: undefined, dst: undefined };

export const netfilter: Format = {
  name: 'netfilter',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.includes(' SRC=') && l.includes(' PROTO=')),
  read: (path, sink, options) => readLineBytes(path, options, true, (logClock) => {
    const bytes = new WindowBytes();
    const clock = new LineClock(logClock);
    const addresses = new ByteMemo(normalizeIp);
    const macs = new ByteMemo(macsOf);
    const flow: Flow = { kind: 'flow', time: NaN, src: '', dst: '', protocol: 'tcp', sport: undefined, dport: undefined, role: 'packet', srcMac: undefined, dstMac: undefined };
    /** The end of the value that starts at `from`: the next space, or the end of the line. */
    const valueEnd = (from: number, end: number): number => {
      const space = bytes.indexOf(32, from, end);
      return space < 0 ? end : space;
    };
    /** An IN= field before SRC=, after a space or the closing bracket of a rule prefix. */
    const hasInField = (start: number, srcAt: number): boolean => {
      for (let i = bytes.find(IN, start, srcAt); i >= 0; i = bytes.find(IN, i + 3, srcAt)) {
        const before = i > start ? bytes.buf[i - 1] : -1;
        if (before === 32 || before === 93 /* ] */) return true;
      }
      return false;
    };
    const protocolAt = (start: number, end: number): FlowProtocol | null => {
      if (end - start === 3 && bytes.startsWith(start, end, TCP)) return 'tcp';
      if (end - start === 3 && bytes.startsWith(start, end, UDP)) return 'udp';
      if (end - start === 4 && bytes.startsWith(start, end, ICMP)) return 'icmp';
      return protocolOf(bytes.buf.toString('latin1', start, end));
    };
    return (buf, start, end) => {
      bytes.use(buf);
      const view = bytes.view;
      // One pass over the fields, each after a space: the first SRC=, then the first DST=, PROTO=, SPT= and DPT=
      // after it (a rule prefix may hold anything); MAC=, SYN and ACK anywhere. Positions are where values start.
      let src = -1;
      let dst = -1;
      let proto = -1;
      let spt = -1;
      let dpt = -1;
      let mac = -1;
      let inField = false;
      let syn = false;
      let ack = false;
      for (let space = bytes.indexOf(32, start, end); space >= 0 && space + 5 <= end; space = bytes.indexOf(32, space + 1, end)) {
        const w = view.getInt32(space + 1, true);
        if (w === SRC) { if (src < 0) src = space + 5; }
        else if (w === MAC) { if (mac < 0) mac = space + 5; }
        else if (w === SYN) syn = true;
        else if (w === ACK) ack = true;
        else if (src < 0) { if ((w & 0xffffff) === IN_FIELD) inField = true; }
        else if (w === DST) { if (dst < 0) dst = space + 5; }
        else if (w === PROT) { if (proto < 0 && space + 7 <= end && buf[space + 5] === 79 /* O */ && buf[space + 6] === 61 /* = */) proto = space + 7; }
        else if (w === SPT) { if (spt < 0) spt = space + 5; }
        else if (w === DPT) { if (dpt < 0) dpt = space + 5; }
      }
      // EdgeOS writes IN= right after the rule prefix's bracket: `[WAN_OUT-2000-A]IN=eth0`.
      if (src < 0 || !(inField || hasInField(start, src - 5))) return 'other';
      const srcAddress = addresses.get(bytes, src, valueEnd(src, end));
      const dstAddress = dst < 0 ? null : addresses.get(bytes, dst, valueEnd(dst, end));
      if (!srcAddress || !dstAddress) return 'SRC or DST is not an IP address';
      if (proto < 0) return 'no PROTO=';
      const protocol = protocolAt(proto, valueEnd(proto, end));
      if (!protocol) return 'other';
      const first = buf[start]!;
      const px = first >= 48 && first <= 57 ? PROXMOX_TIME.exec(buf.toString('latin1', start, end)) : null;
      const time = px ? Date.parse(`${px[2]} ${px[1]} ${px[3]} ${px[4]} ${px[5]}`) : clock.timeOf(bytes, start, end);
      const macPair = mac < 0 ? NO_MACS : macs.get(bytes, mac, valueEnd(mac, end));
      flow.time = time;
      flow.src = srcAddress;
      flow.dst = dstAddress;
      flow.protocol = protocol;
      flow.srcMac = macPair.src;
      flow.dstMac = macPair.dst;
      if (protocol === 'icmp' || protocol === 'icmpv6') {
        emitPortless(sink, flow);
        return 'ok';
      }
      const sport = spt < 0 ? undefined : portIn(buf, spt, valueEnd(spt, end));
      const dport = dpt < 0 ? undefined : portIn(buf, dpt, valueEnd(dpt, end));
      if (sport === undefined || dport === undefined) return 'no SPT= or DPT=';
      flow.sport = sport;
      flow.dport = dport;
      flow.role = protocol === 'tcp' && syn ? (ack ? 'synack' : 'syn') : 'packet';
      sink.emit(flow);
      return 'ok';
    };
  }),
};
