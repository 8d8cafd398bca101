// MikroTik RouterOS firewall log: `… firewall,info <prefix> <chain>: in:… out:…, src-mac xx:…, proto TCP (SYN), 1.2.3.4:5->6.7.8.9:10, len 60`.
import { normalizeIp, normalizeMac, portNumber, protocolOf, type Format } from '../events.js';
import { lineShare, readLines } from './text.js';

function splitHostPort(text: string): [string | null, number | undefined] {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    return [normalizeIp(text.slice(1, close)), portNumber(text.slice(close + 2) || undefined)];
  }
  const colon = text.indexOf(':');
  return colon < 0 ? [normalizeIp(text), undefined] : [normalizeIp(text.slice(0, colon)), portNumber(text.slice(colon + 1))];
}

export const mikrotik: Format = {
  name: 'mikrotik',
  evidenceType: 'firewall-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => l.includes('firewall,') && l.includes('->')),
  read: (path, sink, options) => readLines(path, options, true, (clock) => (line) => {
    const p = line.indexOf(', proto ');
    if (p < 0 || line.indexOf('firewall') < 0) return 'other';
    const arrow = line.indexOf('->', p);
    if (arrow < 0) return 'no src->dst';
    const protoEnd = line.indexOf(' ', p + 8);
    const protocol = protocolOf(line.slice(p + 8, protoEnd < 0 ? undefined : protoEnd).replace(/,$/, ''));
    if (!protocol) return 'other';
    const left = line.slice(line.lastIndexOf(' ', arrow) + 1, arrow);
    const comma = line.indexOf(',', arrow);
    const right = line.slice(arrow + 2, comma < 0 ? undefined : comma);
    const [src, sport] = splitHostPort(left);
    const [dst, dport] = splitHostPort(right);
    if (!src || !dst) return 'addresses are not IP addresses';
    const m = line.indexOf('src-mac ');
    const srcMac = m >= 0 ? normalizeMac(line.slice(m + 8, m + 25)) ?? undefined : undefined;
    const time = clock.syslog(line);
    const flags = line.slice(protoEnd, arrow);
    if (protocol === 'icmp' || protocol === 'icmpv6') {
      sink.emit({ kind: 'flow', time, src, dst, protocol, role: 'packet', ...(srcMac ? { srcMac } : {}) });
      return 'ok';
    }
    if (sport === undefined || dport === undefined) return 'no ports';
    const role = flags.includes('SYN') ? (flags.includes('ACK') ? 'synack' : 'syn') : line.includes('connection-state:new') ? 'initiator' : 'packet';
    sink.emit({ kind: 'flow', time, src, dst, protocol, sport, dport, role, ...(srcMac ? { srcMac } : {}) });
    return 'ok';
  }),
};
