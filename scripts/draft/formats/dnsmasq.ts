// dnsmasq and Pi-hole query logs. `query[A] name from client` starts a lookup; `reply`/`cached` lines give
// the answers, CNAME steps first. Answers dnsmasq made up itself (`config` = address=/…/ rules such as a
// captive portal's, /etc/hosts, DHCP names, Pi-hole's `gravity blocked`) are not what the name resolves to, so they are never used.
import { normalizeIp, normalizeMac, type DnsAnswer, type DnsQuery, type Format, type Lease } from '../events.js';
import { ByteMemo, BytePattern, LineClock, lineShare, readLineBytes, WindowBytes } from './text.js';

const MAX_PENDING = 4096;
const SPACE = 32;
const QUERY = new BytePattern('query[');
const REPLY = new BytePattern('reply ');
const CACHED = new BytePattern('cached ');
const CACHED_STALE = new BytePattern('cached-stale ');
const DHCPACK = new BytePattern('DHCPACK(');
const OTHER = 0;
const LOOKUP = 1;
const ANSWER = 2;
const ACK = 3;

/** Where the first "]: " of the line is, or -1: the program's tag ends there. */
function tagEnd(bytes: WindowBytes, start: number, end: number): number {
  const buf = bytes.buf;
  for (let i = bytes.indexOf(93, start, end - 2); i >= 0; i = bytes.indexOf(93, i + 1, end - 2)) if (buf[i + 1] === 58 && buf[i + 2] === SPACE) return i;
  return -1;
}

export const dnsmasq: Format = {
  name: 'dnsmasq',
  evidenceType: 'dns-log',
  unit: 'log lines',
  sniff: (_head, text) => lineShare(text, (l) => /dnsmasq(-dhcp)?\[\d+\]: |pihole(-FTL)?\[\d+\]: /.test(l)),
  read: (path, sink, options) => readLineBytes(path, options, false, (logClock) => {
    // Who asked for a name lately, and the name a CNAME chain started from.
    const askedBy = new Map<string, string>();
    let chainHead: string | undefined;
    const clock = new LineClock(logClock);
    const bytes = new WindowBytes();
    const names = new ByteMemo((name) => name.toLowerCase());
    const addresses = new ByteMemo(normalizeIp);
    const query: DnsQuery = { kind: 'query', time: NaN, client: '', name: '' };
    const answer: DnsAnswer = { kind: 'dns', time: NaN, client: undefined, name: '', address: '' };
    const lease: Lease = { kind: 'lease', time: NaN, ip: '', mac: '' };
    return (buf, start, end) => {
      bytes.use(buf);
      const colon = tagEnd(bytes, start, end);
      if (colon < 0) return 'other';
      const at = colon + 3;
      // Most lines are forwarded/config/gravity notes: the verb is checked in place before anything is read.
      // s1: the space after the verb (or -1); the words after it each run up to the next space.
      const c = buf[at];
      let kind = OTHER;
      let s1 = -1;
      if (c === 113 && bytes.startsWith(at, end, QUERY)) { kind = LOOKUP; s1 = bytes.indexOf(SPACE, at + 6, end); }
      else if (c === 114 && bytes.startsWith(at, end, REPLY)) { kind = ANSWER; s1 = at + 5; }
      else if (c === 99 && bytes.startsWith(at, end, CACHED)) { kind = ANSWER; s1 = at + 6; }
      else if (c === 99 && bytes.startsWith(at, end, CACHED_STALE)) { kind = ANSWER; s1 = at + 12; }
      else if (c === 68 && bytes.startsWith(at, end, DHCPACK)) { kind = ACK; s1 = bytes.indexOf(SPACE, at + 8, end); }
      if (kind === OTHER) return 'other';
      const s2 = s1 < 0 ? -1 : bytes.indexOf(SPACE, s1 + 1, end);
      const time = clock.timeOf(bytes, start, end);
      if (kind === LOOKUP) {
        // `query[A] name from client`: the third word is exactly "from".
        if (s2 < 0 || s2 === s1 + 1 || s2 + 5 >= end || buf[s2 + 5] !== SPACE || buf[s2 + 1] !== 102 || buf[s2 + 2] !== 114 || buf[s2 + 3] !== 111 || buf[s2 + 4] !== 109) return 'query line without name or client';
        const s4 = bytes.indexOf(SPACE, s2 + 6, end);
        const client = addresses.get(bytes, s2 + 6, s4 < 0 ? end : s4);
        if (!client) return 'query line without name or client';
        const name = names.get(bytes, s1 + 1, s2);
        if (askedBy.size >= MAX_PENDING) askedBy.delete(askedBy.keys().next().value!);
        askedBy.set(name, client);
        chainHead = name;
        query.time = time;
        query.client = client;
        query.name = name;
        sink.emit(query);
        return 'ok';
      }
      if (kind === ANSWER) {
        // `reply name is value`: the third word is exactly "is".
        if (s2 < 0 || s2 === s1 + 1 || s2 + 3 >= end || buf[s2 + 3] !== SPACE || buf[s2 + 1] !== 105 || buf[s2 + 2] !== 115) return 'answer line without name';
        const name = names.get(bytes, s1 + 1, s2);
        const asker = askedBy.get(name);
        if (asker !== undefined) chainHead = name;
        const s4 = bytes.indexOf(SPACE, s2 + 4, end);
        const address = addresses.get(bytes, s2 + 4, s4 < 0 ? end : s4);
        if (!address) return 'ok'; // <CNAME>, NODATA, NXDOMAIN, <HTTPS>
        const head = asker !== undefined ? name : chainHead ?? name;
        answer.time = time;
        answer.client = asker ?? askedBy.get(head);
        answer.name = head;
        answer.address = address;
        sink.emit(answer);
        return 'ok';
      }
      // `DHCPACK(interface) ip mac [name]`
      const s3 = s2 < 0 ? -1 : bytes.indexOf(SPACE, s2 + 1, end);
      const ip = s1 < 0 ? null : addresses.get(bytes, s1 + 1, s2 < 0 ? end : s2);
      const mac = s2 < 0 ? null : normalizeMac(buf.toString('latin1', s2 + 1, s3 < 0 ? end : s3));
      if (!ip || !mac) return 'DHCPACK without address and MAC';
      lease.time = time;
      lease.ip = ip;
      lease.mac = mac;
      sink.emit(lease);
      return 'ok';
    };
  }),
};
