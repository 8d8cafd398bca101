// Attribution and aggregation: which flows are the device's, who opened them, and what each destination
// is called according to the inputs themselves. Memory grows with the device's distinct destinations,
// not with the size of the inputs.
import ipaddr from 'ipaddr.js';
import { checkHostname } from '../lib/net.js';
import type { DraftEvent, Flow, FlowProtocol, Lease, Sink } from './events.js';
import { isServicePort, purposeOf, scopeOf, serviceSlug, type Scope } from './classify.js';
import { ConversationTable } from './conversations.js';
import { NamePrivacy, type PrivateReason } from './privacy.js';

export interface Observed { count: number; first: number; last: number }

export interface DraftEndpoint extends Observed {
  host?: string;
  address?: string;
  /** unknown: a DNS log alone shows the lookup, not the connection. */
  protocol: FlowProtocol | 'unknown';
  port?: number;
  service: string;
  purpose: string;
  nameSource?: 'sni' | 'dns' | 'lookup';
  /** Several DNS answers named this address: the flow alone cannot tell which name the device used. */
  ambiguousNames?: string[];
  /** Set when the entry stands for several destinations: how many, and a few of them. */
  aggregated?: { kind: 'domain' | 'prefix'; members: number; examples: string[] };
}

export type LocalParty = 'device' | 'lan' | 'multicast' | 'broadcast';
export interface DraftLocal extends Observed {
  from: LocalParty;
  to: LocalParty;
  group?: string;
  protocol: FlowProtocol;
  port?: number;
  service: string;
  purpose: string;
}

export interface LeftOut {
  /** Flows between other hosts. */
  otherFlows: number;
  otherHosts: number;
  /** Distinct LAN peers, written as `lan`, never by address. */
  lanPeers: number;
  inboundInternet: number;
  excluded: number;
  specialUse: Record<string, number>;
  /** Names from DNS or SNI that are not valid host names. */
  invalidNames: number;
  /** DNS answers to other clients, not used to name the device's destinations. */
  otherClientAnswers: number;
  /** Flow records whose opener cannot be told (both ports ephemeral): counted, never guessed. */
  undeterminedOpener: number;
  /** Events to the address the contributor's own dynamic-DNS name resolves to. */
  ownAddress: number;
  /** Distinct names kept out of the draft and its notes, per reason (reverse lookups, home domains...). */
  privateNames: Record<string, number>;
}

export interface DraftData {
  endpoints: DraftEndpoint[];
  local: DraftLocal[];
  /** Names the device looked up with no flow to them in the inputs. */
  queriedOnly: string[];
  first: number;
  last: number;
  deviceAddresses: string[];
  leftOut: LeftOut;
  /** True when the inputs are DNS logs alone: endpoints then come from the device's answered lookups. */
  dnsOnly: boolean;
  /** Sentences for notes: how the destinations were aggregated to keep the draft readable, and what was not listed. */
  aggregation: string[];
  /** The hosts with the most events among the flows that were not the device's: for a hint when --device matched nothing. */
  busiestOtherHosts: { address: string; events: number }[];
}

/** At most this many entries (endpoints plus local flows) in a draft: more are aggregated, then summarised in notes. */
export const MAX_DRAFT_ENTRIES = 250;

interface Group extends Observed {
  /** An address, or for a coarse group (see MAX_ADDRESSES) the /24, /16 (IPv6: /48, /32) it stands for. */
  remote: string;
  protocol: FlowProtocol;
  port?: number;
  outbound: boolean;
  sni?: string;
  /** Set on coarse groups: the scope of the addresses folded in. */
  coarse?: Scope;
}

/**
 * Memory stays bounded whatever the input: the device's first MAX_ADDRESSES remote addresses are kept one by one;
 * later ones fold into coarse groups by /24 (IPv6: /48), up to MAX_COARSE of them; an address in none of those goes
 * to its /16 (/32), up to MAX_WIDE more groups; beyond that, into a count per service.
 * A known address on a port not seen with it before folds the same way once MAX_GROUPS groups exist: a port scan
 * or a device talking to thousands of ports would otherwise add a group per port.
 */
const MAX_ADDRESSES = 20_000;
const MAX_GROUPS = 50_000;
const MAX_COARSE = 20_000;
const MAX_WIDE = 5_000;
const MAX_NAMED_ADDRESSES = 200_000;
const MAX_QUERIES = 100_000;

const MAX_CONVERSATIONS = 200_000;
const EPHEMERAL = 32768;
const MAX_COUNTED_HOSTS = 100_000;
const MAX_NAME_VERDICTS = 1 << 16;

export function observe(o: Observed, time: number, count = 1): void {
  o.count += count;
  if (Number.isNaN(time)) return;
  // A comparison with NaN is false: an unset (NaN) first or last takes the time.
  if (!(time >= o.first)) o.first = time;
  if (!(time <= o.last)) o.last = time;
}
export const fresh = (): Observed => ({ count: 0, first: NaN, last: NaN });

const FIRST = 0;
const SECOND = 1;
const PROTOCOL_CODE: Record<FlowProtocol, number> = { tcp: 0, udp: 1, icmp: 2, icmpv6: 3 };

/** Remote, protocol, port and direction as one number (a remote id below 2^31 leaves room in a double's 53 bits). */
function groupNumber(remoteId: number, protocol: FlowProtocol, port: number | undefined, outbound: boolean): number {
  return remoteId * 2 ** 20 + (PROTOCOL_CODE[protocol] * 4 + (outbound ? 2 : 0) + (port === undefined ? 1 : 0)) * 65536 + (port ?? 0);
}

/**
 * The first two or three octets of a dotted quad as one number (a.b.c → a·2^16 + b·2^8 + c), or -1 for any other
 * text: a coarse group's key is made from it without building strings for every flow.
 */
function v4Prefix(address: string, octets: number): number {
  let prefix = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0, done = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255) return -1;
      prefix = prefix * 256 + value;
      if (++done === octets) return prefix;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3 && !(digits === 1 && value === 0)) {
      value = value * 10 + (c - 48);
      digits++;
    } else return -1;
  }
  return -1;
}

/** The key of a coarse group: a number for IPv4 (prefix, width, protocol, direction and port), text otherwise. */
function coarseKey(address: string, wide: boolean, protocol: FlowProtocol, port: number | undefined, outbound: boolean): number | string {
  const prefix = v4Prefix(address, wide ? 2 : 3);
  if (prefix < 0) return `${coarsePrefix(address, wide)}|${protocol}|${port ?? ''}|${outbound}`;
  return ((prefix * 2 + (wide ? 1 : 0)) * 8 + PROTOCOL_CODE[protocol] * 2 + (outbound ? 1 : 0)) * 65537 + (port ?? 65536);
}

function newGroup(remote: string, protocol: FlowProtocol, outbound: boolean, port: number | undefined, sni: string | undefined, coarse: Scope | undefined): Group {
  const g: Group = { count: 0, first: NaN, last: NaN, remote, protocol, outbound };
  if (port !== undefined) g.port = port;
  if (sni) g.sni = sni;
  if (coarse !== undefined) g.coarse = coarse;
  return g;
}

/** The /24 or /16 (IPv6: /48 or /32) of an address, as a CIDR. */
export function coarsePrefix(address: string, wide: boolean): string {
  if (!address.includes(':')) {
    const parts = address.split('.');
    return wide ? `${parts[0]}.${parts[1]}.0.0/16` : `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  const keep = wide ? 4 : 6;
  const bytes = ipaddr.IPv6.parse(address).toByteArray().slice(0, keep).concat(Array<number>(16 - keep).fill(0));
  return `${ipaddr.fromByteArray(bytes).toString()}/${keep * 8}`;
}

export class Collector implements Sink {
  readonly ips: Set<string>;
  readonly macs: Set<string>;
  /** Groups by groupNumber; those with a server name, by that number and the name. */
  private readonly groups = new Map<number, Group>();
  private readonly namedGroups = new Map<string, Group>();
  /** Coarse groups, once MAX_ADDRESSES remotes are known: by prefix, protocol, port and direction. */
  private readonly coarseGroups = new Map<number | string, Group>();
  /** How many of the coarse groups are /16 (IPv6: /32) ones. */
  private wideGroups = 0;
  /** Events beyond even the coarse groups: counted per protocol and port. */
  private readonly uncounted = new Map<string, number>();
  /** Per address, the names DNS answers gave it. */
  private readonly names = new Map<string, Set<string>>();
  private readonly queries = new Map<string, Observed>();
  /** For packets of unknown role: which end opened each conversation. */
  private readonly conversations = new ConversationTable(MAX_CONVERSATIONS);
  private readonly addressIds = new Map<string, number>();
  /** Events per other host, bounded: the report names the busiest when --device matched nothing. */
  private readonly otherHosts = new Map<string, number>();
  private readonly lanPeers = new Set<string>();
  private readonly period = fresh();
  private readonly leftOut: LeftOut = { otherFlows: 0, otherHosts: 0, lanPeers: 0, inboundInternet: 0, excluded: 0, specialUse: {}, invalidNames: 0, otherClientAnswers: 0, undeterminedOpener: 0, ownAddress: 0, privateNames: {} };

  private readonly ownAddresses = new Set<string>();
  /** See Sink.revision: bumped when a device address is learnt, or a known conversation's opener changes or is forgotten. */
  revision = 0;
  private readonly nameVerdicts = new Map<string, 'ok' | 'invalid' | PrivateReason>();

  constructor(
    device: { ips: Iterable<string>; macs: Iterable<string> },
    private readonly exclude: ReadonlySet<string> = new Set(),
    private readonly learnOnly = false,
    private readonly privacy: NamePrivacy = new NamePrivacy(),
    private readonly maxEntries = MAX_DRAFT_ENTRIES,
  ) {
    this.ips = new Set(device.ips);
    this.macs = new Set(device.macs);
  }

  private isDevice(ip: string, mac: string | undefined): boolean {
    return this.ips.has(ip) || (mac !== undefined && this.macs.has(mac));
  }

  private learn(ip: string, mac: string | undefined): void {
    if (mac !== undefined && this.macs.has(mac) && !this.ips.has(ip) && scopeOf(ip) !== 'multicast' && ip !== '0.0.0.0' && ip !== '::') this.addIp(ip);
  }

  private addIp(ip: string): void {
    if (this.ips.has(ip)) return;
    this.ips.add(ip);
    this.revision++;
  }

  learnsFrom(e: Lease): boolean {
    return this.macs.has(e.mac) && !this.ips.has(e.ip);
  }

  emit(e: DraftEvent): void {
    switch (e.kind) {
      case 'lease':
        if (this.learnsFrom(e)) this.addIp(e.ip);
        return;
      case 'flow':
        this.learn(e.src, e.srcMac);
        if (!this.learnOnly) this.flow(e);
        return;
      case 'dns': {
        if (this.learnOnly) return;
        if (!(e.client !== undefined && this.isDevice(e.client, e.clientMac))) { this.leftOut.otherClientAnswers++; return; }
        const name = e.name.charCodeAt(e.name.length - 1) === 46 /* . */ ? e.name.slice(0, -1) : e.name;
        const verdict = this.verdictOf(name);
        if (verdict === 'invalid') { this.leftOut.invalidNames++; return; }
        if (verdict === 'your dynamic-DNS name') this.ownAddresses.add(e.address);
        if (verdict !== 'ok') return;
        let byName = this.names.get(e.address);
        if (!byName) {
          if (this.names.size >= MAX_NAMED_ADDRESSES) return;
          byName = new Set<string>();
          this.names.set(e.address, byName);
        }
        byName.add(name);
        return;
      }
      case 'query': {
        if (this.learnOnly || !this.ips.has(e.client)) return;
        let q = this.queries.get(e.name);
        if (!q) {
          if (this.queries.size >= MAX_QUERIES) return;
          q = fresh();
          this.queries.set(e.name, q);
        }
        observe(q, e.time);
        observe(this.period, e.time, 0);
        return;
      }
    }
  }

  /** Whether a name from a DNS answer may name a destination, or why not: checked once per distinct name, as answers repeat. */
  private verdictOf(name: string): 'ok' | 'invalid' | PrivateReason {
    let verdict = this.nameVerdicts.get(name);
    if (verdict === undefined) {
      verdict = checkHostname(name) !== null ? 'invalid' : this.privacy.allows(name) ? 'ok' : this.privacy.reasonFor(name)!;
      if (this.nameVerdicts.size >= MAX_NAME_VERDICTS) this.nameVerdicts.clear();
      this.nameVerdicts.set(name, verdict);
    }
    return verdict;
  }

  private countOther(host: string, n: number): void {
    const seen = this.otherHosts.get(host);
    if (seen !== undefined) this.otherHosts.set(host, seen + n);
    else if (this.otherHosts.size < MAX_COUNTED_HOSTS) this.otherHosts.set(host, n);
  }

  /** A number per address seen in the device's flows, so that conversation and group keys are a few char codes. */
  private idOf(address: string): number {
    let id = this.addressIds.get(address);
    if (id === undefined) {
      id = this.addressIds.size;
      this.addressIds.set(address, id);
    }
    return id;
  }

  /** Whether src opened the flow's connection; null when a one-way record cannot tell (both ports ephemeral). */
  private initiatorIsSrc(f: Flow): boolean | null {
    if (f.role === 'initiator' || f.sport === undefined || f.dport === undefined) return true;
    let decided: boolean | null = null;
    if (f.role === 'record') {
      // One direction of a connection: the side on a server port is the one that was called.
      const srcServes = isServicePort(f.protocol, f.sport);
      const dstServes = isServicePort(f.protocol, f.dport);
      if (srcServes !== dstServes) decided = dstServes;
      else if (!srcServes && f.sport >= EPHEMERAL && f.dport >= EPHEMERAL) return null;
      else if (!srcServes && (f.sport >= EPHEMERAL) !== (f.dport >= EPHEMERAL)) decided = f.sport >= EPHEMERAL;
    }
    if (f.role === 'syn') decided = true;
    else if (f.role === 'synack') decided = false;
    const src = this.knownId(f.src);
    const dst = this.knownId(f.dst);
    // Past MAX_ADDRESSES, a new address has no id and so no conversation: the flags or the ports decide.
    if (src < 0 || dst < 0) return decided ?? !this.calledSideIsSrc(f.protocol, f.sport, f.dport);
    // The table names the two ends in a fixed order, whichever sent this packet, and stores which end opened.
    const srcFirst = src < dst || (src === dst && f.sport <= f.dport);
    const protocol = PROTOCOL_CODE[f.protocol];
    const known = srcFirst ? this.conversations.lookup(src, f.sport, dst, f.dport, protocol) : this.conversations.lookup(dst, f.dport, src, f.sport, protocol);
    const srcOpener = srcFirst ? FIRST : SECOND;
    const dstOpener = srcFirst ? SECOND : FIRST;
    let opener = known;
    if (decided !== null) opener = decided ? srcOpener : dstOpener;
    else if (opener < 0) opener = this.calledSideIsSrc(f.protocol, f.sport, f.dport) ? dstOpener : srcOpener;
    // A new conversation changes how no other flow is counted, unless older ones were forgotten to make room for it.
    if (opener !== known && (this.conversations.store(opener) || known >= 0)) this.revision++;
    // Both ends the same address and port: whoever opened, it was src.
    return opener === srcOpener || (src === dst && f.sport === f.dport);
  }

  /**
   * Mid-conversation first sight: the side on a server port is the one that was called. Without one, a port in
   * the ephemeral range (32768 and up) is the caller's.
   */
  private calledSideIsSrc(protocol: FlowProtocol, sport: number, dport: number): boolean {
    const srcServes = isServicePort(protocol, sport);
    const dstServes = isServicePort(protocol, dport);
    return (srcServes && !dstServes) || (!srcServes && !dstServes && sport < EPHEMERAL && dport >= EPHEMERAL);
  }

  private flow(f: Flow): void {
    const srcIs = this.isDevice(f.src, f.srcMac);
    const dstIs = this.isDevice(f.dst, f.dstMac);
    if (!srcIs && !dstIs) {
      this.leftOut.otherFlows += f.count ?? 1;
      this.countOther(f.src, f.count ?? 1);
      this.countOther(f.dst, f.count ?? 1);
      return;
    }
    if (srcIs && dstIs) return;
    const fromSrc = this.initiatorIsSrc(f);
    if (fromSrc === null) { this.leftOut.undeterminedOpener += f.count ?? 1; return; }
    const outbound = fromSrc === srcIs;
    const remote = srcIs ? f.dst : f.src;
    const port = f.protocol === 'tcp' || f.protocol === 'udp' ? (fromSrc ? f.dport : f.sport) : undefined;
    observe(this.period, f.time, 0);
    const id = this.knownId(remote);
    if (id < 0) return this.coarseFlow(f, remote, port, outbound);
    const key = groupNumber(id, f.protocol, port, outbound);
    let g = f.sni ? this.namedGroups.get(`${key}|${f.sni}`) : this.groups.get(key);
    if (!g && (f.sni ? this.namedGroups : this.groups).size >= MAX_GROUPS) return this.coarseFlow(f, remote, port, outbound);
    if (!g) {
      g = newGroup(remote, f.protocol, outbound, port, f.sni, undefined);
      if (f.sni) this.namedGroups.set(`${key}|${f.sni}`, g); else this.groups.set(key, g);
    }
    observe(g, f.time, f.count ?? 1);
  }

  /** The id of a remote address, or -1 when MAX_ADDRESSES are known and this one is not: it then goes to a coarse group. */
  private knownId(address: string): number {
    const id = this.addressIds.get(address);
    if (id !== undefined) return id;
    return this.addressIds.size < MAX_ADDRESSES ? this.idOf(address) : -1;
  }

  private coarseFlow(f: Flow, remote: string, port: number | undefined, outbound: boolean): void {
    for (let width = 0; width < 2; width++) {
      const wide = width === 1;
      const key = coarseKey(remote, wide, f.protocol, port, outbound);
      let g = this.coarseGroups.get(key);
      if (!g && (wide ? this.wideGroups < MAX_WIDE : this.coarseGroups.size - this.wideGroups < MAX_COARSE)) {
        g = newGroup(coarsePrefix(remote, wide), f.protocol, outbound, port, undefined, scopeOf(remote));
        this.coarseGroups.set(key, g);
        if (wide) this.wideGroups++;
      }
      if (g) { observe(g, f.time, f.count ?? 1); return; }
    }
    const k = `${f.protocol}${port !== undefined ? `/${port}` : ''}`;
    if (this.uncounted.has(k) || this.uncounted.size < 10_000) this.uncounted.set(k, (this.uncounted.get(k) ?? 0) + (f.count ?? 1));
  }

  /** Names for a group: its own SNI, the only SNI its conversation siblings saw, or the only DNS name of the address. */
  private nameOf(g: Group, sniByRemote: Map<string, Set<string>>): { host?: string; source?: 'sni' | 'dns'; ambiguous?: string[] } {
    const sni = g.sni ?? (() => {
      const seen = sniByRemote.get(`${g.remote}|${g.protocol}|${g.port ?? ''}|${g.outbound}`);
      return seen && seen.size === 1 ? [...seen][0] : undefined;
    })();
    if (sni) {
      if (checkHostname(sni) !== null) this.leftOut.invalidNames++;
      else if (this.privacy.allows(sni)) return { host: sni, source: 'sni' };
    }
    const names = [...(this.names.get(g.remote) ?? [])].sort();
    if (names.length === 1) return { host: names[0]!, source: 'dns' };
    return names.length > 1 ? { ambiguous: names } : {};
  }

  /** A DNS log alone: the names the device looked up and got an address for, with protocol and port unknown. */
  private lookedUp(): DraftEndpoint[] {
    const byName = new Map<string, DraftEndpoint>();
    for (const [address, names] of this.names) {
      if (this.exclude.has(address) || this.ownAddresses.has(address) || scopeOf(address) !== 'internet') continue;
      for (const name of names) {
        const q = this.queries.get(name);
        const e = byName.get(name) ?? { ...fresh(), host: name, protocol: 'unknown', service: 'unknown', purpose: 'unknown', nameSource: 'lookup' };
        if (e.count === 0) {
          if (q) { e.first = q.first; e.last = q.last; e.count = q.count; } else e.count = 1;
        }
        byName.set(name, e);
      }
    }
    return [...byName.values()];
  }

  /** `dnsOnly`: the inputs are DNS logs alone, which show lookups but no connection. */
  async result(dnsOnly = false): Promise<DraftData> {
    const sniByRemote = new Map<string, Set<string>>();
    for (const g of this.namedGroups.values()) {
      const k = `${g.remote}|${g.protocol}|${g.port ?? ''}|${g.outbound}`;
      (sniByRemote.get(k) ?? sniByRemote.set(k, new Set()).get(k)!).add(g.sni!);
    }
    const endpoints = new Map<string, DraftEndpoint>();
    const local = new Map<string, DraftLocal>();
    const usedNames = new Set<string>();
    for (const g of [...this.groups.values(), ...this.namedGroups.values(), ...this.coarseGroups.values()]) {
      if (this.exclude.has(g.remote)) { this.leftOut.excluded += g.count; continue; }
      if (this.ownAddresses.has(g.remote)) { this.leftOut.ownAddress += g.count; continue; }
      const scope = g.coarse ?? scopeOf(g.remote);
      const service = serviceSlug(g.protocol, g.port);
      const purpose = purposeOf(service);
      if (typeof scope === 'object') { this.leftOut.specialUse[scope.special] = (this.leftOut.specialUse[scope.special] ?? 0) + g.count; continue; }
      if (scope === 'internet') {
        if (!g.outbound) { this.leftOut.inboundInternet += g.count; continue; }
        const name = g.coarse ? {} : this.nameOf(g, sniByRemote);
        const dest = name.host ?? g.remote;
        const key = `${dest}|${g.protocol}|${g.port ?? ''}`;
        const e = endpoints.get(key) ?? {
          ...fresh(), ...(name.host ? { host: name.host, nameSource: name.source } : { address: g.remote }), protocol: g.protocol, ...(g.port !== undefined ? { port: g.port } : {}), service, purpose,
          ...(name.ambiguous ? { ambiguousNames: name.ambiguous } : {}), ...(g.coarse ? { aggregated: { kind: 'prefix' as const, members: 0, examples: [] } } : {}),
        };
        observe(e, g.first, g.count);
        observe(e, g.last, 0);
        if (name.host) usedNames.add(name.host);
        endpoints.set(key, e);
        continue;
      }
      if (scope === 'lan' && !g.coarse) this.lanPeers.add(g.remote);
      const from: LocalParty = g.outbound ? 'device' : scope === 'lan' ? 'lan' : 'device';
      const to: LocalParty = g.outbound ? scope : 'device';
      if (!g.outbound && scope !== 'lan') continue; // replies to multicast or broadcast do not exist
      const group = to === 'multicast' ? g.remote : undefined;
      const key = `${from}|${to}|${group ?? ''}|${g.protocol}|${g.port ?? ''}`;
      const l = local.get(key) ?? { ...fresh(), from, to, ...(group ? { group } : {}), protocol: g.protocol, ...(g.port !== undefined ? { port: g.port } : {}), service, purpose };
      observe(l, g.first, g.count);
      observe(l, g.last, 0);
      local.set(key, l);
    }
    this.leftOut.otherHosts = this.otherHosts.size;
    const busiest = [...this.otherHosts].filter(([h]) => scopeOf(h) === 'lan' || scopeOf(h) === 'internet').sort((a, b) => b[1] - a[1]).slice(0, 5).map(([address, events]) => ({ address, events }));
    this.leftOut.lanPeers = this.lanPeers.size;
    let drafted = [...endpoints.values()];
    if (dnsOnly) {
      drafted = this.lookedUp();
      for (const e of drafted) usedNames.add(e.host!);
    }
    const queriedOnly = [...this.queries.keys()].filter((n) => !usedNames.has(n) && this.privacy.allows(n) && checkHostname(n) === null).sort();
    this.leftOut.privateNames = this.privacy.counts();
    const cap = Math.max(10, this.maxEntries - local.size);
    // Folding needs the public-suffix list, which is large to load: only a draft over the cap loads it.
    const { kept, notes } = drafted.length > cap ? (await import('./aggregate.js')).aggregate(drafted, cap) : { kept: drafted, notes: [] };
    if (this.coarseGroups.size > 0) notes.unshift(`After the first ${MAX_ADDRESSES} addresses or ${MAX_GROUPS} address, protocol and port combinations, further ones were counted by /24 and /16 (IPv6: /48 and /32) only, to keep memory bounded.`);
    if (this.uncounted.size > 0) notes.push(`Beyond those, events were only counted: ${[...this.uncounted].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, n]) => `${n} on ${k}`).join(', ')}.`);
    return {
      endpoints: kept,
      local: [...local.values()],
      queriedOnly,
      first: this.period.first,
      last: this.period.last,
      deviceAddresses: [...this.ips].sort(),
      leftOut: this.leftOut,
      dnsOnly,
      aggregation: notes,
      busiestOtherHosts: busiest,
    };
  }
}
