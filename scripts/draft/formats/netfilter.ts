// Linux netfilter LOG lines (iptables, nftables `log`, UFW, UniFi/EdgeRouter, Proxmox pve-firewall):
// `… IN=eth0 OUT= MAC=dst:src:type SRC=… DST=… PROTO=TCP SPT=… DPT=… SYN …` after whatever prefix the rule set.
// EdgeOS, VyOS and the UniFi USG write the prefix in brackets with no space before IN= (`[WAN_OUT-2000-A]IN=eth0`).
import { emitPortless, normalizeIp, normalizeMac, protocolOf, type Flow, type FlowProtocol, type Format } from '../events.js';
import { ByteMemo, BytePattern, LineClock, lineShare, portIn, readLineBytes, WindowBytes } from './text.js';

const PROXMOX_TIME = /^\d+ \d+ \S+ (\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d{4}) /;
const SRC = new BytePattern(' SRC=', 1);
const DST = new BytePattern(' DST=', 1);
const PROTO = new BytePattern(' PROTO=', 1);
const SPT = new BytePattern(' SPT=', 2);
const DPT = new BytePattern(' DPT=', 2);
const MAC = new BytePattern(' MAC=', 1);
const IN = new BytePattern('IN=', 1);
const SYN = new BytePattern(' SYN ', 2);
const ACK = new BytePattern(' ACK ', 3);
const TCP = new BytePattern('TCP');
const UDP = new BytePattern('UDP');
const ICMP = new BytePattern('ICMP');

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
    /** The value after the first key at or after from, up to the next space: [start, end), or null. */
    let valueStart = 0;
    let valueEnd = 0;
    const value = (key: BytePattern, from: number, end: number): boolean => {
      const i = bytes.find(key, from, end);
      if (i < 0) return false;
      valueStart = i + key.bytes.length;
      const space = bytes.indexOf(32, valueStart, end);
      valueEnd = space < 0 ? end : space;
      return true;
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
      const at = bytes.find(SRC, start, end);
      if (at < 0 || !hasInField(start, at)) return 'other';
      value(SRC, at, end);
      const src = addresses.get(bytes, valueStart, valueEnd);
      const dst = value(DST, at, end) ? addresses.get(bytes, valueStart, valueEnd) : null;
      if (!src || !dst) return 'SRC or DST is not an IP address';
      if (!value(PROTO, at, end)) return 'no PROTO=';
      const protocol = protocolAt(valueStart, valueEnd);
      if (!protocol) return 'other';
      const first = buf[start]!;
      const px = first >= 48 && first <= 57 ? PROXMOX_TIME.exec(buf.toString('latin1', start, end)) : null;
      const time = px ? Date.parse(`${px[2]} ${px[1]} ${px[3]} ${px[4]} ${px[5]}`) : clock.timeOf(bytes, start, end);
      const mac = value(MAC, start, end) ? macs.get(bytes, valueStart, valueEnd) : NO_MACS;
      flow.time = time;
      flow.src = src;
      flow.dst = dst;
      flow.protocol = protocol;
      flow.srcMac = mac.src;
      flow.dstMac = mac.dst;
      if (protocol === 'icmp' || protocol === 'icmpv6') {
        emitPortless(sink, flow);
        return 'ok';
      }
      const sport = value(SPT, at, end) ? portIn(buf, valueStart, valueEnd) : undefined;
      const dport = value(DPT, at, end) ? portIn(buf, valueStart, valueEnd) : undefined;
      if (sport === undefined || dport === undefined) return 'no SPT= or DPT=';
      const syn = protocol === 'tcp' && bytes.find(SYN, start, end) >= 0;
      flow.sport = sport;
      flow.dport = dport;
      flow.role = syn ? (bytes.find(ACK, start, end) >= 0 ? 'synack' : 'syn') : 'packet';
      sink.emit(flow);
      return 'ok';
    };
  }),
};
