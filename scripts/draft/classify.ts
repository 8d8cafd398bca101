// Which service a port is, what it is for when the service says so plainly, and where an address lives.
import { WELL_KNOWN } from '../lint/rules/port-service.js';
import { isFinding, parseAddress, specialRange } from '../lib/net.js';
import type { FlowProtocol } from './events.js';

// Services the lint table does not list, because they never appear in internet endpoints.
const LOCAL_SERVICES: Record<string, { protocols: string[]; ports: number[] }> = {
  llmnr: { protocols: ['udp'], ports: [5355] },
  'ws-discovery': { protocols: ['udp'], ports: [3702] },
  'netbios-ns': { protocols: ['udp'], ports: [137] },
  'dns-over-tls': { protocols: ['tcp'], ports: [853] },
  coaps: { protocols: ['udp'], ports: [5684] },
};

const BY_PORT = new Map<string, string>();
for (const [service, spec] of [...Object.entries(WELL_KNOWN), ...Object.entries(LOCAL_SERVICES)]) {
  for (const protocol of spec.protocols) {
    if (protocol === 'tcp+udp') continue;
    for (const port of spec.ports) if (!BY_PORT.has(`${protocol}/${port}`)) BY_PORT.set(`${protocol}/${port}`, service);
  }
}

const PURPOSE: Record<string, string> = {
  ntp: 'time', dns: 'dns', 'dns-over-tls': 'dns', mdns: 'discovery', ssdp: 'discovery', llmnr: 'discovery', 'ws-discovery': 'discovery', 'netbios-ns': 'discovery',
};

export function serviceOf(protocol: FlowProtocol, port: number | undefined): string | undefined {
  if (protocol === 'icmp' || protocol === 'icmpv6') return protocol;
  return port === undefined ? undefined : BY_PORT.get(`${protocol}/${port}`);
}

/** Service slug for a draft entry: the well-known name, or `unknown` when the port says nothing certain. */
export function serviceSlug(protocol: FlowProtocol, port: number | undefined): string {
  return serviceOf(protocol, port) ?? 'unknown';
}

export function purposeOf(service: string): string {
  return PURPOSE[service] ?? 'unknown';
}

// Per protocol, the ports BY_PORT names: the attribution asks for many packets, and a number is cheaper than a key text.
const SERVICE_PORTS = new Map<string, Set<number>>();
for (const key of BY_PORT.keys()) {
  const [protocol, port] = key.split('/') as [string, string];
  (SERVICE_PORTS.get(protocol) ?? SERVICE_PORTS.set(protocol, new Set()).get(protocol)!).add(Number(port));
}

/** A port that looks like a server's: a well-known service or below 1024. */
export function isServicePort(protocol: FlowProtocol, port: number): boolean {
  return port < 1024 || SERVICE_PORTS.get(protocol)?.has(port) === true;
}

export type Scope = 'internet' | 'lan' | 'multicast' | 'broadcast' | { special: string };

/** First octets under which IPv4 has a special-use range (ipaddr.js's list): any other dotted quad is internet. */
const SPECIAL_FIRST_OCTETS = new Set([0, 10, 100, 127, 169, 172, 192, 198, 203]);

export function scopeOf(address: string): Scope {
  const dot = address.indexOf('.');
  if (dot > 0 && dot <= 3 && !address.includes(':') && !address.includes('/')) {
    const first = Number(address.slice(0, dot));
    if (first < 224 && !SPECIAL_FIRST_OCTETS.has(first)) return 'internet';
  }
  const parsed = parseAddress(address);
  if (isFinding(parsed)) return { special: 'unparseable' };
  const range = specialRange(parsed);
  if (range === null) return 'internet';
  if (range === 'multicast') return 'multicast';
  if (range === 'broadcast') return 'broadcast';
  if (range === 'private' || range === 'private (unique local)' || range === 'link-local') {
    return parsed.version === 4 && address.endsWith('.255') ? 'broadcast' : 'lan';
  }
  return { special: range };
}
