// The shared Policy model every output format renders: which internet destinations and local flows a selection
// of devices may use, which names are wants to block by DNS, and how to refuse the rest.
import { checkHostname, formatPortRange, isFinding, parseAddress, type PortRange } from '../lib/net.js';
import { UserError } from '../lib/errors.js';
import { oncePer } from '../lib/memo.js';
import { claimBasis, trusted, verdictClaims, type TrustLevel } from '../lib/verdict-basis.js';
import type { Dataset, Device, Endpoint, Evidence, LocalFlow, NeedFunction, Needs, Verdict, VerdictWord } from '../build/types.js';

export type Profile = 'home-assistant' | 'vendor-app' | 'both';
export const PROFILES: readonly Profile[] = ['home-assistant', 'vendor-app', 'both'];
export const profileFunctions = (p: Profile): NeedFunction[] => (p === 'both' ? ['home-assistant', 'vendor-app'] : [p]);
export const NEED_FUNCTIONS: readonly NeedFunction[] = ['vendor-app', 'home-assistant'];

export type Refuse = 'reject' | 'drop';
export type Mode = 'enforce' | 'log';
export type { TrustLevel };

export interface DeviceChoice {
  id: string;
  /** LAN addresses (IPv4/IPv6, single addresses or blocks) and MAC addresses of this device. */
  addresses?: string[];
  macs?: string[];
}

export interface Selection {
  devices: DeviceChoice[];
  /** Addresses of Home Assistant. */
  homeAssistant?: string[];
  /** Addresses of the controller a MUD profile's my-controller names (never assumed to be Home Assistant). */
  controllers?: string[];
  /** Prefixes of the home network beyond the private ranges, such as the ISP's global IPv6 prefix. */
  lan?: string[];
  profile: Profile;
  unknown: 'allow' | 'deny';
  /** Overrides the per-device default (reject where the data says dropping breaks the device, else drop). */
  refuse?: Refuse;
  /** Which `not-required` verdicts are acted on (default documented). */
  trust?: TrustLevel;
  /** Endpoints that name no destination: refused unless the user opts in (default refuse). */
  anyDestination?: 'allow' | 'refuse';
  /** log: write rules that log what enforce would refuse, and refuse nothing. */
  mode?: Mode;
}

/** A transport match: `any` when the data does not know the protocol (then every protocol to that destination). */
export interface Service {
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'any';
  ports: PortRange[];
  /** Only this IP version, when the data says so for a name, a LAN peer or any destination. */
  version?: 4 | 6;
  /** The ports the opening side sends from, when the data restricts them. */
  sourcePorts?: PortRange[];
  /** The ICMP type (and code) of the opening message, when the data names it. */
  icmp?: { type: number; code?: number };
}

export interface Destinations {
  hosts: string[];
  /** Wildcards `*.example.com` as their base domain `example.com`. */
  domains: string[];
  v4: string[];
  v6: string[];
  /** The data names no destination for this service (any-destination): any internet address, LAN excepted. */
  any: boolean;
}

export interface AllowRule {
  service: Service;
  to: Destinations;
  /** Stable short name of this rule's content: sets named after it keep their meaning across regenerations. */
  key: string;
}

/**
 * Who the device talks to on the LAN. home-assistant: the --home-assistant addresses; controller: the MUD
 * my-controller (the --controller addresses); router: the network's own DNS, NTP, DHCP and gateway, which the
 * router answers itself (no forwarded traffic).
 */
export type Peer = 'home-assistant' | 'controller' | 'router' | 'lan' | 'same-manufacturer' | 'multicast' | 'broadcast';

export interface LocalRule {
  /** Who opens the flow. */
  initiator: 'device' | 'peer';
  peer: Peer;
  group?: { address: string; version: 4 | 6 };
  service: Service;
  /** The application service the data names (dns, ntp, miio, …). */
  name: string;
}

/** A flow the policy refuses although it may matter, with what the data says and its evidence. */
export interface Refusal {
  what: string;
  why: string;
  /** needed: some function needs it; local-unknown: a LAN flow nobody has tested; unknown: an untested destination. */
  kind: 'needed' | 'local-unknown' | 'unknown' | 'any-destination';
  evidence: { id: string; type: string; source: string }[];
}

export interface DevicePlan {
  id: string;
  /** Short rule-safe tag (`d1`, `d2`, … in device-id order) for set, chain and list names. */
  tag: string;
  device: Device;
  sources: { v4: string[]; v6: string[]; macs: string[] };
  /**
   * open: IPv6 traffic follows the policy (IPv6 addresses or a MAC given). closed: the device was given by IPv4 only,
   * so every IPv6 packet from its MAC (learned from its IPv4 traffic) or to its learned IPv6 addresses is refused.
   */
  ipv6: 'open' | 'closed';
  allow: AllowRule[];
  /**
   * The NTP endpoints as the data gives them. `allow` opens NTP to any time server instead; a format that describes
   * the device rather than protecting it (MUD) writes these.
   */
  ntp: { service: Service; to: Destinations }[];
  local: LocalRule[];
  /** Names not required for the selected functions: the DNS blocklist. */
  wants: { hosts: string[]; domains: string[] };
  refuse: Refuse;
  /** Application services (https, ntp, …) of the allowed destinations. */
  services: string[];
  refused: Refusal[];
  counts: { required: number; setupOnly: number; unknownAllowed: number; unknownDenied: number; wants: number };
}

export interface Policy {
  profile: Profile;
  functions: NeedFunction[];
  unknown: 'allow' | 'deny';
  trust: TrustLevel;
  anyDestination: 'allow' | 'refuse';
  mode: Mode;
  devices: DevicePlan[];
  homeAssistant: { v4: string[]; v6: string[] };
  controllers: { v4: string[]; v6: string[] };
  /** The home network: private ranges plus the prefixes the user gave. */
  lan: { v4: string[]; v6: string[] };
}

/** A selection or data the rules cannot be written for; the CLI prints it as a user error. */
export class PolicyError extends UserError {}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Parses an address a user typed or the data holds into canonical text, refusing anything else. */
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

export function canonicalAddress(text: string, what: string): { version: 4 | 6; text: string } {
  // A plain dotted quad without leading zeros is already canonical (ipaddr.js takes ~10 µs for what this does in 0.1).
  if (DOTTED_QUAD.test(text)) return { version: 4, text };
  const parsed = parseAddress(text);
  if (isFinding(parsed)) throw new PolicyError(`${what}: ${parsed.message}${parsed.hint ? ` (${parsed.hint})` : ''}`);
  return { version: parsed.version, text: parsed.canonical };
}

export function canonicalMac(text: string): string {
  const mac = text.toLowerCase().replace(/-/g, ':');
  if (!MAC.test(mac)) throw new PolicyError(`${JSON.stringify(text)} is not a MAC address (write aa:bb:cc:dd:ee:ff)`);
  return mac;
}

/** Names that passed safeHost: the devices of one maker repeat them. */
const safeNames = new Set<string>();

/** Refuses any name that is not a strict DNS name: the formats write names verbatim. */
function safeHost(name: string): string {
  if (safeNames.has(name)) return name;
  const finding = checkHostname(name);
  if (finding) throw new PolicyError(`host ${JSON.stringify(name)} cannot go into a rule: ${finding.message}`);
  if (safeNames.size > 1_000_000) safeNames.clear();
  safeNames.add(name);
  return name;
}

function safePorts(ports: PortRange[]): PortRange[] {
  for (const r of ports) {
    if (!Number.isInteger(r.from) || !Number.isInteger(r.to) || r.from < 1 || r.to > 65535 || r.from > r.to) {
      throw new PolicyError(`port range ${formatPortRange(r)} is outside 1-65535`);
    }
  }
  return [...ports].sort((a, b) => a.from - b.from);
}

type Traffic = Pick<Endpoint, 'protocol' | 'ports' | 'sourcePorts' | 'icmpType' | 'icmpCode'>;

/** The transport matches of a flow; `ipVersion` only when the data gives one for a name, a LAN peer or any destination. */
function services(t: Traffic, ipVersion: 4 | 6 | undefined): Service[] {
  const p = safePorts(t.ports);
  const version = ipVersion ? { version: ipVersion } : {};
  const source = t.sourcePorts?.length ? { sourcePorts: safePorts(t.sourcePorts) } : {};
  switch (t.protocol) {
    case 'tcp+udp': return [{ protocol: 'tcp', ports: p, ...version, ...source }, { protocol: 'udp', ports: p, ...version, ...source }];
    case 'unknown': return [{ protocol: 'any', ports: [], ...version }];
    case 'icmp': case 'icmpv6': return [{ protocol: t.protocol, ports: [], ...(t.icmpType !== undefined ? { icmp: { type: t.icmpType, ...(t.icmpCode !== undefined ? { code: t.icmpCode } : {}) } } : {}) }];
    default: return [{ protocol: t.protocol, ports: p, ...version, ...source }];
  }
}

/** An address carries its own version: only names, LAN peers and any destination take one from the data. */
const endpointVersion = (e: Endpoint) => (e.kind === 'ip' || e.kind === 'cidr' ? undefined : e.ipVersion);

export const serviceKey = (s: Service) => `${s.protocol}:${s.ports.map(formatPortRange).join(',')}`
  + (s.version ? `:v${s.version}` : '')
  + (s.sourcePorts ? `:from${s.sourcePorts.map(formatPortRange).join(',')}` : '')
  + (s.icmp ? `:type${s.icmp.type}${s.icmp.code !== undefined ? `/${s.icmp.code}` : ''}` : '');

/** DNS (53), DNS over TLS or QUIC (853) and DNS over HTTPS (443): an any-destination rule never opens them. */
export const RESOLVER_PORTS: Record<'tcp' | 'udp', number[]> = { tcp: [53, 443, 853], udp: [53, 443, 853] };

/** Port ranges minus some single ports. */
export function withoutPorts(ranges: PortRange[], excluded: number[]): PortRange[] {
  let out = ranges;
  for (const x of excluded) {
    out = out.flatMap((r) => (x < r.from || x > r.to ? [r] : [
      ...(r.from < x ? [{ from: r.from, to: x - 1 }] : []),
      ...(x < r.to ? [{ from: x + 1, to: r.to }] : []),
    ]));
  }
  return out;
}

type Decision = 'allow' | 'unknown' | 'want';

/**
 * The verdict acted on: `not-required` counts only when a claim for it rests on evidence the trust level admits;
 * otherwise the need is treated as unknown.
 */
export function effectiveVerdict(v: Verdict, typeOf: (id: string) => Evidence['type'] | undefined, trust: TrustLevel): VerdictWord {
  if (v.verdict !== 'not-required') return v.verdict;
  const backed = verdictClaims(v).some((c) => c.verdict === 'not-required' && trusted(claimBasis(c.evidence.map(typeOf).filter((t): t is Evidence['type'] => !!t)), trust));
  return backed ? 'not-required' : 'unknown';
}

/** allow: some selected function needs it (also during setup); want: every selected function does without it. */
export function decide(needs: Needs, functions: NeedFunction[], typeOf: (id: string) => Evidence['type'] | undefined = () => 'blocking-test', trust: TrustLevel = 'documented'): Decision {
  const verdicts = functions.map((f) => effectiveVerdict(needs[f], typeOf, trust));
  if (verdicts.some((v) => v === 'required' || v === 'setup-only')) return 'allow';
  if (verdicts.every((v) => v === 'not-required')) return 'want';
  return 'unknown';
}

const emptyDestinations = (): Destinations => ({ hosts: [], domains: [], v4: [], v6: [], any: false });

function addDestination(to: Destinations, e: Endpoint): void {
  if (e.kind === 'any') to.any = true;
  else if (e.kind === 'host') to.hosts.push(safeHost(e.destination));
  else if (e.kind === 'wildcard') to.domains.push(safeHost(e.destination).slice(2));
  else {
    const a = canonicalAddress(e.destination, 'endpoint address');
    (a.version === 4 ? to.v4 : to.v6).push(a.text);
  }
}

/** Validation refuses these too; without a protocol and ports an any-destination rule would allow everything. */
function checkAny(e: Endpoint): void {
  if (e.kind === 'any' && (e.protocol === 'unknown' || (e.protocol !== 'icmp' && e.protocol !== 'icmpv6' && e.ports.length === 0))) {
    throw new PolicyError(`an any-destination endpoint of protocol ${e.protocol} without ports cannot go into a rule: it would allow everything`);
  }
}

const sortUnique = (xs: string[]) => (xs.length < 2 ? xs.slice() : [...new Set(xs)].sort());

/** The router answers DNS, NTP, DHCP and ping itself: a MUD controller flow for these means the router. */
const ROUTER_SERVICES = new Set(['dns', 'ntp', 'dhcp', 'dhcpv6', 'ping', 'icmp']);
const ROUTER_PORTS = new Set([53, 67, 68, 123, 546, 547]);
function isRouterService(flow: LocalFlow): boolean {
  if (ROUTER_SERVICES.has(flow.service)) return true;
  if (flow.protocol === 'icmp' || flow.protocol === 'icmpv6') return true;
  return flow.ports.length > 0 && flow.ports.every((r) => r.from === r.to && ROUTER_PORTS.has(r.from));
}

function peerOf(flow: LocalFlow): Peer | null {
  const side = flow.from === 'device' ? flow.to : flow.to === 'device' ? flow.from : null;
  if (side === null || side === 'device') return null;
  if (side === 'home-assistant') return 'home-assistant';
  if (side === 'controller') return isRouterService(flow) ? 'router' : 'controller';
  if (side === 'same-manufacturer' || side === 'multicast' || side === 'broadcast') return side;
  return 'lan';
}

function localRules(flow: LocalFlow, peer: Peer): LocalRule[] {
  const group = flow.group ? canonicalAddress(flow.group, 'multicast group') : undefined;
  return services(flow, flow.ipVersion).map((service) => ({
    initiator: flow.from === 'device' ? 'device' : 'peer', peer, service, name: flow.service,
    ...(group ? { group: { address: group.text, version: group.version } } : {}),
  }));
}

const describeFlow = (protocol: string, ports: PortRange[]) => `${protocol}${ports.length ? ` ${ports.map(formatPortRange).join(',')}` : ''}`;

/** `serviceText` is serviceKey(service). */
function ruleKey(serviceText: string, to: Destinations): string {
  return shortHash(JSON.stringify([serviceText, to.hosts, to.domains, to.v4, to.v6, to.any]), 8);
}

const hashes = new Map<string, string>();
/**
 * A short stable hex name for a text (set and list names): two 32-bit FNV-1a variants. Not for security; names only
 * need to differ, and a policy holds far fewer of them than 2^32. Names (short texts) are memoized.
 */
export function shortHash(text: string, length = 12): string {
  const memo = length === 12 && text.length <= 253;
  let out = memo ? hashes.get(text) : undefined;
  if (out !== undefined) return out;
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  out = ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, length);
  if (memo) {
    if (hashes.size > 1_000_000) hashes.clear();
    hashes.set(text, out);
  }
  return out;
}

const claimIds = (needs: Needs, own: string[]) => [...own, ...NEED_FUNCTIONS.flatMap((f) => verdictClaims(needs[f]).flatMap((c) => c.evidence))];
const neededBy = (needs: Needs) => NEED_FUNCTIONS.filter((f) => needs[f].verdict === 'required' || needs[f].verdict === 'setup-only');
const describeEndpoint = (e: Endpoint) => `${e.kind === 'any' ? 'any internet address' : e.destination} ${describeFlow(e.protocol, e.ports)} (${e.service})`;

/** The destinations of the rule for a service, made on first use: one rule per service. */
function ruleFor(byService: Map<string, { service: Service; to: Destinations }>, service: Service): Destinations {
  const key = serviceKey(service);
  let rule = byService.get(key);
  if (!rule) { rule = { service, to: emptyDestinations() }; byService.set(key, rule); }
  return rule.to;
}

function planDevice(device: Device, choice: DeviceChoice, tag: string, sel: Selection, functions: NeedFunction[]): DevicePlan {
  const trust = sel.trust ?? 'documented';
  const evidence = new Map((device.evidence ?? []).map((e) => [e.id, e]));
  const typeOf = (id: string) => evidence.get(id)?.type;
  const cite = (ids: string[]) => sortUnique(ids).map((id) => ({ id, type: evidence.get(id)?.type ?? 'unknown', source: evidence.get(id)?.source ?? '' }));

  const byService = new Map<string, { service: Service; to: Destinations }>();
  const wants = emptyDestinations();
  const counts = { required: 0, setupOnly: 0, unknownAllowed: 0, unknownDenied: 0, wants: 0 };
  const refused: Refusal[] = [];
  const appServices: string[] = [];
  let ntp = false;
  const ntpAsGiven: DevicePlan['ntp'] = [];
  for (const e of device.endpoints) {
    checkAny(e);
    const decision = decide(e.needs, functions, typeOf, trust);
    const isNtp = e.service === 'ntp' || (e.protocol === 'udp' && e.ports.some((r) => r.from <= 123 && r.to >= 123));
    // A blocklist holds names: a want with no destination has nothing to block (the default refusal covers it).
    if (decision === 'want') { counts.wants++; if (e.kind !== 'any') addDestination(wants, e); continue; }
    if (isNtp) {
      // Devices that lose the time fail TLS and stall: NTP is allowed to any time server unless trusted as not required.
      ntp = true;
      for (const service of services(e, endpointVersion(e))) {
        const to = emptyDestinations();
        addDestination(to, e);
        ntpAsGiven.push({ service, to });
      }
      if (decision === 'allow') counts.required++; else counts.unknownAllowed++;
      appServices.push('ntp');
      continue;
    }
    const refusal = decision === 'unknown' && sel.unknown === 'deny' ? { kind: 'unknown' as const, why: 'nobody has tested whether it is needed (--unknown deny)' }
      : e.kind === 'any' && (sel.anyDestination ?? 'refuse') === 'refuse' ? { kind: 'any-destination' as const, why: 'the data names no destination, only ports; --any-destination allow opens them (never DNS, DoT or DoH)' }
        : null;
    if (refusal) {
      counts.unknownDenied++;
      const needed = neededBy(e.needs);
      refused.push({ what: describeEndpoint(e), why: needed.length ? `${refusal.why}; the data says ${needed.join(' and ')} needs it` : refusal.why, kind: needed.length ? 'needed' : refusal.kind, evidence: cite(claimIds(e.needs, e.evidence)) });
      continue;
    }
    if (decision === 'unknown') counts.unknownAllowed++;
    else if (functions.some((f) => e.needs[f].verdict === 'required')) counts.required++;
    else counts.setupOnly++;
    appServices.push(e.service);
    for (const service of services(e, endpointVersion(e))) {
      if (e.kind === 'any' && (service.protocol === 'tcp' || service.protocol === 'udp')) {
        const ports = withoutPorts(service.ports, RESOLVER_PORTS[service.protocol]);
        if (ports.length < service.ports.length || ports.some((p, i) => p.from !== service.ports[i]?.from || p.to !== service.ports[i]?.to)) {
          refused.push({ what: `any internet address ${service.protocol} ${RESOLVER_PORTS[service.protocol].join(',')}`, why: 'DNS, DoT and DoH go through the router\'s resolver only', kind: 'any-destination', evidence: cite(e.evidence) });
        }
        if (ports.length === 0) continue;
        ruleFor(byService, { ...service, ports }).any = true;
      } else {
        addDestination(ruleFor(byService, service), e);
      }
    }
  }
  if (ntp) ruleFor(byService, { protocol: 'udp', ports: [{ from: 123, to: 123 }] }).any = true;
  const allow = [...byService.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, r]) => {
    const to = { hosts: sortUnique(r.to.hosts), domains: sortUnique(r.to.domains), v4: sortUnique(r.to.v4), v6: sortUnique(r.to.v6), any: r.to.any };
    return { service: r.service, to, key: ruleKey(key, to) };
  });

  const local: LocalRule[] = [];
  for (const flow of device.local) {
    const peer = peerOf(flow);
    if (!peer) continue;
    const decision = decide(flow.needs, functions, typeOf, trust);
    // Multicast and broadcast stay on the link: the router neither forwards nor refuses them.
    if (peer === 'multicast' || peer === 'broadcast') { if (decision !== 'want') local.push(...localRules(flow, peer)); continue; }
    // Home Assistant's own flows and the router's services are kept unless trusted evidence says nobody needs them.
    const keep = decision === 'allow' || (decision === 'unknown' && (sel.unknown === 'allow' || peer === 'home-assistant' || peer === 'router'));
    if (keep) { local.push(...localRules(flow, peer)); continue; }
    // Home Assistant is a LAN host: an untested flow from the LAN to the device stays open to Home Assistant alone.
    if (decision === 'unknown' && peer === 'lan' && flow.to === 'device' && functions.includes('home-assistant')) {
      local.push(...localRules(flow, 'home-assistant'));
      continue;
    }
    const needed = neededBy(flow.needs);
    const what = `${flow.from} → ${flow.to} ${describeFlow(flow.protocol, flow.ports)} (${flow.service})`;
    if (needed.length) refused.push({ what, why: `the data says ${needed.join(' and ')} needs it, which you did not keep (--for)`, kind: 'needed', evidence: cite(claimIds(flow.needs, flow.evidence)) });
    else if (decision === 'unknown') refused.push({ what, why: 'a local flow nobody has tested (--unknown deny)', kind: 'local-unknown', evidence: cite(claimIds(flow.needs, flow.evidence)) });
  }
  // Endpoints refused as wants of the selected functions but needed by a function not kept.
  for (const e of device.endpoints) {
    if (decide(e.needs, functions, typeOf, trust) !== 'want') continue;
    const needed = neededBy(e.needs);
    if (needed.length) refused.push({ what: describeEndpoint(e), why: `the data says ${needed.join(' and ')} needs it, which you did not keep (--for)`, kind: 'needed', evidence: cite(claimIds(e.needs, e.evidence)) });
  }

  const sources = { v4: [] as string[], v6: [] as string[], macs: [] as string[] };
  for (const a of choice.addresses ?? []) { const c = canonicalAddress(a, `address of ${device.id}`); (c.version === 4 ? sources.v4 : sources.v6).push(c.text); }
  for (const m of choice.macs ?? []) sources.macs.push(canonicalMac(m));
  return {
    id: device.id,
    tag,
    device,
    sources: { v4: sortUnique(sources.v4), v6: sortUnique(sources.v6), macs: sortUnique(sources.macs) },
    ipv6: sources.v6.length || sources.macs.length ? 'open' : 'closed',
    allow,
    ntp: ntpAsGiven,
    local,
    wants: { hosts: sortUnique(wants.hosts), domains: sortUnique(wants.domains) },
    refuse: sel.refuse ?? (device.derived.refuseWith === 'reject' ? 'reject' : 'drop'),
    services: sortUnique(appServices),
    refused,
    counts,
  };
}

/** Devices by id and by former id (alias), built once per dataset. */
const deviceIndex = oncePer((dataset: Dataset): Map<string, Device> => {
  const index = new Map<string, Device>();
  for (const d of dataset.devices) for (const alias of d.aliases ?? []) if (!index.has(alias)) index.set(alias, d);
  for (const d of dataset.devices) index.set(d.id, d);
  return index;
});

/** Finds a device by id or former id (alias). */
export function findDevice(dataset: Dataset, id: string): Device | undefined {
  return deviceIndex(dataset).get(id);
}

function addresses(list: string[] | undefined, what: string): { v4: string[]; v6: string[] } {
  const out = { v4: [] as string[], v6: [] as string[] };
  for (const a of list ?? []) { const c = canonicalAddress(a, what); (c.version === 4 ? out.v4 : out.v6).push(c.text); }
  return { v4: sortUnique(out.v4), v6: sortUnique(out.v6) };
}

export function plan(dataset: Dataset, sel: Selection): Policy {
  if (sel.devices.length === 0) throw new PolicyError('no device selected');
  const functions = profileFunctions(sel.profile);
  const chosen = new Map<string, { device: Device; choice: DeviceChoice }>();
  for (const choice of sel.devices) {
    const device = findDevice(dataset, choice.id);
    if (!device) throw new PolicyError(`no device ${JSON.stringify(choice.id)} in the dataset`);
    if (chosen.has(device.id)) throw new PolicyError(`device ${device.id} is selected twice`);
    chosen.set(device.id, { device, choice });
  }
  // Tags follow the device ids, not the command line: the same devices give the same policy in any order.
  const ids = [...chosen.keys()].sort();
  const devices = ids.map((id, i) => { const { device, choice } = chosen.get(id)!; return planDevice(device, choice, `d${i + 1}`, sel, functions); });
  const extra = addresses(sel.lan, 'LAN prefix');
  return {
    profile: sel.profile,
    functions,
    unknown: sel.unknown,
    trust: sel.trust ?? 'documented',
    anyDestination: sel.anyDestination ?? 'refuse',
    mode: sel.mode ?? 'enforce',
    devices,
    homeAssistant: addresses(sel.homeAssistant, 'Home Assistant address'),
    controllers: addresses(sel.controllers, 'controller address'),
    lan: { v4: sortUnique([...LAN.v4, ...extra.v4]), v6: sortUnique([...LAN.v6, ...extra.v6]) },
  };
}

/** Characters a device id can hold, for comments: the schema already limits ids to these; this makes sure. */
export const safeId = (id: string) => id.replace(/[^a-z0-9/-]/g, '_').slice(0, 129);

/** Private and link-local ranges: the home network unless the user adds its prefixes with --lan. */
export const LAN = {
  v4: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
  v6: ['fc00::/7', 'fe80::/10'],
};

/**
 * An allowed name and the allowed names whose sets its addresses go into: itself, then the allowed wildcard domains
 * above it (dnsmasq uses only the longest matching domain line, so a host below an allowed wildcard also carries the
 * wildcard's sets).
 */
export interface AllowedName { name: string; carriers: string[] }

/**
 * Every name the policy allows, sorted, with its carriers: what each dnsmasq set line lists. Once per policy, shared
 * by the nftables, OpenWrt and iptables formats. Linear in the names and their labels.
 */
export const allowedNames = oncePer((policy: Policy): AllowedName[] => {
  const names = new Set<string>();
  const domains = new Set<string>();
  for (const d of policy.devices) {
    for (const a of d.allow) {
      for (const h of a.to.hosts) names.add(h);
      for (const w of a.to.domains) { names.add(w); domains.add(w); }
    }
  }
  return [...names].sort().map((name) => ({ name, carriers: domains.size ? [name, ...parents(name).filter((p) => domains.has(p))] : [name] }));
});

/** The names above a name: a.b.example.com → b.example.com, example.com, com. */
export function parents(name: string): string[] {
  const out: string[] = [];
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) out.push(name.slice(i + 1));
  return out;
}

/** True when the plan needs Home Assistant's address. */
export const usesHomeAssistant = (p: DevicePlan) => p.local.some((l) => l.peer === 'home-assistant');
/** True when the plan needs the MUD controller's address. */
export const usesController = (p: DevicePlan) => p.local.some((l) => l.peer === 'controller');

/** True when the plan needs the LAN ranges: flows to LAN peers, and any-destination rules, which exclude them. */
export const usesLan = (p: DevicePlan) => p.local.some((l) => l.peer === 'lan' || l.peer === 'same-manufacturer') || p.allow.some((a) => a.to.any);
