// pcap and pcapng, read chunk by chunk in bounded memory. A small reader of our own: the pcapng parsers on
// npm are unmaintained or broken. Formats: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html and
// https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html. Decodes Ethernet (with VLAN tags),
// Linux cooked capture v1/v2, BSD loopback and raw IP; IPv4/IPv6; TCP/UDP/ICMP; DNS answers, DHCP leases
// and the TLS ClientHello server name.
import ipaddr from 'ipaddr.js';
import { newStats, noteMalformed, normalizeIp, type DeviceFilter, type Flow, type Lease, type Format, type ReadStats, type Sink } from '../events.js';
import { parseDnsMessage } from '../dns-wire.js';
import { FileWindow } from '../file-window.js';
import { ICMP, ICMPV6, PACKET, PROTOCOL_NAMES, RepeatFolder, SNI_SHIFT, SYN, SYNACK, TCP, UDP, V6 } from './pcap-repeats.js';
import { WindowBytes } from './text.js';

const PCAPNG_SHB = 0x0a0d0d0a;
/** Largest ClientHello record kept for reassembly, and how many connections may have one pending. */
const MAX_HELLO = 16 * 1024 + 5;
const MAX_PENDING_HELLOS = 1024;
/** How many connections may have part of a DNS message pending (each at most 64 KiB, the largest message). */
const MAX_PENDING_DNS = 256;

function macText(b: Buffer, at: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + (b[at + i]! < 16 ? '0' : '') + b[at + i]!.toString(16);
  return s;
}
function v4Text(b: Buffer, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}
function v6Text(b: Buffer, at: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(at + i).toString(16));
  return normalizeIp(parts.join(':'))!;
}

/** The 16 bytes of an IPv6 address written as v6Text writes it; null for any other text, which no packet's address can equal. */
function v6Bytes(text: string): Buffer | null {
  if (!ipaddr.IPv6.isValid(text)) return null;
  const bytes = Buffer.from(ipaddr.IPv6.parse(text).toByteArray());
  return v6Text(bytes, 0) === text ? bytes : null;
}

/** The server_name of a TLS ClientHello at b[at, end), if the payload starts with one. */
export function clientHelloSni(b: Buffer, at: number, end: number): string | undefined {
  if (end - at < 48 || b[at] !== 0x16 || b[at + 1] !== 0x03 || b[at + 5] !== 0x01) return undefined;
  let p = at + 9 + 2 + 32;
  if (p >= end) return undefined;
  p += 1 + b[p]!;
  if (p + 2 > end) return undefined;
  p += 2 + b.readUInt16BE(p);
  if (p + 1 > end) return undefined;
  p += 1 + b[p]!;
  if (p + 2 > end) return undefined;
  const extEnd = Math.min(end, p + 2 + b.readUInt16BE(p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    p += 4;
    if (type === 0 && p + 5 <= extEnd && b[p + 2] === 0) {
      const nameLen = b.readUInt16BE(p + 3);
      if (p + 5 + nameLen > extEnd) return undefined;
      return b.toString('latin1', p + 5, p + 5 + nameLen).toLowerCase();
    }
    p += len;
  }
  return undefined;
}

/** One direction of a TCP connection. */
function streamKey(src: string, sport: number, dst: string, dport: number): string {
  return `${src}|${sport}|${dst}|${dport}`;
}

/**
 * Bytes a parser could not finish in one TCP segment, kept per connection direction until the next segment in
 * order arrives. At most `connections` are kept: a new one makes the oldest be forgotten. The port pairs of the
 * kept ones are counted, so that most segments are told apart without making their key.
 */
class PendingStreams {
  private readonly kept = new Map<string, { bytes: Buffer; nextSeq: number; ports: number }>();
  private readonly portPairs = new Map<number, number>();

  constructor(private readonly connections: number) {}

  /** Whether a connection direction with these ports (sport << 16 | dport) may have bytes kept. */
  mayHave(ports: number): boolean {
    return this.kept.size > 0 && this.portPairs.has(ports);
  }

  has(key: string): boolean {
    return this.kept.has(key);
  }

  /** Keeps a copy of b[at, end); `nextSeq` is the sequence number of the byte that follows them. */
  keep(key: string, ports: number, b: Buffer, at: number, end: number, nextSeq: number): void {
    if (!this.kept.has(key)) {
      if (this.kept.size >= this.connections) {
        const [oldestKey, oldest] = this.kept.entries().next().value!;
        this.forget(oldestKey, oldest.ports);
      }
      this.portPairs.set(ports, (this.portPairs.get(ports) ?? 0) + 1);
    }
    this.kept.set(key, { bytes: Buffer.from(b.subarray(at, end)), nextSeq, ports });
  }

  /**
   * The kept bytes followed by b[at, end) when that segment is the next in order, and no longer kept; null when
   * nothing is kept, or for a retransmission or a segment after a gap (the kept bytes then wait).
   */
  continued(key: string, seq: number, b: Buffer, at: number, end: number): Buffer | null {
    const pending = this.kept.get(key);
    if (!pending || seq !== pending.nextSeq) return null;
    this.forget(key, pending.ports);
    return Buffer.concat([pending.bytes, b.subarray(at, end)]);
  }

  private forget(key: string, ports: number): void {
    this.kept.delete(key);
    const n = this.portPairs.get(ports)!;
    if (n > 1) this.portPairs.set(ports, n - 1);
    else this.portPairs.delete(ports);
  }
}

/** Distinct IPv4 addresses whose text is kept for reuse: no new string per packet. */
const MAX_V4_NAMES = 1 << 16;
/** Slots for the IPv6 addresses seen (a power of two): each gets an id, and its text is made once. */
const V6_SLOTS = 1 << 12;
const MAX_V6 = V6_SLOTS >> 1;
/** Distinct TLS server names numbered for RepeatFolder before the numbering starts over. */
const MAX_SNI_IDS = 1 << 16;

const u16 = (b: Buffer, at: number) => (b[at]! << 8) | b[at + 1]!;
/** 32-bit words of the file header and pcapng blocks, in either byte order; byte by byte, as a short block's fields may lie past the buffer. */
const u32le = (b: Buffer, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const u32be = (b: Buffer, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
/** Big-endian 32 bits as a signed integer: Maps and Sets hash it without allocating. */
const i32 = (b: Buffer, at: number) => (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;

/**
 * IPv6 addresses seen in the packets, by their 16 bytes: each gets an id (its slot) and its text, made once.
 * The table starts over when half full, between packets (makeRoom); ids are then given anew.
 */
class V6Addresses {
  private readonly words = new Int32Array(V6_SLOTS * 4);
  private readonly used = new Uint8Array(V6_SLOTS);
  readonly texts: string[] = new Array<string>(V6_SLOTS).fill('');
  private count = 0;

  /** Room for the two addresses of a packet; true when the table had to start over. */
  makeRoom(): boolean {
    if (this.count + 2 <= MAX_V6) return false;
    this.used.fill(0);
    this.count = 0;
    return true;
  }

  idOf(b: Buffer, at: number): number {
    const w0 = i32(b, at), w1 = i32(b, at + 4), w2 = i32(b, at + 8), w3 = i32(b, at + 12);
    const w = this.words;
    let h = Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b), 0x9e3779b1) ^ w2;
    h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ w3;
    let i = (h ^ (h >>> 16)) & (V6_SLOTS - 1);
    for (; this.used[i] === 1; i = (i + 1) & (V6_SLOTS - 1)) {
      if (w[i * 4] === w0 && w[i * 4 + 1] === w1 && w[i * 4 + 2] === w2 && w[i * 4 + 3] === w3) return i;
    }
    this.used[i] = 1;
    this.count++;
    w[i * 4] = w0; w[i * 4 + 1] = w1; w[i * 4 + 2] = w2; w[i * 4 + 3] = w3;
    this.texts[i] = v6Text(b, at);
    return i;
  }
}

class PacketDecoder {
  /** The device's IPv4 addresses as signed 32-bit integers, and the texts of addresses seen, keyed the same way. */
  private readonly v4: Int32Array;
  private readonly v4Names = new Map<number, string>();
  private readonly sniIds = new Map<string, number>();
  /** The one flow event this decoder emits, refilled for every packet (the sink copies what it keeps). */
  private readonly event: Flow = { kind: 'flow', time: 0, src: '', dst: '', protocol: 'tcp', sport: undefined, dport: undefined, role: 'packet', srcMac: undefined, dstMac: undefined, sni: undefined, count: undefined };
  /** The device's IPv6 addresses as bytes, so that other hosts' packets are skipped before any text is made. */
  private readonly v6: Buffer[] = [];
  private readonly v6Addresses = new V6Addresses();
  private readonly macs: Set<string>;
  /** Whether the device is known by a MAC address: only then are frames' MAC texts made. */
  private readonly byMac: boolean;
  private readonly all: boolean;
  private readonly repeats: RepeatFolder;

  constructor(filter: DeviceFilter, private readonly sink: Sink, private readonly stats: ReadStats) {
    const v4: number[] = [];
    for (const ip of filter.ips) {
      if (ip.includes(':')) {
        const bytes = v6Bytes(ip);
        if (bytes) this.v6.push(bytes);
      } else v4.push(ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) | 0);
    }
    this.v4 = Int32Array.from(v4);
    this.macs = new Set(filter.macs);
    this.byMac = this.macs.size > 0;
    this.all = filter.ips.size === 0 && filter.macs.size === 0;
    this.repeats = new RepeatFolder(sink, this.event);
  }

  /** Hands over any flows held back; called at the end of the input. */
  finish(): void {
    this.repeats.flush();
  }

  /**
   * The time stamp of the packet given to packet() next, as its record has it: two 32-bit words and what divides
   * them into milliseconds (see timeOf). Fields, not a computed argument: a fractional number passed to a call
   * that is not inlined is boxed, one allocation per packet, and most packets never need their time.
   */
  timeHigh = 0;
  timeLow = 0;
  timeDivisor = 1000;
  timeForm: 'pcap' | 'pcapng' | 'none' = 'pcap';

  /** Milliseconds since the epoch; NaN when the record has no time stamp. */
  private timeOf(): number {
    if (this.timeForm === 'pcap') return this.timeHigh * 1000 + this.timeLow / this.timeDivisor;
    return this.timeForm === 'pcapng' ? (this.timeHigh * 4294967296 + this.timeLow) / this.timeDivisor : NaN;
  }

  packet(link: number, b: Buffer, at: number, end: number, where: () => string): void {
    let p = at;
    let etherType = -1;
    let srcMac: string | undefined;
    let dstMac: string | undefined;
    let macHit = false;
    switch (link) {
      case 1: { // Ethernet
        if (end - p < 14) return this.bad(where, 'frame shorter than an Ethernet header');
        if (this.byMac) {
          srcMac = macText(b, p + 6);
          dstMac = macText(b, p);
          macHit = this.macs.has(srcMac) || this.macs.has(dstMac);
        }
        etherType = (b[p + 12]! << 8) | b[p + 13]!;
        p += 14;
        while ((etherType === 0x8100 || etherType === 0x88a8) && end - p >= 4) { etherType = (b[p + 2]! << 8) | b[p + 3]!; p += 4; }
        break;
      }
      case 113: if (end - p < 16) return this.bad(where, 'short Linux cooked header'); etherType = u16(b, p + 14); p += 16; break;
      case 276: if (end - p < 20) return this.bad(where, 'short Linux cooked v2 header'); etherType = u16(b, p); p += 20; break;
      case 0: case 108: {
        if (end - p < 4) return this.bad(where, 'short loopback header');
        const family = link === 0 ? b.readUInt32LE(p) : b.readUInt32BE(p);
        etherType = family === 2 ? 0x0800 : family === 24 || family === 28 || family === 30 ? 0x86dd : -1;
        p += 4;
        break;
      }
      case 101: case 12: case 14: etherType = end > p ? ((b[p]! >> 4) === 6 ? 0x86dd : 0x0800) : -1; break;
      case 228: etherType = 0x0800; break;
      case 229: etherType = 0x86dd; break;
      default: this.stats.other++; return;
    }
    let proto: number;
    /** The addresses: IPv4 as signed integers, IPv6 as ids of this.v6Addresses. */
    let src: number;
    let dst: number;
    let v6 = false;
    if (etherType === 0x0800) {
      if (end - p < 20 || (b[p]! >> 4) !== 4) return this.bad(where, 'truncated or invalid IPv4 header');
      const ihl = (b[p]! & 15) * 4;
      proto = b[p + 9]!;
      src = (b[p + 12]! << 24) | (b[p + 13]! << 16) | (b[p + 14]! << 8) | b[p + 15]!;
      dst = (b[p + 16]! << 24) | (b[p + 17]! << 16) | (b[p + 18]! << 8) | b[p + 19]!;
      if (!macHit && !this.all && !this.isDeviceV4(src) && !this.isDeviceV4(dst)) {
        const udpPort = proto === 17 && end - p >= ihl + 4 ? u16(b, p + ihl) : 0;
        // DHCP always counts: it teaches which address a MAC had.
        if (udpPort !== 67 && udpPort !== 68) { this.stats.skipped++; return; }
      }
      if (((b[p + 6]! & 0x1f) | b[p + 7]!) !== 0) { this.stats.other++; return; } // a later fragment: no ports
      p += ihl;
    } else if (etherType === 0x86dd) {
      if (end - p < 40) return this.bad(where, 'truncated IPv6 header');
      if (!macHit && !this.all && !this.isDeviceV6(b, p + 8) && !this.isDeviceV6(b, p + 24)) { this.stats.skipped++; return; }
      v6 = true;
      // Flows held back know IPv6 addresses by id: they are handed over and forgotten before ids are given anew.
      if (this.v6Addresses.makeRoom()) this.repeats.clear();
      src = this.v6Addresses.idOf(b, p + 8);
      dst = this.v6Addresses.idOf(b, p + 24);
      proto = b[p + 6]!;
      p += 40;
      for (let guard = 0; (proto === 0 || proto === 43 || proto === 60 || proto === 44) && guard < 8 && end - p >= 8; guard++) {
        const next = b[p]!;
        if (proto === 44 && (u16(b, p + 2) & 0xfff8) !== 0) { this.stats.other++; return; }
        p += proto === 44 ? 8 : (b[p + 1]! + 1) * 8;
        proto = next;
      }
    } else { this.stats.other++; return; }
    if (proto === 1 || proto === 58) return this.flow(v6, src, dst, proto === 1 ? ICMP : ICMPV6, 0, 0, PACKET, srcMac, dstMac, undefined);
    if (proto !== 6 && proto !== 17) { this.stats.other++; return; }
    if (end - p < (proto === 6 ? 20 : 8)) return this.bad(where, 'truncated TCP/UDP header');
    const sport = (b[p]! << 8) | b[p + 1]!;
    const dport = (b[p + 2]! << 8) | b[p + 3]!;
    if (proto === 6) {
      const flags = b[p + 13]!;
      const payload = p + (b[p + 12]! >> 4) * 4;
      let sni: string | undefined;
      if (payload < end) {
        const seq = i32(b, p + 4) >>> 0;
        const ports = (sport << 16) | dport;
        sni = this.pendingHellos.mayHave(ports) ? this.continueHello(this.text(v6, src), sport, this.text(v6, dst), dport, seq, b, payload, end) : undefined;
        // Only a TLS handshake record (0x16) can start a ClientHello.
        if (b[payload] === 0x16) sni ??= clientHelloSni(b, payload, end) ?? this.startHello(v6, src, sport, dst, dport, seq, b, payload, end);
        if (sport === 53 || dport === 53) this.dnsOverTcp(this.text(v6, src), sport, this.text(v6, dst), dport, seq, b, payload, end, this.timeOf(), sport === 53 ? dstMac : undefined);
      }
      return this.flow(v6, src, dst, TCP, sport, dport, flags & 0x02 ? (flags & 0x10 ? SYNACK : SYN) : PACKET, srcMac, dstMac, sni);
    }
    const payload = p + 8;
    if (sport === 53) this.dns(b, payload, end, this.timeOf(), this.text(v6, dst), dstMac);
    else if (dport === 53) this.dnsQuery(b, payload, end, this.timeOf(), this.text(v6, src));
    if ((sport === 67 || sport === 68) && (dport === 67 || dport === 68)) this.dhcp(b, payload, end, this.timeOf());
    this.flow(v6, src, dst, UDP, sport, dport, PACKET, srcMac, dstMac, undefined);
  }

  /**
   * A flow of this packet: a repeat of one the sink took is only counted (see RepeatFolder); flows with a MAC
   * address are never held back.
   */
  private flow(v6: boolean, src: number, dst: number, protocol: number, sport: number, dport: number, role: number, srcMac: string | undefined, dstMac: string | undefined, sni: string | undefined): void {
    const kind = protocol | role | (v6 ? V6 : 0) | (sni === undefined ? 0 : this.sniId(sni) << SNI_SHIFT);
    const ports = (sport << 16) | dport;
    const plain = srcMac === undefined && dstMac === undefined;
    if (plain) {
      this.repeats.time = this.timeOf();
      if (this.repeats.repeat(src, dst, ports, kind)) return;
    }
    this.repeats.flush();
    const srcText = this.text(v6, src);
    const dstText = this.text(v6, dst);
    const e = this.event;
    e.time = this.timeOf(); e.src = srcText; e.dst = dstText; e.protocol = PROTOCOL_NAMES[protocol]!;
    e.sport = protocol <= UDP ? sport : undefined; e.dport = protocol <= UDP ? dport : undefined;
    e.role = role === SYN ? 'syn' : role === SYNACK ? 'synack' : 'packet';
    e.srcMac = srcMac; e.dstMac = dstMac; e.sni = sni;
    this.sink.emit(e);
    if (plain) this.repeats.remember(src, dst, ports, kind, srcText, dstText, sni);
  }

  /**
   * A lease: when the sink learns from it, flows held back come first, as they came first in the capture (see
   * Sink.revision). A capture holds many leases of other hosts: each would otherwise hand over every flow held back.
   */
  private lease(e: Lease): void {
    if (this.sink.learnsFrom?.(e) ?? true) this.repeats.flush();
    this.sink.emit(e);
  }

  /** A number per server name, for the kind of a flow; from 1. */
  private sniId(sni: string): number {
    let id = this.sniIds.get(sni);
    if (id === undefined) {
      // Flows held back know server names by id: they are handed over and forgotten before ids are given anew.
      if (this.sniIds.size >= MAX_SNI_IDS) {
        this.repeats.clear();
        this.sniIds.clear();
      }
      id = this.sniIds.size + 1;
      this.sniIds.set(sni, id);
    }
    return id;
  }

  private text(v6: boolean, address: number): string {
    return v6 ? this.v6Addresses.texts[address]! : this.v4Name(address);
  }

  private isDeviceV4(address: number): boolean {
    const v4 = this.v4;
    for (let i = 0; i < v4.length; i++) if (v4[i] === address) return true;
    return false;
  }

  private v4Name(n: number): string {
    let text = this.v4Names.get(n);
    if (text === undefined) {
      if (this.v4Names.size >= MAX_V4_NAMES) this.v4Names.clear();
      text = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      this.v4Names.set(n, text);
    }
    return text;
  }

  /**
   * A ClientHello that does not fit its first segment (post-quantum key shares make them ~1.8 KB): its bytes are
   * kept per connection until the TLS record is whole.
   */
  private readonly pendingHellos = new PendingStreams(MAX_PENDING_HELLOS);
  /** DNS over TCP: a message, or its two-byte length, cut by the end of a segment waits for the rest. */
  private readonly pendingDns = new PendingStreams(MAX_PENDING_DNS);

  private startHello(v6: boolean, src: number, sport: number, dst: number, dport: number, seq: number, b: Buffer, at: number, end: number): undefined {
    if (end - at < 9 || b[at] !== 0x16 || b[at + 1] !== 0x03 || b[at + 5] !== 0x01) return undefined;
    const need = 5 + u16(b, at + 3);
    if (need <= end - at || need > MAX_HELLO) return undefined;
    this.pendingHellos.keep(streamKey(this.text(v6, src), sport, this.text(v6, dst), dport), (sport << 16) | dport, b, at, end, (seq + end - at) >>> 0);
    return undefined;
  }

  private continueHello(src: string, sport: number, dst: string, dport: number, seq: number, b: Buffer, at: number, end: number): string | undefined {
    const key = streamKey(src, sport, dst, dport);
    const bytes = this.pendingHellos.continued(key, seq, b, at, end);
    if (!bytes) return undefined;
    const need = 5 + bytes.readUInt16BE(3);
    if (bytes.length >= need) return clientHelloSni(bytes, 0, need);
    this.pendingHellos.keep(key, (sport << 16) | dport, bytes, 0, bytes.length, (seq + end - at) >>> 0);
    return undefined;
  }

  /**
   * DNS over TCP (RFC 7766): each message has a two-byte length before it. A segment may hold several messages,
   * and a message may go on in the connection's next segments: the unfinished tail is kept until they come in order.
   */
  private dnsOverTcp(src: string, sport: number, dst: string, dport: number, seq: number, b: Buffer, at: number, end: number, time: number, clientMac: string | undefined): void {
    const response = sport === 53;
    const client = response ? dst : src;
    const key = streamKey(src, sport, dst, dport);
    let bytes = b;
    let p = at;
    let stop = end;
    if (this.pendingDns.has(key)) {
      const joined = this.pendingDns.continued(key, seq, b, at, end);
      if (!joined) return; // a retransmission, or a gap: the kept tail waits for the next segment in order
      bytes = joined;
      p = 0;
      stop = joined.length;
    }
    while (stop - p >= 2) {
      const len = bytes.readUInt16BE(p);
      if (len < 12) return; // no DNS message is that short: not DNS, or not at a message boundary
      if (p + 2 + len > stop) break;
      if (response) this.dns(bytes, p + 2, p + 2 + len, time, client, clientMac);
      else this.dnsQuery(bytes, p + 2, p + 2 + len, time, client);
      p += 2 + len;
    }
    if (p < stop) this.pendingDns.keep(key, (sport << 16) | dport, bytes, p, stop, (seq + end - at) >>> 0);
  }

  private isDeviceV6(b: Buffer, at: number): boolean {
    for (const address of this.v6) {
      let i = 0;
      while (i < 16 && b[at + i] === address[i]) i++;
      if (i === 16) return true;
    }
    return false;
  }

  private dns(b: Buffer, at: number, end: number, time: number, client: string, clientMac: string | undefined): void {
    const msg = parseDnsMessage(b, at, end);
    if (!msg?.response || !msg.question) return;
    for (const text of msg.addresses) {
      const address = normalizeIp(text);
      if (address) this.sink.emit({ kind: 'dns', time, client, clientMac, name: msg.question, address });
    }
  }

  /** A lookup the client sent: names looked up without a flow are listed in the draft's notes. */
  private dnsQuery(b: Buffer, at: number, end: number, time: number, client: string): void {
    const msg = parseDnsMessage(b, at, end);
    if (msg && !msg.response && msg.question) this.sink.emit({ kind: 'query', time, client, name: msg.question });
  }

  private dhcp(b: Buffer, at: number, end: number, time: number): void {
    if (end - at < 240 || b.readUInt32BE(at + 236) !== 0x63825363) return;
    const mac = macText(b, at + 28);
    let type = 0;
    let requested: string | undefined;
    for (let p = at + 240; p < end; ) {
      const code = b[p]!;
      if (code === 255) break;
      if (code === 0) { p++; continue; }
      const len = b[p + 1] ?? 0;
      if (code === 53 && len >= 1) type = b[p + 2]!;
      if (code === 50 && len === 4 && p + 6 <= end) requested = v4Text(b, p + 2);
      p += 2 + len;
    }
    const yiaddr = v4Text(b, at + 16);
    const ciaddr = v4Text(b, at + 12);
    const ip = type === 5 ? yiaddr : type === 3 ? (ciaddr !== '0.0.0.0' ? ciaddr : requested) : undefined;
    if (ip && ip !== '0.0.0.0') this.lease({ kind: 'lease', time, mac, ip });
  }

  private bad(where: () => string, reason: string): void {
    noteMalformed(this.stats, where(), reason);
  }
}

/** Walks the records of a pcap or pcapng file through a FileWindow and hands each packet to the decoder. */
class CaptureReader {
  private buf: Buffer;
  /** Over buf: a 32-bit field of a pcap record header (always whole in the window) is one read, not four and shifts. */
  private readonly bytes = new WindowBytes();
  private end = 0;
  /** The next unread byte of buf. */
  private pos = 0;
  private kind: 'pcap' | 'pcapng' | null = null;
  private le = true;
  private nanos = false;
  private link = 1;
  private readonly interfaces: { link: number; unitsPerMs: number }[] = [];
  /** Set once the file cannot be followed any further: the rest is read only to count its bytes. */
  private bad = false;
  private readonly where = () => `byte ${this.window.offset + this.pos}`;

  constructor(private readonly window: FileWindow, private readonly decoder: PacketDecoder, private readonly stats: ReadStats) {
    this.buf = window.buf;
  }

  read(): void {
    for (;;) {
      const n = this.window.refill(this.bad ? this.end : this.pos);
      this.buf = this.window.buf;
      this.bytes.use(this.buf);
      this.end = this.window.end;
      this.pos = 0;
      if (n === 0) break;
      this.stats.bytes += n;
      if (this.bad || (this.kind === null && !this.header())) continue;
      if (this.kind === 'pcap') this.stats.records += this.pcapRecords();
      else this.pcapngBlocks();
    }
    if (!this.bad && this.end - this.pos > 0) noteMalformed(this.stats, this.where(), `file ends inside a record (${this.end - this.pos} bytes left)`);
    this.decoder.finish();
  }

  private u32(at: number): number {
    return this.le ? u32le(this.buf, at) : u32be(this.buf, at);
  }
  private u16(at: number): number {
    const b = this.buf;
    return this.le ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
  }

  private fail(at: string, reason: string): void {
    noteMalformed(this.stats, at, reason);
    this.bad = true;
  }

  /** Recognises the file from its first 24 bytes; false while they are not all there, or when it is neither format. */
  private header(): boolean {
    if (this.end < 24) return false;
    const magic = this.buf.readUInt32LE(0);
    if (magic === PCAPNG_SHB) {
      this.kind = 'pcapng';
      return true;
    }
    this.kind = 'pcap';
    this.le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    this.nanos = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
    if (!this.le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) { this.fail('byte 0', 'not a pcap or pcapng file'); return false; }
    this.link = this.u32(20) & 0xffff;
    this.pos = 24;
    return true;
  }

  /**
   * Hands the whole records in the window to the decoder; returns how many. The loop is compiled while it runs
   * (on-stack replacement): code after it that had never run would throw that code away on leaving the loop.
   */
  private pcapRecords(): number {
    const { buf: b, end, link, decoder, where, le } = this;
    const view = this.bytes.view;
    decoder.timeForm = 'pcap';
    decoder.timeDivisor = this.nanos ? 1e6 : 1e3;
    let records = 0;
    for (let pos = this.pos; end - pos >= 16; pos = this.pos) {
      const incl = view.getUint32(pos + 8, le);
      if (incl > 262144 * 4) { this.fail(this.where(), `record length ${incl} is implausible; the rest of the file is unreadable`); break; }
      if (end - pos - 16 < incl) break;
      decoder.timeHigh = view.getUint32(pos, le);
      decoder.timeLow = view.getUint32(pos + 4, le);
      records++;
      decoder.packet(link, b, pos + 16, pos + 16 + incl, where);
      this.pos = pos + 16 + incl;
    }
    return records;
  }

  private pcapngBlocks(): void {
    while (this.end - this.pos >= 12) {
      const pos = this.pos;
      if (this.buf.readUInt32LE(pos) === PCAPNG_SHB) {
        const bom = this.buf.readUInt32LE(pos + 8);
        this.le = bom === 0x1a2b3c4d;
        if (!this.le && bom !== 0x4d3c2b1a) return this.fail(this.where(), 'section header with an unknown byte order');
        this.interfaces.length = 0;
      }
      const type = this.u32(pos);
      const len = this.u32(pos + 4);
      if (len < 12 || len % 4 !== 0 || len > 1 << 26) return this.fail(this.where(), `block length ${len} is invalid; the rest of the file is unreadable`);
      if (this.end - pos < len) return;
      if (type === 1) this.interfaces.push(this.interfaceBlock(pos, len));
      else if (type === 6 || type === 2) this.packetBlock(type, pos, len);
      else if (type === 3) {
        this.stats.records++;
        const iface = this.interfaces[0];
        if (!iface) noteMalformed(this.stats, this.where(), 'simple packet block before any interface');
        else {
          this.decoder.timeForm = 'none';
          this.decoder.packet(iface.link, this.buf, pos + 12, pos + len - 4, this.where);
        }
      }
      this.pos = pos + len;
    }
  }

  /** An interface description: its link type, and its time unit from if_tsresol (microseconds by default). */
  private interfaceBlock(pos: number, len: number): { link: number; unitsPerMs: number } {
    let unitsPerMs = 1000;
    for (let p = pos + 16; p + 4 <= pos + len - 4; ) {
      const code = this.u16(p);
      const olen = this.u16(p + 2);
      if (code === 0) break;
      if (code === 9 && olen >= 1) {
        const r = this.buf[p + 4]!;
        unitsPerMs = (r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r) / 1000;
      }
      p += 4 + Math.ceil(olen / 4) * 4;
    }
    return { link: this.u16(pos + 8), unitsPerMs };
  }

  /** An enhanced (6) or obsolete (2) packet block. */
  private packetBlock(type: number, pos: number, len: number): void {
    this.stats.records++;
    const iface = this.interfaces[type === 6 ? this.u32(pos + 8) : this.u16(pos + 8)];
    const cap = this.u32(pos + 20);
    if (!iface || 28 + cap > len) noteMalformed(this.stats, this.where(), 'packet block names no known interface or overruns its block');
    else {
      this.decoder.timeForm = 'pcapng';
      this.decoder.timeHigh = this.u32(pos + 12);
      this.decoder.timeLow = this.u32(pos + 16);
      this.decoder.timeDivisor = iface.unitsPerMs;
      this.decoder.packet(iface.link, this.buf, pos + 28, pos + 28 + cap, this.where);
    }
  }
}

export const pcap: Format = {
  name: 'pcap',
  evidenceType: 'packet-capture',
  unit: 'packets',
  sniff(head) {
    if (head.length < 4) return 0;
    const m = head.readUInt32LE(0);
    return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1 || m === PCAPNG_SHB ? 1 : 0;
  },
  async read(path, sink, options) {
    const stats = newStats();
    const window = new FileWindow(path, undefined, 0, options.progress);
    try {
      new CaptureReader(window, new PacketDecoder(options.filter, sink, stats), stats).read();
    } finally {
      window.close();
    }
    return stats;
  },
};
