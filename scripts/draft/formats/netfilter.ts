// Linux netfilter LOG lines (iptables, nftables `log`, UFW, UniFi/EdgeRouter, Proxmox pve-firewall):
// `… IN=eth0 OUT= MAC=dst:src:type SRC=… DST=… PROTO=TCP SPT=… DPT=… SYN …` after whatever prefix the rule set.
// EdgeOS, VyOS and the UniFi USG write the prefix in brackets with no space before IN= (`[WAN_OUT-2000-A]IN=eth0`).
import { normalizeIp, normalizeMac, portNumber, protocolOf, type Format } from '../events.js';
import { lineShare, readLines, valueAfter } from './text.js';

const PROXMOX_TIME = /^\d+ \d+ \S+ (\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d:\d\d:\d\d) ([+-]\d{4}) /;

/** An IN= field before SRC=, after a space or the closing bracket of a rule prefix. */
function hasInField(line: string, srcAt: number): boolean {
  for (let i = line.indexOf('IN=', 0); i >= 0 && i < srcAt; i = line.indexOf('IN=', i + 3)) {
    const before = line.charCodeAt(i - 1);
    if (before === 32 || before === 93 /* ] */) return true;
  }
  return false;
}

export const netfilter: Format = {
  name: 'netfilter',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.includes(' SRC=') && l.includes(' PROTO=')),
  read: (path, sink, options) => readLines(path, options, true, (clock) => (line) => {
    const at = line.indexOf(' SRC=');
    if (at < 0 || !hasInField(line, at)) return 'other';
    const src = normalizeIp(valueAfter(line, ' SRC=', at - 1) ?? '');
    const dst = normalizeIp(valueAfter(line, ' DST=', at) ?? '');
    if (!src || !dst) return 'SRC or DST is not an IP address';
    const protoText = valueAfter(line, ' PROTO=', at);
    if (protoText === undefined) return 'no PROTO=';
    const protocol = protocolOf(protoText);
    if (!protocol) return 'other';
    const px = PROXMOX_TIME.exec(line);
    const time = px ? Date.parse(`${px[2]} ${px[1]} ${px[3]} ${px[4]} ${px[5]}`) : clock.syslog(line);
    // MAC= is destination (6 bytes), source (6 bytes), ethertype: the source sits at characters 18-34.
    const macField = valueAfter(line, ' MAC=');
    const srcMac = macField && macField.length >= 35 ? normalizeMac(macField.slice(18, 35)) ?? undefined : undefined;
    const dstMac = macField && macField.length >= 17 ? normalizeMac(macField.slice(0, 17)) ?? undefined : undefined;
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet', srcMac, dstMac });
      return 'ok';
    }
    const sport = portNumber(valueAfter(line, ' SPT=', at));
    const dport = portNumber(valueAfter(line, ' DPT=', at));
    if (sport === undefined || dport === undefined) return 'no SPT= or DPT=';
    const syn = protocol === 'tcp' && line.includes(' SYN ');
    const ack = line.includes(' ACK ');
    sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role: syn ? (ack ? 'synack' : 'syn') : 'packet', srcMac, dstMac });
    return 'ok';
  }),
};
