// Names that describe the contributor's own network rather than a destination of the device: reverse
// lookups, local and home domains, single-label names and dynamic-DNS names. They never reach a draft or its
// notes; the report counts them by reason.

export type PrivateReason = 'reverse lookup' | 'local or home domain' | 'single-label name' | 'your dynamic-DNS name';

/** Suffixes of names that only mean something inside a home network (RFC 6762, RFC 8375, router defaults). */
const LOCAL_SUFFIXES = [
  'local', 'lan', 'home', 'home.arpa', 'internal', 'localdomain', 'localhost', 'intranet', 'private', 'corp', 'domain',
  'fritz.box', 'box', 'router', 'gateway', 'station', 'workgroup', 'invalid', 'test', 'example',
];

/**
 * Zones under which every name is one customer's dynamic-DNS host. The provider's own service names
 * (its update API, its web site) are not a customer's and stay.
 */
const DDNS_ZONES = [
  'myfritz.net', 'duckdns.org', 'dyndns.org', 'dyndns.info', 'no-ip.org', 'no-ip.biz', 'ddns.net', 'hopto.org', 'zapto.org',
  'synology.me', 'dynu.net', 'freeddns.org', 'tplinkdns.com', 'asuscomm.com', 'myqnapcloud.com', 'dnsalias.net', 'mooo.com',
];
const DDNS_SERVICE_LABELS = new Set(['www', 'api', 'update', 'updates', 'dynupdate', 'members', 'my', 'ipv4', 'ipv6', 'nic', 'ip']);

function under(name: string, zone: string): boolean {
  return name === zone || (name.length > zone.length && name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === 46);
}

export class NamePrivacy {
  private readonly ddns: string[];
  /** Names left out, per reason: distinct names, for the report. */
  readonly leftOut = new Map<PrivateReason, Set<string>>();

  /** `ddns`: the contributor's own dynamic-DNS names (--ddns); their subdomains are theirs too. */
  constructor(ddns: Iterable<string> = []) {
    this.ddns = [...ddns].map((n) => n.toLowerCase().replace(/\.$/, ''));
  }

  /** Why a name is the contributor's own, or null when it may name a destination. */
  reasonFor(name: string): PrivateReason | null {
    const n = name.endsWith('.') ? name.slice(0, -1) : name;
    if (n.endsWith('.in-addr.arpa') || n.endsWith('.ip6.arpa')) return 'reverse lookup';
    if (!n.includes('.')) return 'single-label name';
    if (this.ddns.some((z) => under(n, z))) return 'your dynamic-DNS name';
    if (LOCAL_SUFFIXES.some((s) => under(n, s))) return 'local or home domain';
    for (const zone of DDNS_ZONES) {
      if (n !== zone && under(n, zone)) {
        const label = n.slice(0, n.length - zone.length - 1);
        if (!DDNS_SERVICE_LABELS.has(label)) return 'your dynamic-DNS name';
      }
    }
    return null;
  }

  /** True when the name may be written; otherwise it is counted under its reason. */
  allows(name: string): boolean {
    const reason = this.reasonFor(name);
    if (reason === null) return true;
    const set = this.leftOut.get(reason) ?? this.leftOut.set(reason, new Set()).get(reason)!;
    if (set.size < 100_000) set.add(name);
    return false;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.leftOut].map(([reason, names]) => [reason, names.size]));
  }
}
