// Builds small captures byte by byte, so the pcap/pcapng reader is tested on files whose every field we chose.
const mac = (m: string) => Buffer.from(m.split(':').map((h) => parseInt(h, 16)));
const ip4 = (a: string) => Buffer.from(a.split('.').map(Number));

function checksumless(proto: number, src: string, dst: string, l4: Buffer): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + l4.length, 2); ip[8] = 64; ip[9] = proto;
  ip4(src).copy(ip, 12); ip4(dst).copy(ip, 16);
  return Buffer.concat([ip, l4]);
}
export function ethernet(srcMac: string, dstMac: string, payload: Buffer): Buffer {
  return Buffer.concat([mac(dstMac), mac(srcMac), Buffer.from([0x08, 0x00]), payload]);
}
export function tcp(src: string, dst: string, sport: number, dport: number, flags: number, payload: Buffer = Buffer.alloc(0), seq = 0): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0); h.writeUInt16BE(dport, 2); h.writeUInt32BE(seq >>> 0, 4); h[12] = 5 << 4; h[13] = flags;
  return checksumless(6, src, dst, Buffer.concat([h, payload]));
}
export function udp(src: string, dst: string, sport: number, dport: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0); h.writeUInt16BE(dport, 2); h.writeUInt16BE(8 + payload.length, 4);
  return checksumless(17, src, dst, Buffer.concat([h, payload]));
}
const dnsName = (n: string) => Buffer.concat([...n.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
export function dnsResponse(name: string, address: string): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
  const rr = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ip4(address)]);
  return Buffer.concat([header, dnsName(name), Buffer.from([0, 1, 0, 1]), rr]);
}
/** A TLS ClientHello naming `sni`; `padding` bytes of a padding extension (RFC 7685) come first, as large hellos carry. */
export function clientHello(sni: string, padding = 0): Buffer {
  const name = Buffer.from(sni);
  const sniExt = Buffer.alloc(9 + name.length);
  sniExt.writeUInt16BE(0, 0); sniExt.writeUInt16BE(5 + name.length, 2); sniExt.writeUInt16BE(3 + name.length, 4);
  sniExt[6] = 0; sniExt.writeUInt16BE(name.length, 7); name.copy(sniExt, 9);
  const body = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32), Buffer.from([0]), Buffer.from([0, 2, 0x13, 0x01]), Buffer.from([1, 0]),
    Buffer.from([(sniExt.length + (padding ? 4 + padding : 0)) >> 8, (sniExt.length + (padding ? 4 + padding : 0)) & 255]),
    ...(padding ? [Buffer.from([0, 21, padding >> 8, padding & 255]), Buffer.alloc(padding)] : []), sniExt]);
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 255]), body]);
  return Buffer.concat([Buffer.from([0x16, 3, 1, hs.length >> 8, hs.length & 255]), hs]);
}
export function dhcpAck(clientMac: string, yiaddr: string): Buffer {
  const b = Buffer.alloc(244);
  b[0] = 2; b[1] = 1; b[2] = 6;
  ip4(yiaddr).copy(b, 16);
  mac(clientMac).copy(b, 28);
  b.writeUInt32BE(0x63825363, 236);
  b[240] = 53; b[241] = 1; b[242] = 5; b[243] = 255;
  return b;
}

export interface Packet { time: number; frame: Buffer }

export function pcapFile(packets: Packet[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6); header.writeUInt32LE(65535, 16); header.writeUInt32LE(1, 20);
  return Buffer.concat([header, ...packets.flatMap(({ time, frame }) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(Math.floor(time / 1000), 0); r.writeUInt32LE((time % 1000) * 1000, 4); r.writeUInt32LE(frame.length, 8); r.writeUInt32LE(frame.length, 12);
    return [r, frame];
  })]);
}

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0); b.writeUInt32LE(len, 4); body.copy(b, 8); b.writeUInt32LE(len, len - 4);
  return b;
}
export function pcapngFile(packets: Packet[]): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0); shb.writeUInt16LE(1, 4); shb.writeInt32LE(-1, 8); shb.writeInt32LE(-1, 12);
  const idb = Buffer.alloc(16);
  idb.writeUInt16LE(1, 0); idb.writeUInt32LE(65535, 4);
  idb.writeUInt16LE(9, 8); idb.writeUInt16LE(1, 10); idb[12] = 3; // if_tsresol: milliseconds
  return Buffer.concat([block(0x0a0d0d0a, shb), block(1, idb), ...packets.map(({ time, frame }) => {
    const epb = Buffer.alloc(20 + frame.length);
    epb.writeUInt32LE(0, 0); epb.writeUInt32LE(Math.floor(time / 2 ** 32), 4); epb.writeUInt32LE(time % 2 ** 32, 8);
    epb.writeUInt32LE(frame.length, 12); epb.writeUInt32LE(frame.length, 16); frame.copy(epb, 20);
    return block(6, epb);
  })]);
}

/** A plug at 192.168.1.50 (MAC 02:00:00:00:00:50) that gets a lease, resolves its cloud, opens TLS to it and pings mDNS. */
export function plugSession(): Packet[] {
  const PLUG = '02:00:00:00:00:50';
  const GW = '02:00:00:00:00:01';
  const t = Date.UTC(2024, 2, 3, 10, 0, 0);
  return [
    { time: t, frame: ethernet(GW, PLUG, udp('192.168.1.1', '255.255.255.255', 67, 68, dhcpAck(PLUG, '192.168.1.50'))) },
    { time: t + 1000, frame: ethernet(GW, PLUG, udp('192.168.1.1', '192.168.1.50', 53, 40100, dnsResponse('cloud.example.com', '52.28.0.40'))) },
    { time: t + 2000, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.40', 40200, 443, 0x02)) },
    { time: t + 2100, frame: ethernet(GW, PLUG, tcp('52.28.0.40', '192.168.1.50', 443, 40200, 0x12)) },
    { time: t + 2200, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.40', 40200, 443, 0x18, clientHello('tls.example.com'))) },
    { time: t + 3000, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.41', 40201, 8883, 0x02)) },
    { time: t + 4000, frame: ethernet(PLUG, '01:00:5e:00:00:fb', udp('192.168.1.50', '224.0.0.251', 5353, 5353)) },
    { time: t + 5000, frame: ethernet('02:00:00:00:00:77', GW, tcp('192.168.1.77', '52.28.0.99', 40300, 443, 0x02)) },
    { time: t + 6000, frame: Buffer.from([1, 2, 3]) },
  ];
}

/** A standard query for an A record. */
export function dnsQuery(name: string): Buffer {
  const header = Buffer.from([0x43, 0x21, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, dnsName(name), Buffer.from([0, 1, 0, 1])]);
}

/** A DNS message as sent over TCP: a two-byte length, then the message. */
export function overTcp(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from([message.length >> 8, message.length & 255]), message]);
}

/** One IPFIX flow record for ipfixFile: IPv4 addresses, ports, protocol number, start in milliseconds. */
export interface IpfixRecord { src: string; dst: string; sport: number; dport: number; protocol: number; start: number }

/** An IPFIX file (RFC 7011 messages back to back): one template message, then one data message per two records. */
export function ipfixFile(records: IpfixRecord[]): Buffer {
  const message = (sets: Buffer[]) => {
    const body = Buffer.concat(sets);
    const h = Buffer.alloc(16);
    h.writeUInt16BE(10, 0); h.writeUInt16BE(16 + body.length, 2); h.writeUInt32BE(1709460000, 4); h.writeUInt32BE(1, 8); h.writeUInt32BE(7, 12);
    return Buffer.concat([h, body]);
  };
  const set = (id: number, body: Buffer) => {
    const h = Buffer.alloc(4);
    h.writeUInt16BE(id, 0); h.writeUInt16BE(4 + body.length, 2);
    return Buffer.concat([h, body]);
  };
  // Template 256: sourceIPv4Address, destinationIPv4Address, sourceTransportPort, destinationTransportPort,
  // protocolIdentifier, flowStartMilliseconds, and an enterprise-specific element the reader must step over.
  const fields: [number, number][] = [[8, 4], [12, 4], [7, 2], [11, 2], [4, 1], [152, 8]];
  const t = Buffer.alloc(4 + fields.length * 4 + 8);
  t.writeUInt16BE(256, 0); t.writeUInt16BE(fields.length + 1, 2);
  fields.forEach(([id, len], i) => { t.writeUInt16BE(id, 4 + i * 4); t.writeUInt16BE(len, 6 + i * 4); });
  t.writeUInt16BE(0x8000 | 100, 4 + fields.length * 4); t.writeUInt16BE(2, 6 + fields.length * 4); t.writeUInt32BE(6871, 8 + fields.length * 4);
  const data = (r: IpfixRecord) => {
    const b = Buffer.alloc(23);
    ip4(r.src).copy(b, 0); ip4(r.dst).copy(b, 4); b.writeUInt16BE(r.sport, 8); b.writeUInt16BE(r.dport, 10); b[12] = r.protocol;
    b.writeUInt32BE(Math.floor(r.start / 4294967296), 13); b.writeUInt32BE(r.start % 4294967296, 17); b.writeUInt16BE(0, 21);
    return b;
  };
  const messages = [message([set(2, t)])];
  for (let i = 0; i < records.length; i += 2) messages.push(message([set(256, Buffer.concat(records.slice(i, i + 2).map(data)))]));
  return Buffer.concat(messages);
}

/** A field specifier of a template: IANA element id and length; an enterprise number makes it enterprise-specific. */
export interface FieldSpec { id: number; length: number; enterprise?: number }

/** Unsigned big-endian integers of 1, 2, 4 or 8 bytes, and IPv4 addresses: the pieces of a data record. */
export const be = {
  u8: (v: number) => Buffer.from([v]),
  u16: (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; },
  u32: (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; },
  u64: (v: number) => { const b = Buffer.alloc(8); b.writeUInt32BE(Math.floor(v / 4294967296)); b.writeUInt32BE(v % 4294967296, 4); return b; },
  ip4,
};

function fieldSpecifiers(fields: FieldSpec[]): Buffer {
  return Buffer.concat(fields.map((f) => Buffer.concat([
    be.u16(f.enterprise !== undefined ? 0x8000 | f.id : f.id), be.u16(f.length), ...(f.enterprise !== undefined ? [be.u32(f.enterprise)] : []),
  ])));
}

/** RFC 7011 section 3.4.1: template id, field count, field specifiers. */
export const ipfixTemplate = (id: number, fields: FieldSpec[]) => Buffer.concat([be.u16(id), be.u16(fields.length), fieldSpecifiers(fields)]);
/** RFC 7011 section 3.4.2.2: template id, field count, scope field count, field specifiers (scope fields first). */
export const ipfixOptionsTemplate = (id: number, scope: FieldSpec[], fields: FieldSpec[]) =>
  Buffer.concat([be.u16(id), be.u16(scope.length + fields.length), be.u16(scope.length), fieldSpecifiers([...scope, ...fields])]);

/** A set (IPFIX) or FlowSet (NetFlow v9): id, length, body, padded with zeros to a multiple of `align` bytes. */
export function flowSet(id: number, body: Buffer, align = 1): Buffer {
  const padding = (align - ((4 + body.length) % align)) % align;
  return Buffer.concat([be.u16(id), be.u16(4 + body.length + padding), body, Buffer.alloc(padding)]);
}

/** RFC 7011 section 3.1: version 10, length, export time, sequence number, observation domain; then the sets. */
export function ipfixMessage(sets: Buffer[], exportSeconds: number, domain = 7, sequence = 0): Buffer {
  const body = Buffer.concat(sets);
  return Buffer.concat([be.u16(10), be.u16(16 + body.length), be.u32(exportSeconds), be.u32(sequence), be.u32(domain), body]);
}

/** RFC 3954 section 5.1: version 9, record count, sysUptime (ms), UNIX seconds, sequence, source id; then the FlowSets. */
export function netflow9Packet(flowSets: Buffer[], o: { count: number; uptimeMs: number; unixSeconds: number; source?: number; sequence?: number }): Buffer {
  return Buffer.concat([be.u16(9), be.u16(o.count), be.u32(o.uptimeMs), be.u32(o.unixSeconds), be.u32(o.sequence ?? 0), be.u32(o.source ?? 0), ...flowSets]);
}
/** RFC 3954 section 5.2: template id, field count, then type and length of each field. */
export const netflow9Template = (id: number, fields: FieldSpec[]) => Buffer.concat([be.u16(id), be.u16(fields.length), fieldSpecifiers(fields)]);
/** RFC 3954 section 6.1: template id, scope length and option length in bytes, then the scope and option fields. */
export const netflow9OptionsTemplate = (id: number, scope: FieldSpec[], fields: FieldSpec[]) =>
  Buffer.concat([be.u16(id), be.u16(scope.length * 4), be.u16(fields.length * 4), fieldSpecifiers([...scope, ...fields])]);
