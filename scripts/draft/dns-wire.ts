// DNS messages in wire format (RFC 1035), as in packet captures and AdGuard Home's query log.
// Only what naming needs: the question, and the A/AAAA answers of a response.

export interface DnsMessage { response: boolean; question: string | null; addresses: string[] }

function readName(buf: Uint8Array, start: number, end: number): [string, number] | null {
  const labels: string[] = [];
  let pos = start;
  let next = -1;
  for (let jumps = 0; jumps < 32; ) {
    if (pos >= end) return null;
    const len = buf[pos]!;
    if (len === 0) { pos++; break; }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= end) return null;
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      jumps++;
      continue;
    }
    if (len > 63 || pos + 1 + len > end) return null;
    let label = '';
    for (let i = pos + 1; i <= pos + len; i++) label += String.fromCharCode(buf[i]!);
    labels.push(label);
    pos += 1 + len;
    if (labels.length > 127) return null;
  }
  return [labels.join('.').toLowerCase(), next >= 0 ? next : pos];
}

function ipv6Text(buf: Uint8Array, at: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((buf[at + i]! << 8) | buf[at + i + 1]!).toString(16));
  return parts.join(':');
}

/** Parses a DNS message in buf[start, end); returns null when it is not one. */
export function parseDnsMessage(buf: Uint8Array, start = 0, end = buf.length): DnsMessage | null {
  if (end - start < 12) return null;
  const u16 = (at: number) => (buf[at]! << 8) | buf[at + 1]!;
  const response = (buf[start + 2]! & 0x80) !== 0;
  const qd = u16(start + 4);
  const an = u16(start + 6);
  if (qd > 8) return null;
  // Offsets inside the message are relative to its start: work on a view so compression pointers line up.
  const msg = buf.subarray(start, end);
  const len = end - start;
  let pos = 12;
  let question: string | null = null;
  for (let q = 0; q < qd; q++) {
    const name = readName(msg, pos, len);
    if (!name) return null;
    if (q === 0) question = name[0];
    pos = name[1] + 4;
  }
  const addresses: string[] = [];
  for (let a = 0; a < an && pos < len; a++) {
    const name = readName(msg, pos, len);
    if (!name) break;
    pos = name[1];
    if (pos + 10 > len) break;
    const type = (msg[pos]! << 8) | msg[pos + 1]!;
    const rdlen = (msg[pos + 8]! << 8) | msg[pos + 9]!;
    pos += 10;
    if (pos + rdlen > len) break;
    if (type === 1 && rdlen === 4) addresses.push(`${msg[pos]}.${msg[pos + 1]}.${msg[pos + 2]}.${msg[pos + 3]}`);
    else if (type === 28 && rdlen === 16) addresses.push(ipv6Text(msg, pos));
    pos += rdlen;
  }
  return { response, question, addresses };
}
