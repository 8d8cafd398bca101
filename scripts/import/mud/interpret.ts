// Turns one MUD access-control entry into a conversation: who opens it (the device or the other side), the
// other side (an internet host or address, or a LAN abstraction), the protocol and the serving port. A MUD
// file lists both directions of a conversation; the reply entry reads as the same conversation, so mirrored
// entries collapse when conversations are deduplicated.
import ipaddr from 'ipaddr.js';
import { checkHostname, ICMP_REPLY, isFinding, parseAddress, specialRange, type PortRange } from '../../lib/net.js';
import { isRecord, type Rec } from '../../lib/walk.js';
import { WELL_KNOWN } from '../../lint/rules/port-service.js';
import type { MudAce } from './read.js';

export type LocalPeer = 'lan' | 'controller' | 'same-manufacturer' | 'multicast' | 'broadcast';
export type Peer =
  | { kind: 'host'; host: string }
  | { kind: 'address'; address: string }
  | { kind: 'local'; party: LocalPeer; group?: string; note?: string; controller?: string };
export type ConvProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'any';

export interface Conversation {
  opener: 'device' | 'peer';
  peer: Peer;
  protocol: ConvProtocol;
  /** The port the answering side listens on; undefined for any port (or no ports, for ICMP). */
  ports?: PortRange;
  /** The port the opening side sends from, when the entry restricts it. */
  sourcePorts?: PortRange;
  /** ICMP type (and code) of the opening message, when the entry names one. */
  icmpType?: number;
  icmpCode?: number;
  /** The IP version the entry's match names, where the peer and protocol do not already fix it (names, LAN abstractions). */
  version?: 4 | 6;
  /** True when nothing in the entry says who opens it (no ports, no direction-initiated, no ICMP type). */
  openerAssumed: boolean;
  /** Spelling changes made on the way (upper-case host, prefix-less network), for the report. */
  normalized: string[];
}

export type Interpretation = { ok: true; conversation: Conversation } | { ok: false; reason: string };

const skip = (reason: string): Interpretation => ({ ok: false, reason });

const IP_PROTOCOLS: Record<number, ConvProtocol> = { 6: 'tcp', 17: 'udp' };
/** ICMP reply types and the query each answers. */
const ICMP_QUERY_OF_REPLY = {
  icmp: Object.fromEntries(Object.entries(ICMP_REPLY.icmp).map(([q, r]) => [r, Number(q)])),
  icmpv6: Object.fromEntries(Object.entries(ICMP_REPLY.icmpv6).map(([q, r]) => [r, Number(q)])),
} as Record<'icmp' | 'icmpv6', Record<number, number>>;
const PROTOCOL_NAMES: Record<number, string> = { 0: 'IPv6 hop-by-hop options', 2: 'IGMP', 4: 'IP-in-IP', 41: 'IPv6 encapsulation', 43: 'IPv6 routing header', 44: 'IPv6 fragment header', 47: 'GRE', 50: 'ESP', 51: 'AH', 89: 'OSPF', 132: 'SCTP' };
const ETHERTYPES: Record<number, string> = { 0x0806: 'ARP', 0x888e: 'EAPOL (802.1X)', 0x88cc: 'LLDP', 0x8035: 'RARP' };
const KNOWN_FIELDS: Record<string, string[]> = {
  ipv4: ['protocol', 'ietf-acldns:dst-dnsname', 'ietf-acldns:src-dnsname', 'destination-ipv4-network', 'source-ipv4-network'],
  ipv6: ['protocol', 'ietf-acldns:dst-dnsname', 'ietf-acldns:src-dnsname', 'destination-ipv6-network', 'source-ipv6-network'],
  tcp: ['source-port', 'destination-port', 'ietf-mud:direction-initiated'],
  udp: ['source-port', 'destination-port'],
  icmp: ['type', 'code'],
  eth: ['ethertype', 'destination-mac-address', 'source-mac-address'],
  'ietf-mud:mud': ['manufacturer', 'same-manufacturer', 'model', 'local-networks', 'controller', 'my-controller'],
};
/** Names reserved for examples and tests (RFC 2606, RFC 6761): never a real destination. */
const PLACEHOLDER = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local)$/;

/** The controller classes the device file's `controller` party can stand for without widening; any other URI is refused. */
export const CONTROLLERS: Record<string, string> = {
  'urn:ietf:params:mud:dns': "the network's DNS server (MUD controller urn:ietf:params:mud:dns)",
  'urn:ietf:params:mud:ntp': "the network's NTP server (MUD controller urn:ietf:params:mud:ntp)",
};

/** One well-known port (below 1024, or a service the port table names): the answering side's. */
function isServerPort(transport: string | undefined, r: PortRange): boolean {
  if (r.from !== r.to) return false;
  return r.from < 1024 || Object.values(WELL_KNOWN).some((s) => s.protocols.includes(transport ?? '') && s.ports.includes(r.from));
}

function unsupportedField(matches: Rec): string | null {
  for (const [key, value] of Object.entries(matches)) {
    const known = Object.hasOwn(KNOWN_FIELDS, key) ? KNOWN_FIELDS[key] : undefined;
    if (!known) return `match field "${key}" is not supported`;
    if (!isRecord(value)) return `match field "${key}" is not an object`;
    for (const sub of Object.keys(value)) if (!known.includes(sub)) return `match field "${key}/${sub}" is not supported`;
  }
  return null;
}

/** RFC 8519 port match: eq/lte/gte/neq with port, or a lower-port/upper-port range (MUDgee writes ranges with operator "eq"). */
function readPorts(spec: unknown, field: string): PortRange | undefined | string {
  if (!isRecord(spec)) return `${field} is not an object`;
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null);
  if ('lower-port' in spec || 'upper-port' in spec) {
    const lo = num(spec['lower-port']);
    const hi = num(spec['upper-port']);
    if (lo === null || hi === null || lo > hi) return `${field} range ${JSON.stringify(spec)} is not a valid port range`;
    return { from: Math.max(lo, 1), to: hi };
  }
  const port = num(spec.port);
  if (port === null) return `${field} has no valid port`;
  switch (spec.operator ?? 'eq') {
    case 'eq': return { from: port, to: port };
    case 'lte': return { from: 1, to: port };
    case 'gte': return { from: Math.max(port, 1), to: 65535 };
    default: return `${field} operator ${JSON.stringify(spec.operator)} cannot be written as a port list`;
  }
}

/** Hex-string ("0x0800", as MUDgee wrote it) or number. */
function readEthertype(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^0x[0-9a-f]{1,4}$/i.test(value)) return parseInt(value.slice(2), 16);
  return null;
}

function readNetwork(text: unknown, family: 'ipv4' | 'ipv6', normalized: string[]): Peer | string {
  if (typeof text !== 'string') return `${family} network is not a string`;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (text.includes('/')) [ip, prefix] = ipaddr.parseCIDR(text);
    else { ip = ipaddr.parse(text); prefix = ip.kind() === 'ipv4' ? 32 : 128; normalized.push(`prefix-less network ${text} read as a single address`); }
  } catch {
    return `network ${JSON.stringify(text)} is not an IP address or prefix`;
  }
  if (ip.kind() !== family) return `${ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} address ${text} in an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} match`;
  const full = prefix === (family === 'ipv4' ? 32 : 128);
  const base = family === 'ipv4' ? ip.toString() : (ip as ipaddr.IPv6).toRFC5952String();
  const canonical = full ? base : `${base}/${prefix}`;
  const parsed = parseAddress(canonical);
  if (isFinding(parsed)) return `network ${text}: ${parsed.message}`;
  if (canonical !== text && text.includes('/') && !full) normalized.push(`network ${text} written as ${canonical}`);
  const range = specialRange(parsed);
  if (range === null) return { kind: 'address', address: canonical };
  if (range === 'multicast') return { kind: 'local', party: 'multicast', group: canonical };
  if (range === 'broadcast') return { kind: 'local', party: 'broadcast' };
  return `${text} is a ${range} address of the capture's own network, not an internet endpoint nor a MUD abstraction`;
}

function readHost(name: unknown, normalized: string[]): Peer | string {
  if (typeof name !== 'string') return 'DNS name is not a string';
  const lower = name.toLowerCase();
  if (lower !== name) normalized.push(`host ${name} written in lower case (DNS names are case-insensitive)`);
  if (PLACEHOLDER.test(lower)) return `${lower} is a placeholder name reserved for examples and tests (RFC 2606/6761), not a real destination`;
  const finding = checkHostname(lower);
  if (finding) return `host ${JSON.stringify(name)} is not a valid DNS name: ${finding.message}`;
  return { kind: 'host', host: lower };
}

function readAbstraction(mud: Rec, profileAuthority: string): Peer | string | null {
  const keys = Object.keys(mud);
  if (keys.length > 1) return `combines the MUD abstractions ${keys.join(' and ')}, which the local: section cannot express together`;
  const key = keys[0];
  if (key === undefined) return null;
  const value = mud[key];
  switch (key) {
    case 'local-networks': return { kind: 'local', party: 'lan' };
    case 'same-manufacturer': return { kind: 'local', party: 'same-manufacturer' };
    case 'my-controller': return { kind: 'local', party: 'controller', note: 'the controller the network administrator assigns to devices with this MUD URL (MUD my-controller)' };
    case 'controller': {
      if (typeof value !== 'string') return 'controller is not a URI';
      const known = CONTROLLERS[value];
      if (!known) return `names the specific controller ${value}; the device file's controller is the one the network assigns (MUD my-controller), so recording it would allow more than this profile does`;
      return { kind: 'local', party: 'controller', note: known, controller: value };
    }
    case 'manufacturer': {
      if (typeof value !== 'string') return 'manufacturer is not a domain name';
      if (value.toLowerCase() === profileAuthority) return { kind: 'local', party: 'same-manufacturer' };
      return `allows only devices whose MUD URL is at ${value} (MUD manufacturer); the local: section has no party for another manufacturer's devices, and lan would allow every device`;
    }
    default: return `the MUD abstraction "${key}" has no counterpart in the local: section`;
  }
}

export function interpretAce(ace: MudAce, profileAuthority: string): Interpretation {
  const m = ace.matches;
  const bad = unsupportedField(m);
  if (bad) return skip(bad);
  const normalized: string[] = [];
  const family = 'ipv4' in m ? 'ipv4' : 'ipv6' in m ? 'ipv6' : null;
  if ('ipv4' in m && 'ipv6' in m) return skip('matches both IPv4 and IPv6');
  const ip: Rec = family ? (m[family] as Rec) : {};
  const eth = isRecord(m.eth) ? m.eth : undefined;

  if (eth && 'ethertype' in eth) {
    const type = readEthertype(eth.ethertype);
    if (type === null) return skip(`ethertype ${JSON.stringify(eth.ethertype)} is not a number or hex string`);
    if (type < 0x0600) return skip(`ethertype ${JSON.stringify(eth.ethertype)} is not an EtherType (values below 0x0600 are frame lengths)`);
    const expected = family === 'ipv4' ? 0x0800 : family === 'ipv6' ? 0x86dd : null;
    if (expected === null) {
      const name = ETHERTYPES[type];
      return skip(`ethertype ${JSON.stringify(eth.ethertype)}${name ? ` (${name})` : ''} is link-layer traffic; the local: section describes IP traffic only`);
    }
    if (type !== expected) return skip(`ethertype ${JSON.stringify(eth.ethertype)} contradicts the ${family} match`);
  }
  const abstraction = isRecord(m['ietf-mud:mud']) ? readAbstraction(m['ietf-mud:mud'], profileAuthority) : null;
  if (typeof abstraction === 'string') return skip(abstraction);
  if (!family && !abstraction) return skip('no IPv4 or IPv6 match and no MUD abstraction: nothing to record');
  if (eth?.['source-mac-address'] !== undefined) return skip('matches a source MAC address, which the format cannot express');
  const mac = eth?.['destination-mac-address'];
  if (mac !== undefined && String(mac).toLowerCase() !== 'ff:ff:ff:ff:ff:ff') return skip(`matches the MAC address ${String(mac)}, which the format cannot express`);

  // Protocol: the number, or what the transport container implies.
  const transports = (['tcp', 'udp', 'icmp'] as const).filter((t) => t in m);
  if (transports.length > 1) return skip(`matches ${transports.join(' and ')} at once`);
  let protocol: ConvProtocol = 'any';
  const number = ip.protocol;
  if (number !== undefined) {
    if (typeof number !== 'number') return skip(`protocol ${JSON.stringify(number)} is not a number`);
    if (!family) return skip('names a protocol without an IPv4 or IPv6 match');
    const icmpNumber = family === 'ipv4' ? 1 : 58;
    if (number === icmpNumber) protocol = family === 'ipv4' ? 'icmp' : 'icmpv6';
    else if (IP_PROTOCOLS[number]) protocol = IP_PROTOCOLS[number]!;
    else return skip(`IP protocol ${number}${PROTOCOL_NAMES[number] ? ` (${PROTOCOL_NAMES[number]})` : ''} has no counterpart in the NetNeeds format`);
  } else if (transports[0]) {
    protocol = transports[0] === 'icmp' ? (family === 'ipv4' ? 'icmp' : 'icmpv6') : transports[0];
  }
  const transport = transports[0];
  if (transport && (transport === 'icmp' ? !protocol.startsWith('icmp') : transport !== protocol)) return skip(`protocol ${String(number)} contradicts the ${transport} match`);

  // The other side: what the entry says about the remote end, seen from the device.
  const remoteHost = ip[ace.direction === 'from-device' ? 'ietf-acldns:dst-dnsname' : 'ietf-acldns:src-dnsname'];
  const remoteNet = ip[`${ace.direction === 'from-device' ? 'destination' : 'source'}-${family}-network`];
  const ownSide = ip[ace.direction === 'from-device' ? 'ietf-acldns:src-dnsname' : 'ietf-acldns:dst-dnsname'] ?? ip[`${ace.direction === 'from-device' ? 'source' : 'destination'}-${family}-network`];
  if (ownSide !== undefined) return skip(`names the device's own side (${String(ownSide)}), which a device file cannot express`);
  if (remoteHost !== undefined && remoteNet !== undefined) return skip('names both a DNS name and a network for the same side');
  let peer: Peer | string | null = remoteHost !== undefined ? readHost(remoteHost, normalized) : remoteNet !== undefined && family ? readNetwork(remoteNet, family, normalized) : null;
  if (typeof peer === 'string') return skip(peer);
  if (abstraction) {
    if (peer?.kind === 'host') return skip(`combines the MUD abstraction with the DNS name ${peer.host}`);
    if (peer?.kind === 'address') return skip(`combines a LAN abstraction with the internet address ${peer.address}`);
    peer = peer ?? (mac !== undefined ? { kind: 'local', party: 'broadcast' } : abstraction);
    if (peer.kind === 'local' && abstraction.kind === 'local' && abstraction.note) peer = { ...peer, note: abstraction.note };
  } else if (!peer && mac !== undefined) {
    peer = { kind: 'local', party: 'broadcast' };
  }
  if (!peer) return skip('matches any destination: it names no host, address or MUD abstraction');

  // Who opens the conversation, and on which port the other side answers.
  const l4 = transport && transport !== 'icmp' ? (m[transport] as Rec) : undefined;
  const fromDevice = ace.direction === 'from-device';
  let opener: 'device' | 'peer' = fromDevice ? 'device' : 'peer';
  let openerAssumed = true;
  let ports: PortRange | undefined;
  let sourcePorts: PortRange | undefined;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  if (l4) {
    const read = (key: string) => (key in l4 ? readPorts(l4[key], `${transport}/${key}`) : undefined);
    const src = read('source-port');
    const dst = read('destination-port');
    if (typeof src === 'string') return skip(src);
    if (typeof dst === 'string') return skip(dst);
    const initiated = l4['ietf-mud:direction-initiated'];
    if (initiated !== undefined && initiated !== 'from-device' && initiated !== 'to-device') return skip(`direction-initiated ${JSON.stringify(initiated)} is neither from-device nor to-device`);
    // The sender's own port set and the remote's unset means the sender is answering; with both set, the side
    // on a server's port (one well-known port) answers, and when that does not tell, the entry may be a mirror.
    const both = src !== undefined && dst !== undefined;
    const senderAnswers = both ? isServerPort(transport, src) && !isServerPort(transport, dst) : src !== undefined && dst === undefined;
    const senderOpens = both && isServerPort(transport, dst) && !isServerPort(transport, src);
    opener = initiated === 'from-device' ? 'device' : initiated === 'to-device' ? 'peer' : senderAnswers ? (fromDevice ? 'peer' : 'device') : opener;
    openerAssumed = initiated === undefined && ((src === undefined && dst === undefined) || (both && !senderAnswers && !senderOpens));
    const openerIsSender = (opener === 'device') === fromDevice;
    ports = openerIsSender ? dst : src;
    sourcePorts = openerIsSender ? src : dst;
  } else if (transport === 'icmp') {
    const icmp = m.icmp as Rec;
    const byte = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255);
    if (!byte(icmp.type)) return skip(`ICMP type ${JSON.stringify(icmp.type)} is not a number from 0 to 255`);
    if (!byte(icmp.code)) return skip(`ICMP code ${JSON.stringify(icmp.code)} is not a number from 0 to 255`);
    const type = icmp.type as number | undefined;
    if (type === undefined && icmp.code !== undefined) return skip('names an ICMP code without a type');
    // A query's reply (echo, timestamp, information, address mask; ICMPv6 echo) answers the query the other side sent.
    const query = type === undefined ? undefined : ICMP_QUERY_OF_REPLY[protocol === 'icmpv6' ? 'icmpv6' : 'icmp'][type];
    if (query !== undefined) opener = fromDevice ? 'peer' : 'device';
    openerAssumed = type === undefined;
    icmpType = query ?? type;
    icmpCode = icmp.code as number | undefined;
  }
  if (peer.kind === 'local' && opener === 'peer' && (peer.party === 'multicast' || peer.party === 'broadcast')) {
    return skip(`traffic from a ${peer.party} source cannot be written as a local flow`);
  }
  // The version the match names matters where nothing else fixes it: a name, or a LAN abstraction (not a broadcast).
  const versionFree = peer.kind === 'host' || (peer.kind === 'local' && peer.party !== 'multicast' && peer.party !== 'broadcast');
  const version = family && versionFree && (protocol === 'tcp' || protocol === 'udp' || protocol === 'any') ? (family === 'ipv4' ? 4 : 6) : undefined;
  return {
    ok: true,
    conversation: {
      opener, openerAssumed, peer, protocol, normalized,
      ...(ports ? { ports } : {}), ...(sourcePorts ? { sourcePorts } : {}),
      ...(icmpType !== undefined ? { icmpType } : {}), ...(icmpCode !== undefined ? { icmpCode } : {}),
      ...(version ? { version } : {}),
    },
  };
}
