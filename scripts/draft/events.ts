// The event model every reader emits: flows, DNS answers and queries, DHCP leases. Readers only parse;
// attribution, naming and classification happen in collect.ts, so each format stays a small module.
import ipaddr from 'ipaddr.js';
import type { EvidenceType } from '../lib/source-types.js';

export type FlowProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6';

export interface Flow {
  kind: 'flow';
  /** Milliseconds since the epoch; NaN when the input carries no time. */
  time: number;
  src: string;
  dst: string;
  protocol: FlowProtocol;
  sport?: number;
  dport?: number;
  srcMac?: string;
  dstMac?: string;
  /** TLS server name seen in this flow. */
  sni?: string;
  /**
   * 'initiator': src opened the connection (connection logs: Zeek, conntrack, Suricata, nfdump).
   * 'syn': a TCP SYN, so src is the initiator. 'packet': a single packet of unknown role.
   * 'record': one direction of a connection, as flow exporters write it (nfdump, NetFlow/IPFIX, Suricata
   * netflow): a reply is a record of its own, so the ports and the pairing with the other direction tell the opener.
   */
  role: 'initiator' | 'syn' | 'synack' | 'packet' | 'record';
  /** How many events this record stands for (a Zeek connection is one; nfdump rows may aggregate). */
  count?: number;
}

/** An address in a DNS answer, attributed to the name the client asked for (the head of any CNAME chain). */
export interface DnsAnswer { kind: 'dns'; time: number; client?: string; clientMac?: string; name: string; address: string }
export interface DnsQuery { kind: 'query'; time: number; client: string; name: string }
export interface Lease { kind: 'lease'; time: number; mac: string; ip: string }

export type DraftEvent = Flow | DnsAnswer | DnsQuery | Lease;

/** Receives what a reader finds. A reader may refill the same event object for its next record: keep copies, not the object. */
export interface Sink {
  emit(event: DraftEvent): void;
  /**
   * Changes whenever the sink could count a flow differently from an identical one it took before (it learnt a
   * device address; it changed or forgot who opened a conversation). While it stays the same, a reader may hold
   * back such repeats and emit them later as one flow with a count, before any other flow or any lease the sink
   * learns from (DNS answers and queries name destinations whatever the flows were, and other leases change
   * nothing); undefined: never.
   */
  readonly revision?: number;
  /** Whether emitting this lease would teach the sink a device address (and so change `revision`); missing: assume it would. */
  learnsFrom?(lease: Lease): boolean;
}

/** What the readers may skip cheaply: only lines or packets that can concern one of these. */
export interface DeviceFilter {
  /** Substrings at least one of which a relevant text line contains; null when every line must be read. */
  needles: string[] | null;
  /** The device's addresses and MACs, for binary inputs that compare raw bytes; empty sets match everything. */
  ips: ReadonlySet<string>;
  macs: ReadonlySet<string>;
}

export type FormatName =
  | 'pcap' | 'filterlog' | 'netfilter' | 'mikrotik' | 'dnsmasq' | 'adguard' | 'zeek' | 'suricata' | 'conntrack' | 'nfdump'
  | 'ipfix' | 'netflow9' | 'opnsense-json' | 'cef' | 'dhcpd';

export interface ReadStats {
  /** Lines or packets read: used + other + malformed + skipped. */
  records: number;
  /** Records of the format that could not be parsed: counted and skipped. */
  malformed: number;
  malformedExamples: { at: string; reason: string }[];
  /** Records that are not flows, answers or leases (other syslog programs, headers, ARP...). */
  other: number;
  /** Records skipped unparsed because they cannot concern the device. */
  skipped: number;
  bytes: number;
  /** Set when the input has timestamps without a year (BSD syslog) and the year was taken from elsewhere. */
  yearFrom?: string;
}

export interface ReadOptions {
  filter: DeviceFilter;
  year?: number;
  /** Told the bytes of the file read so far, about once per MiB. */
  progress?: (bytesRead: number) => void;
}

export interface Format {
  name: FormatName;
  evidenceType: EvidenceType;
  /** What one record is called in reports and notes. */
  unit: string;
  /** How strongly the start of a file looks like this format (0 = not at all). */
  sniff(head: Buffer, text: string): number;
  read(path: string, sink: Sink, options: ReadOptions): Promise<ReadStats>;
}

/** Emits a refilled flow event that has no ports (ICMP): its ports and role from an earlier line are cleared first. */
export function emitPortless(sink: Sink, flow: Flow): void {
  flow.sport = undefined;
  flow.dport = undefined;
  flow.role = 'packet';
  sink.emit(flow);
}

export function newStats(): ReadStats {
  return { records: 0, malformed: 0, malformedExamples: [], other: 0, skipped: 0, bytes: 0 };
}

const MAX_EXAMPLES = 5;
export function noteMalformed(stats: ReadStats, at: string, reason: string): void {
  stats.malformed++;
  if (stats.malformedExamples.length < MAX_EXAMPLES) stats.malformedExamples.push({ at, reason });
}

/** Four decimal octets without leading zeros: the only IPv4 spelling we accept, checked without allocating. */
function isDottedQuad(text: string): boolean {
  let octets = 0;
  let value = -1;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || ++octets > 4) return false;
      value = -1;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false;
      value = (value < 0 ? 0 : value * 10) + (c - 48);
      digits++;
    } else return false;
  }
  return octets === 4;
}

/**
 * IPv6 texts already normalised, and their canonical form: parsing one with ipaddr.js costs more than the rest of
 * a log line, and logs repeat their addresses. Cleared when full, so memory stays bounded.
 */
const V6_SEEN = new Map<string, string | null>();
const MAX_V6_SEEN = 1 << 14;

/** Canonical text of an IP address (dotted quad, RFC 5952), or null when the text is not one. */
export function normalizeIp(text: string): string | null {
  if (text.indexOf(':') < 0) return isDottedQuad(text) ? text : null;
  let canonical = V6_SEEN.get(text);
  if (canonical === undefined) {
    canonical = normalizeV6(text);
    if (V6_SEEN.size >= MAX_V6_SEEN) V6_SEEN.clear();
    V6_SEEN.set(text, canonical);
  }
  return canonical;
}

function normalizeV6(text: string): string | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!ipaddr.IPv6.isValid(bare) || bare.includes('%')) return null;
  const v6 = ipaddr.IPv6.parse(bare);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
}

/** Whether text is a MAC address in lower-case colon form already, as firewall logs write them: checked without allocating. */
function isColonMac(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(i);
    if (i % 3 === 2 ? c !== 58 : !((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Lower-case colon form of a MAC address, or null. */
export function normalizeMac(text: string): string | null {
  if (isColonMac(text)) return text;
  const hex = text.toLowerCase().replace(/[-:.]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? hex.match(/../g)!.join(':') : null;
}

export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 5) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

export function protocolOf(name: string): FlowProtocol | null {
  switch (name.toLowerCase()) {
    case 'tcp': case '6': return 'tcp';
    case 'udp': case '17': return 'udp';
    case 'icmp': case '1': return 'icmp';
    case 'icmpv6': case 'ipv6-icmp': case 'icmp6': case '58': return 'icmpv6';
    default: return null;
  }
}
