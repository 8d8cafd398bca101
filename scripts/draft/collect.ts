// Attribution and aggregation: which flows are the device's, who opened them, and what each destination
// is called according to the inputs themselves. Memory grows with the device's distinct destinations,
// not with the size of the inputs.
import { checkHostname } from '../lib/net.js';
import type { DraftEvent, Flow, FlowProtocol, Sink } from './events.js';
import { isServicePort, purposeOf, scopeOf, serviceSlug } from './classify.js';
import { ConversationTable } from './conversations.js';

export interface Observed { count: number; first: number; last: number }

export interface DraftEndpoint extends Observed {
  host?: string;
  address?: string;
  protocol: FlowProtocol;
  port?: number;
  service: string;
  purpose: string;
  nameSource?: 'sni' | 'dns';
  /** Several DNS answers named this address: the flow alone cannot tell which name the device used. */
  ambiguousNames?: string[];
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
}

interface Group extends Observed { remote: string; protocol: FlowProtocol; port?: number; outbound: boolean; sni?: string }

const MAX_CONVERSATIONS = 200_000;
const EPHEMERAL = 32768;
const MAX_COUNTED_HOSTS = 100_000;

function observe(o: Observed, time: number, count = 1): void {
  o.count += count;
  if (!Number.isNaN(time)) {
    if (Number.isNaN(o.first) || time < o.first) o.first = time;
    if (Number.isNaN(o.last) || time > o.last) o.last = time;
  }
}
const fresh = (): Observed => ({ count: 0, first: NaN, last: NaN });

const FIRST = 0;
const SECOND = 1;
const PROTOCOL_CODE: Record<FlowProtocol, number> = { tcp: 0, udp: 1, icmp: 2, icmpv6: 3 };

/** Remote, protocol, port and direction as four char codes; a server name, when there is one, follows them. */
function groupKey(remoteId: number, protocol: FlowProtocol, port: number | undefined, outbound: boolean): string {
  return String.fromCharCode(remoteId & 0xffff, remoteId >>> 16, PROTOCOL_CODE[protocol] * 4 + (outbound ? 2 : 0) + (port === undefined ? 1 : 0), port ?? 0);
}

export class Collector implements Sink {
  readonly ips: Set<string>;
  readonly macs: Set<string>;
  private readonly groups = new Map<string, Group>();
  private readonly names = new Map<string, Map<string, number>>();
  private readonly queries = new Map<string, Observed>();
  /** For packets of unknown role: which end opened each conversation. */
  private readonly conversations = new ConversationTable(MAX_CONVERSATIONS);
  private readonly addressIds = new Map<string, number>();
  private readonly otherHosts = new Set<string>();
  private readonly lanPeers = new Set<string>();
  private readonly period = fresh();
  private readonly leftOut: LeftOut = { otherFlows: 0, otherHosts: 0, lanPeers: 0, inboundInternet: 0, excluded: 0, specialUse: {}, invalidNames: 0, otherClientAnswers: 0 };

  constructor(device: { ips: Iterable<string>; macs: Iterable<string> }, private readonly exclude: ReadonlySet<string> = new Set(), private readonly learnOnly = false) {
    this.ips = new Set(device.ips);
    this.macs = new Set(device.macs);
  }

  private isDevice(ip: string, mac: string | undefined): boolean {
    return this.ips.has(ip) || (mac !== undefined && this.macs.has(mac));
  }

  private learn(ip: string, mac: string | undefined): void {
    if (mac !== undefined && this.macs.has(mac) && !this.ips.has(ip) && scopeOf(ip) !== 'multicast' && ip !== '0.0.0.0' && ip !== '::') this.ips.add(ip);
  }

  emit(e: DraftEvent): void {
    switch (e.kind) {
      case 'lease':
        if (this.macs.has(e.mac)) this.ips.add(e.ip);
        return;
      case 'flow':
        this.learn(e.src, e.srcMac);
        if (!this.learnOnly) this.flow(e);
        return;
      case 'dns': {
        if (this.learnOnly) return;
        if (!(e.client !== undefined && this.isDevice(e.client, e.clientMac))) { this.leftOut.otherClientAnswers++; return; }
        const name = e.name.endsWith('.') ? e.name.slice(0, -1) : e.name;
        if (checkHostname(name) !== null) { this.leftOut.invalidNames++; return; }
        const byName = this.names.get(e.address) ?? new Map<string, number>();
        byName.set(name, (byName.get(name) ?? 0) + 1);
        this.names.set(e.address, byName);
        return;
      }
      case 'query': {
        if (this.learnOnly || !this.ips.has(e.client)) return;
        const q = this.queries.get(e.name) ?? fresh();
        observe(q, e.time);
        this.queries.set(e.name, q);
        observe(this.period, e.time, 0);
        return;
      }
    }
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

  private initiatorIsSrc(f: Flow): boolean {
    if (f.role === 'initiator' || f.sport === undefined || f.dport === undefined) return true;
    const src = this.idOf(f.src);
    const dst = this.idOf(f.dst);
    // The table names the two ends in a fixed order, whichever sent this packet, and stores which end opened.
    const srcFirst = src < dst || (src === dst && f.sport <= f.dport);
    const protocol = PROTOCOL_CODE[f.protocol];
    const known = srcFirst ? this.conversations.lookup(src, f.sport, dst, f.dport, protocol) : this.conversations.lookup(dst, f.dport, src, f.sport, protocol);
    const srcOpener = srcFirst ? FIRST : SECOND;
    const dstOpener = srcFirst ? SECOND : FIRST;
    let opener = known;
    if (f.role === 'syn') opener = srcOpener;
    else if (f.role === 'synack') opener = dstOpener;
    else if (opener < 0) {
      // Mid-conversation first sight: the side on a server port is the one that was called.
      // Without one, a port in the ephemeral range (32768 and up) is the caller's.
      const srcServes = isServicePort(f.protocol, f.sport);
      const dstServes = isServicePort(f.protocol, f.dport);
      opener = (srcServes && !dstServes) || (!srcServes && !dstServes && f.sport < EPHEMERAL && f.dport >= EPHEMERAL) ? dstOpener : srcOpener;
    }
    if (opener !== known) this.conversations.store(opener);
    // Both ends the same address and port: whoever opened, it was src.
    return opener === srcOpener || (src === dst && f.sport === f.dport);
  }

  private flow(f: Flow): void {
    const srcIs = this.isDevice(f.src, f.srcMac);
    const dstIs = this.isDevice(f.dst, f.dstMac);
    if (!srcIs && !dstIs) {
      this.leftOut.otherFlows += f.count ?? 1;
      if (this.otherHosts.size < MAX_COUNTED_HOSTS) { this.otherHosts.add(f.src); this.otherHosts.add(f.dst); }
      return;
    }
    if (srcIs && dstIs) return;
    const fromSrc = this.initiatorIsSrc(f);
    const outbound = fromSrc === srcIs;
    const remote = srcIs ? f.dst : f.src;
    const port = f.protocol === 'tcp' || f.protocol === 'udp' ? (fromSrc ? f.dport : f.sport) : undefined;
    const key = groupKey(this.idOf(remote), f.protocol, port, outbound) + (f.sni ?? '');
    let g = this.groups.get(key);
    if (!g) {
      g = { ...fresh(), remote, protocol: f.protocol, outbound, ...(port !== undefined ? { port } : {}), ...(f.sni ? { sni: f.sni } : {}) };
      this.groups.set(key, g);
    }
    observe(g, f.time, f.count ?? 1);
    observe(this.period, f.time, 0);
  }

  /** Names for a group: its own SNI, the only SNI its conversation siblings saw, or the only DNS name of the address. */
  private nameOf(g: Group, sniByRemote: Map<string, Set<string>>): { host?: string; source?: 'sni' | 'dns'; ambiguous?: string[] } {
    const sni = g.sni ?? (() => {
      const seen = sniByRemote.get(`${g.remote}|${g.protocol}|${g.port ?? ''}|${g.outbound}`);
      return seen && seen.size === 1 ? [...seen][0] : undefined;
    })();
    if (sni) {
      if (checkHostname(sni) === null) return { host: sni, source: 'sni' };
      this.leftOut.invalidNames++;
    }
    const names = [...(this.names.get(g.remote)?.keys() ?? [])].sort();
    if (names.length === 1) return { host: names[0]!, source: 'dns' };
    return names.length > 1 ? { ambiguous: names } : {};
  }

  result(): DraftData {
    const sniByRemote = new Map<string, Set<string>>();
    for (const g of this.groups.values()) {
      if (!g.sni) continue;
      const k = `${g.remote}|${g.protocol}|${g.port ?? ''}|${g.outbound}`;
      (sniByRemote.get(k) ?? sniByRemote.set(k, new Set()).get(k)!).add(g.sni);
    }
    const endpoints = new Map<string, DraftEndpoint>();
    const local = new Map<string, DraftLocal>();
    const usedNames = new Set<string>();
    for (const g of this.groups.values()) {
      if (this.exclude.has(g.remote)) { this.leftOut.excluded += g.count; continue; }
      const scope = scopeOf(g.remote);
      const service = serviceSlug(g.protocol, g.port);
      const purpose = purposeOf(service);
      if (typeof scope === 'object') { this.leftOut.specialUse[scope.special] = (this.leftOut.specialUse[scope.special] ?? 0) + g.count; continue; }
      if (scope === 'internet') {
        if (!g.outbound) { this.leftOut.inboundInternet += g.count; continue; }
        const name = this.nameOf(g, sniByRemote);
        const dest = name.host ?? g.remote;
        const key = `${dest}|${g.protocol}|${g.port ?? ''}`;
        const e = endpoints.get(key) ?? { ...fresh(), ...(name.host ? { host: name.host, nameSource: name.source } : { address: g.remote }), protocol: g.protocol, ...(g.port !== undefined ? { port: g.port } : {}), service, purpose, ...(name.ambiguous ? { ambiguousNames: name.ambiguous } : {}) };
        observe(e, g.first, g.count);
        observe(e, g.last, 0);
        if (name.host) usedNames.add(name.host);
        endpoints.set(key, e);
        continue;
      }
      if (scope === 'lan') this.lanPeers.add(g.remote);
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
    this.leftOut.lanPeers = this.lanPeers.size;
    const queriedOnly = [...this.queries.keys()].filter((n) => !usedNames.has(n) && checkHostname(n) === null).sort();
    return {
      endpoints: [...endpoints.values()],
      local: [...local.values()],
      queriedOnly,
      first: this.period.first,
      last: this.period.last,
      deviceAddresses: [...this.ips].sort(),
      leftOut: this.leftOut,
    };
  }
}
