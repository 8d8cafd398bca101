import ipaddr from 'ipaddr.js';
import { domainToASCII } from 'node:url';

export interface Finding { message: string; hint?: string }

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Strict DNS name check for internet endpoints: lower-case A-labels, `*.` only as the leftmost label. */
export function checkHostname(name: string): Finding | null {
  if (name.length === 0) return { message: 'host is empty' };
  if (/[^\x21-\x7e]/.test(name)) {
    const ascii = domainToASCII(name.toLowerCase());
    return /[\s\u0000-\u001f\u007f]/.test(name) || !ascii
      ? { message: `host ${JSON.stringify(name)} contains characters that cannot appear in a DNS name` }
      : { message: `host ${JSON.stringify(name)} is not in ASCII (IDNA) form`, hint: `write it as ${ascii}` };
  }
  if (name !== name.toLowerCase()) return { message: `host ${JSON.stringify(name)} has upper-case letters`, hint: `write ${name.toLowerCase()}` };
  if (name.endsWith('.')) return { message: `host ${JSON.stringify(name)} ends with a dot`, hint: `write ${name.slice(0, -1)}` };
  const labels = name.split('.');
  const wildcard = labels[0] === '*';
  const rest = wildcard ? labels.slice(1) : labels;
  if (labels.slice(1).includes('*') || (!wildcard && name.includes('*'))) {
    return { message: `host ${JSON.stringify(name)} has a wildcard that is not the whole leftmost label`, hint: 'only "*.example.com" is allowed' };
  }
  if (name.length > 253) return { message: `host is ${name.length} characters long; DNS names are at most 253` };
  if (rest.length < 2) return { message: `host ${JSON.stringify(name)} is not a fully qualified name`, hint: 'internet endpoints need a registered domain, such as api.example.com' };
  for (const label of rest) {
    if (label.length > 63) return { message: `label ${JSON.stringify(label.slice(0, 20) + '…')} is ${label.length} characters long; a DNS label is at most 63` };
    if (!LABEL.test(label)) return { message: `label ${JSON.stringify(label)} in host ${JSON.stringify(name)} is not a valid DNS label`, hint: 'letters a-z, digits and inner hyphens only' };
    if (label.startsWith('xn--') && domainToASCII(label) !== label) return { message: `label ${JSON.stringify(label)} is not valid punycode` };
  }
  if (/^[0-9]+$/.test(rest[rest.length - 1]!)) return { message: `host ${JSON.stringify(name)} looks like an IP address`, hint: 'put IP addresses under address:, not host:' };
  return null;
}

export interface ParsedAddress {
  version: 4 | 6;
  /** Canonical text: dotted quad or RFC 5952 form, with /len for a block. */
  canonical: string;
  prefix: number | null;
  address: ipaddr.IPv4 | ipaddr.IPv6;
}

/** Parses an IP literal or CIDR block strictly; returns a finding when it is not in canonical form. */
export function parseAddress(text: string): ParsedAddress | Finding {
  const [ip, len, extra] = text.split('/');
  if (extra !== undefined || ip === undefined) return { message: `address ${JSON.stringify(text)} is not an IP address or CIDR block` };
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (!ip.includes(':') && ipaddr.IPv4.isValidFourPartDecimal(ip)) address = ipaddr.IPv4.parse(ip);
  else if (ip.includes(':') && ipaddr.IPv6.isValid(ip) && !ip.includes('%')) address = ipaddr.IPv6.parse(ip);
  else return { message: `address ${JSON.stringify(text)} is not an IP address or CIDR block`, hint: 'write 203.0.113.7, 2001:db8::1 or 198.51.100.0/24' };
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return { message: `address ${JSON.stringify(text)} is an IPv4-mapped IPv6 address`, hint: `write ${(address as ipaddr.IPv6).toIPv4Address().toString()}` };
  }
  const version = address.kind() === 'ipv4' ? 4 : 6;
  let prefix: number | null = null;
  if (len !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(len) || Number(len) > (version === 4 ? 32 : 128)) {
      return { message: `prefix length /${len} is not valid for IPv${version}` };
    }
    prefix = Number(len);
  }
  const canonicalIp = version === 4 ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
  if (prefix !== null) {
    const network = (version === 4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(`${canonicalIp}/${prefix}`);
    const networkText = version === 4 ? network.toString() : (network as ipaddr.IPv6).toRFC5952String();
    if (networkText !== canonicalIp) return { message: `CIDR block ${text} has host bits set`, hint: `write ${networkText}/${prefix}` };
  }
  const canonical = prefix === null ? canonicalIp : `${canonicalIp}/${prefix}`;
  if (canonical !== text) return { message: `address ${JSON.stringify(text)} is not in canonical form`, hint: `write ${canonical}` };
  if (prefix === (version === 4 ? 32 : 128)) return { message: `${text} is a single address written as a block`, hint: `write ${canonicalIp}` };
  return { version, canonical, prefix, address };
}

export function isFinding(x: ParsedAddress | Finding): x is Finding {
  return (x as Finding).message !== undefined;
}

const DOCUMENTATION: [string, number][] = [
  ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], ['2001:db8::', 32], ['3fff::', 20],
];

/** The special-use range an address or block falls in (private, loopback, ...), or null for global unicast. */
export function specialRange(parsed: ParsedAddress): string | null {
  for (const [net, len] of DOCUMENTATION) {
    const base = ipaddr.parse(net);
    if (base.kind() === parsed.address.kind() && parsed.address.match(base, len) && (parsed.prefix ?? 128) >= len) return 'documentation';
  }
  const range = parsed.address.range();
  if (range === 'unicast') return null;
  const names: Record<string, string> = {
    private: 'private', uniqueLocal: 'private (unique local)', loopback: 'loopback', linkLocal: 'link-local',
    multicast: 'multicast', unspecified: 'unspecified', broadcast: 'broadcast', carrierGradeNat: 'carrier-grade NAT',
    reserved: 'reserved', benchmarking: 'benchmarking', ipv4Mapped: 'IPv4-mapped', rfc6145: 'IPv4-translated',
    rfc6052: 'NAT64', '6to4': '6to4', teredo: 'Teredo', as112: 'AS112', orchid2: 'ORCHIDv2', droneRemoteIdProtocolEntityTags: 'reserved',
  };
  return names[range] ?? range;
}

export interface PortRange { from: number; to: number }

/** Reads a port item (443 or "1000-2000"); returns null for anything else. */
export function parsePortItem(item: unknown): PortRange | null {
  if (typeof item === 'number' && Number.isInteger(item)) return { from: item, to: item };
  if (typeof item === 'string') {
    const m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(item);
    if (m) return { from: Number(m[1]), to: Number(m[2]) };
  }
  return null;
}

export function formatPortRange(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** ICMP queries and the reply type that answers each (RFC 792, RFC 950; RFC 4443 for ICMPv6 echo). */
export const ICMP_REPLY: Record<'icmp' | 'icmpv6', Record<number, number>> = { icmp: { 8: 0, 13: 14, 15: 16, 17: 18 }, icmpv6: { 128: 129 } };
