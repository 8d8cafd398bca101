// dnsmasq and Pi-hole query logs. `query[A] name from client` starts a lookup; `reply`/`cached` lines give
// the answers, CNAME steps first. Answers dnsmasq made up itself (`config` = address=/…/ rules such as a
// captive portal's, /etc/hosts, DHCP names, Pi-hole's `gravity blocked`) are not what the name resolves to, so they are never used.
import { normalizeIp, normalizeMac, type DnsAnswer, type DnsQuery, type Format, type Lease } from '../events.js';
import { ByteMemo, BytePattern, LineClock, lineShare, readLineBytes, WindowBytes } from './text.js';

const MAX_PENDING = 4096;
const MAX_INTERNED = 1 << 16;
const SPACE = 32;
const QUERY = new BytePattern('query[');
const REPLY = new BytePattern('reply ');
const CACHED = new BytePattern('cached ');
const CACHED_STALE = new BytePattern('cached-stale ');
const DHCPACK = new BytePattern('DHCPACK(');
const LOOKUP = 1;
const ANSWER = 2;
const ACK = 3;

/**
 * What a lookup, answer or DHCPACK message says (the text after "]: "), read once per distinct message: logs repeat
 * them. `first`: the name looked up or answered, or the leased address; `second`: the client, the answer's address
 * (null for a CNAME step or no data) or the MAC; `malformed`: why the message could not be read.
 */
interface Message { kind: number; first: string; second: string | null; malformed?: string }

/** Reads a message whose verb was recognised: words run up to the next space, as dnsmasq writes them. */
function readMessage(m: string, intern: (text: string) => string): Message {
  const word = (from: number) => { const space = m.indexOf(' ', from); return m.slice(from, space < 0 ? undefined : space); };
  if (m.startsWith('query[')) {
    // `query[A] name from client`: the third word is exactly "from".
    const s1 = m.indexOf(' ', 6);
    const s2 = s1 < 0 ? -1 : m.indexOf(' ', s1 + 1);
    const client = s2 < 0 || s2 === s1 + 1 || m.slice(s2, s2 + 6) !== ' from ' ? null : normalizeIp(word(s2 + 6));
    if (!client) return { kind: LOOKUP, first: '', second: null, malformed: 'query line without name or client' };
    return { kind: LOOKUP, first: intern(m.slice(s1 + 1, s2).toLowerCase()), second: intern(client) };
  }
  if (m.startsWith('DHCPACK(')) {
    // `DHCPACK(interface) ip mac [name]`
    const s1 = m.indexOf(' ', 8);
    const s2 = s1 < 0 ? -1 : m.indexOf(' ', s1 + 1);
    const ip = s1 < 0 ? null : normalizeIp(m.slice(s1 + 1, s2 < 0 ? undefined : s2));
    const mac = s2 < 0 ? null : normalizeMac(word(s2 + 1));
    if (!ip || !mac) return { kind: ACK, first: '', second: null, malformed: 'DHCPACK without address and MAC' };
    return { kind: ACK, first: intern(ip), second: intern(mac) };
  }
  // `reply name is value`, `cached name is value`, `cached-stale name is value`: the third word is exactly "is".
  const s1 = m.indexOf(' ');
  const s2 = m.indexOf(' ', s1 + 1);
  if (s2 < 0 || s2 === s1 + 1 || m.slice(s2, s2 + 4) !== ' is ') return { kind: ANSWER, first: '', second: null, malformed: 'answer line without name' };
  const address = normalizeIp(word(s2 + 4));
  return { kind: ANSWER, first: intern(m.slice(s1 + 1, s2).toLowerCase()), second: address && intern(address) };
}

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
    // One string per distinct name or address, whichever message it came from: the maps downstream compare them by identity first.
    const interned = new Map<string, string>();
    const intern = (text: string): string => {
      const known = interned.get(text);
      if (known !== undefined) return known;
      if (interned.size >= MAX_INTERNED) interned.clear();
      // A copy of its own, not a slice of the message: a slice keeps the message alive, and maps compare slices slower.
      const copy = Buffer.from(text, 'latin1').toString('latin1');
      interned.set(copy, copy);
      return copy;
    };
    const messages = new ByteMemo((text) => readMessage(text, intern));
    const query: DnsQuery = { kind: 'query', time: NaN, client: '', name: '' };
    const answer: DnsAnswer = { kind: 'dns', time: NaN, client: undefined, name: '', address: '' };
    const lease: Lease = { kind: 'lease', time: NaN, ip: '', mac: '' };
    return (buf, start, end) => {
      bytes.use(buf);
      const colon = tagEnd(bytes, start, end);
      if (colon < 0) return 'other';
      const at = colon + 3;
      // Most lines are forwarded/config/gravity notes: the verb is checked in place before anything is read.
      const c = buf[at];
      const known = (c === 113 && bytes.startsWith(at, end, QUERY)) || (c === 114 && bytes.startsWith(at, end, REPLY))
        || (c === 99 && (bytes.startsWith(at, end, CACHED) || bytes.startsWith(at, end, CACHED_STALE))) || (c === 68 && bytes.startsWith(at, end, DHCPACK));
      if (!known) return 'other';
      const time = clock.timeOf(bytes, start, end);
      const message = messages.get(bytes, at, end);
      if (message.malformed !== undefined) return message.malformed;
      if (message.kind === LOOKUP) {
        const name = message.first;
        if (askedBy.size >= MAX_PENDING) askedBy.delete(askedBy.keys().next().value!);
        askedBy.set(name, message.second!);
        chainHead = name;
        query.time = time;
        query.client = message.second!;
        query.name = name;
        sink.emit(query);
        return 'ok';
      }
      if (message.kind === ANSWER) {
        const name = message.first;
        const asker = askedBy.get(name);
        if (asker !== undefined) chainHead = name;
        if (message.second === null) return 'ok'; // <CNAME>, NODATA, NXDOMAIN, <HTTPS>
        const head = asker !== undefined ? name : chainHead ?? name;
        answer.time = time;
        answer.client = asker ?? askedBy.get(head);
        answer.name = head;
        answer.address = message.second;
        sink.emit(answer);
        return 'ok';
      }
      lease.time = time;
      lease.ip = message.first;
      lease.mac = message.second!;
      sink.emit(lease);
      return 'ok';
    };
  }),
};
