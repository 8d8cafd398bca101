// The shared Policy model every output format renders: which internet destinations and local flows a selection
// of devices may use, which names are wants to block by DNS, and how to refuse the rest.
import { checkHostname, formatPortRange, isFinding, parseAddress, type PortRange } from '../lib/net.js';
import { UserError } from '../lib/errors.js';
import type { Dataset, Device, Endpoint, LocalFlow, NeedFunction, Needs } from '../build/types.js';

export type Profile = 'home-assistant' | 'vendor-app' | 'both';
export const PROFILES: readonly Profile[] = ['home-assistant', 'vendor-app', 'both'];
export const profileFunctions = (p: Profile): NeedFunction[] => (p === 'both' ? ['home-assistant', 'vendor-app'] : [p]);

export type Refuse = 'reject' | 'drop';

export interface DeviceChoice {
  id: string;
  /** LAN addresses (IPv4/IPv6, single addresses or blocks) and MAC addresses of this device. */
  addresses?: string[];
  macs?: string[];
}

export interface Selection {
  devices: DeviceChoice[];
  /** Addresses of Home Assistant (and of any controller the data names). */
  homeAssistant?: string[];
  profile: Profile;
  unknown: 'allow' | 'deny';
  /** Overrides the per-device default (reject where the data says dropping breaks the device, else drop). */
  refuse?: Refuse;
}

/** A transport match: `any` when the data does not know the protocol (then every protocol to that destination). */
export interface Service { protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'any'; ports: PortRange[] }

export interface Destinations {
  hosts: string[];
  /** Wildcards `*.example.com` as their base domain `example.com`. */
  domains: string[];
  v4: string[];
  v6: string[];
  /** The data names no destination for this service (any-destination): any internet address, private networks excepted. */
  any: boolean;
}

export interface AllowRule { service: Service; to: Destinations }

/** Who the device talks to on the LAN: `controller` is Home Assistant (or the controller the data names). */
export type Peer = 'controller' | 'lan' | 'same-manufacturer' | 'multicast' | 'broadcast';

export interface LocalRule {
  /** Who opens the flow. */
  initiator: 'device' | 'peer';
  peer: Peer;
  group?: { address: string; version: 4 | 6 };
  service: Service;
}

export interface DevicePlan {
  id: string;
  /** Short rule-safe tag (`d1`, `d2`, …) for set, chain and list names. */
  tag: string;
  device: Device;
  sources: { v4: string[]; v6: string[]; macs: string[] };
  allow: AllowRule[];
  local: LocalRule[];
  /** Names not required for the selected functions: the DNS blocklist. */
  wants: { hosts: string[]; domains: string[] };
  refuse: Refuse;
  /** Application services (https, ntp, …) of the allowed destinations. */
  services: string[];
  /** Counts for the summary: unknown destinations allowed or refused, wants refused, destinations a format cannot hold. */
  counts: { required: number; setupOnly: number; unknownAllowed: number; unknownDenied: number; wants: number };
}

export interface Policy {
  profile: Profile;
  functions: NeedFunction[];
  unknown: 'allow' | 'deny';
  devices: DevicePlan[];
  controller: { v4: string[]; v6: string[] };
}

/** A selection or data the rules cannot be written for; the CLI prints it as a user error. */
export class PolicyError extends UserError {}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Parses an address a user typed or the data holds into canonical text, refusing anything else. */
export function canonicalAddress(text: string, what: string): { version: 4 | 6; text: string } {
  const parsed = parseAddress(text);
  if (isFinding(parsed)) throw new PolicyError(`${what}: ${parsed.message}${parsed.hint ? ` (${parsed.hint})` : ''}`);
  return { version: parsed.version, text: parsed.canonical };
}

export function canonicalMac(text: string): string {
  const mac = text.toLowerCase().replace(/-/g, ':');
  if (!MAC.test(mac)) throw new PolicyError(`${JSON.stringify(text)} is not a MAC address (write aa:bb:cc:dd:ee:ff)`);
  return mac;
}

/** Refuses any name that is not a strict DNS name: the formats write names verbatim. */
function safeHost(name: string): string {
  const finding = checkHostname(name);
  if (finding) throw new PolicyError(`host ${JSON.stringify(name)} cannot go into a rule: ${finding.message}`);
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

function services(protocol: Endpoint['protocol'], ports: PortRange[]): Service[] {
  const p = safePorts(ports);
  switch (protocol) {
    case 'tcp+udp': return [{ protocol: 'tcp', ports: p }, { protocol: 'udp', ports: p }];
    case 'unknown': return [{ protocol: 'any', ports: [] }];
    case 'icmp': case 'icmpv6': return [{ protocol, ports: [] }];
    default: return [{ protocol, ports: p }];
  }
}

export const serviceKey = (s: Service) => `${s.protocol}:${s.ports.map(formatPortRange).join(',')}`;

type Decision = 'allow' | 'unknown' | 'want';

/** allow: some selected function needs it (also during setup); want: every selected function does without it. */
export function decide(needs: Needs, functions: NeedFunction[]): Decision {
  const verdicts = functions.map((f) => needs[f].verdict);
  if (verdicts.some((v) => v === 'required' || v === 'setup-only')) return 'allow';
  if (verdicts.every((v) => v === 'not-required')) return 'want';
  return 'unknown';
}

const emptyDestinations = (): Destinations => ({ hosts: [], domains: [], v4: [], v6: [], any: false });

function addDestination(to: Destinations, e: Endpoint): void {
  if (e.kind === 'any') {
    // Validation refuses these too; without a protocol and ports an any-destination rule would allow everything.
    if (e.protocol === 'unknown' || (e.protocol !== 'icmp' && e.protocol !== 'icmpv6' && e.ports.length === 0)) {
      throw new PolicyError(`an any-destination endpoint of protocol ${e.protocol} without ports cannot go into a rule: it would allow everything`);
    }
    to.any = true;
  } else if (e.kind === 'host') to.hosts.push(safeHost(e.destination));
  else if (e.kind === 'wildcard') to.domains.push(safeHost(e.destination).slice(2));
  else {
    const a = canonicalAddress(e.destination, 'endpoint address');
    (a.version === 4 ? to.v4 : to.v6).push(a.text);
  }
}

const sortUnique = (xs: string[]) => [...new Set(xs)].sort();

function localRule(flow: LocalFlow): LocalRule[] {
  const deviceSide = flow.from === 'device' ? flow.to : flow.to === 'device' ? flow.from : null;
  if (deviceSide === null || deviceSide === 'device') return [];
  const peer: Peer = deviceSide === 'home-assistant' || deviceSide === 'controller' ? 'controller'
    : deviceSide === 'same-manufacturer' ? 'same-manufacturer'
      : deviceSide === 'multicast' ? 'multicast' : deviceSide === 'broadcast' ? 'broadcast' : 'lan';
  const group = flow.group ? canonicalAddress(flow.group, 'multicast group') : undefined;
  return services(flow.protocol as Endpoint['protocol'], flow.ports).map((service) => ({
    initiator: flow.from === 'device' ? 'device' : 'peer', peer, service,
    ...(group ? { group: { address: group.text, version: group.version } } : {}),
  }));
}

function planDevice(device: Device, choice: DeviceChoice, index: number, sel: Selection, functions: NeedFunction[]): DevicePlan {
  const byService = new Map<string, AllowRule>();
  const wants = emptyDestinations();
  const counts = { required: 0, setupOnly: 0, unknownAllowed: 0, unknownDenied: 0, wants: 0 };
  const appServices: string[] = [];
  for (const e of device.endpoints) {
    const decision = decide(e.needs, functions);
    // A blocklist holds names: a want with no destination has nothing to block (the default refusal covers it).
    if (decision === 'want') { counts.wants++; if (e.kind !== 'any') addDestination(wants, e); continue; }
    if (decision === 'unknown' && sel.unknown === 'deny') { counts.unknownDenied++; continue; }
    if (decision === 'unknown') counts.unknownAllowed++;
    else if (functions.some((f) => e.needs[f].verdict === 'required')) counts.required++;
    else counts.setupOnly++;
    appServices.push(e.service);
    for (const service of services(e.protocol, e.ports)) {
      const key = serviceKey(service);
      const rule = byService.get(key) ?? { service, to: emptyDestinations() };
      addDestination(rule.to, e);
      byService.set(key, rule);
    }
  }
  const allow = [...byService.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => ({
    service: r.service,
    to: { hosts: sortUnique(r.to.hosts), domains: sortUnique(r.to.domains), v4: sortUnique(r.to.v4), v6: sortUnique(r.to.v6), any: r.to.any },
  }));
  const local = device.local
    .filter((f) => { const d = decide(f.needs, functions); return d === 'allow' || (d === 'unknown' && sel.unknown === 'allow'); })
    .flatMap(localRule);
  const sources = { v4: [] as string[], v6: [] as string[], macs: [] as string[] };
  for (const a of choice.addresses ?? []) { const c = canonicalAddress(a, `address of ${device.id}`); (c.version === 4 ? sources.v4 : sources.v6).push(c.text); }
  for (const m of choice.macs ?? []) sources.macs.push(canonicalMac(m));
  return {
    id: device.id,
    tag: `d${index + 1}`,
    device,
    sources: { v4: sortUnique(sources.v4), v6: sortUnique(sources.v6), macs: sortUnique(sources.macs) },
    allow,
    local,
    wants: { hosts: sortUnique(wants.hosts), domains: sortUnique(wants.domains) },
    refuse: sel.refuse ?? (device.derived.refuseWith === 'reject' ? 'reject' : 'drop'),
    services: sortUnique(appServices),
    counts,
  };
}

/** Finds a device by id or former id (alias). */
export function findDevice(dataset: Dataset, id: string): Device | undefined {
  return dataset.devices.find((d) => d.id === id) ?? dataset.devices.find((d) => d.aliases.includes(id));
}

export function plan(dataset: Dataset, sel: Selection): Policy {
  if (sel.devices.length === 0) throw new PolicyError('no device selected');
  const functions = profileFunctions(sel.profile);
  const seen = new Set<string>();
  const devices = sel.devices.map((choice, i) => {
    const device = findDevice(dataset, choice.id);
    if (!device) throw new PolicyError(`no device ${JSON.stringify(choice.id)} in the dataset`);
    if (seen.has(device.id)) throw new PolicyError(`device ${device.id} is selected twice`);
    seen.add(device.id);
    return planDevice(device, choice, i, sel, functions);
  });
  const controller = { v4: [] as string[], v6: [] as string[] };
  for (const a of sel.homeAssistant ?? []) { const c = canonicalAddress(a, 'Home Assistant address'); (c.version === 4 ? controller.v4 : controller.v6).push(c.text); }
  return { profile: sel.profile, functions, unknown: sel.unknown, devices, controller: { v4: sortUnique(controller.v4), v6: sortUnique(controller.v6) } };
}

/** Characters a device id can hold, for comments: the schema already limits ids to these; this makes sure. */
export const safeId = (id: string) => id.replace(/[^a-z0-9/-]/g, '_').slice(0, 129);

/** Private and link-local ranges: where `lan` and `same-manufacturer` peers live. */
export const LAN = {
  v4: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
  v6: ['fc00::/7', 'fe80::/10'],
};

/** One dnsmasq set line: a name (dnsmasq matches it and every name below it) and the sets its addresses go into. */
export interface NameSets { name: string; sets: string[] }

/**
 * Maps each name to the sets its addresses go into. dnsmasq uses only the longest matching domain line, so a host
 * below an allowed wildcard also carries the wildcard's sets.
 */
export function nameSets(entries: { to: Pick<Destinations, 'hosts' | 'domains'>; sets: string[] }[]): NameSets[] {
  const own = new Map<string, Set<string>>();
  const wildcard = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, name: string, sets: string[]) => {
    const s = map.get(name) ?? new Set<string>();
    for (const set of sets) s.add(set);
    map.set(name, s);
  };
  for (const { to, sets } of entries) {
    for (const h of to.hosts) add(own, h, sets);
    for (const d of to.domains) { add(own, d, sets); add(wildcard, d, sets); }
  }
  return [...own.keys()].sort().map((name) => {
    const sets = new Set(own.get(name));
    for (const [base, s] of wildcard) if (name.endsWith(`.${base}`)) for (const x of s) sets.add(x);
    return { name, sets: [...sets].sort() };
  });
}

/** True when the plan needs the controller (Home Assistant) address. */
export const usesController = (p: DevicePlan) => p.local.some((l) => l.peer === 'controller');

/** True when the plan needs the private-network ranges: flows to LAN peers, and any-destination rules, which exclude them. */
export const usesLan = (p: DevicePlan) => p.local.some((l) => l.peer === 'lan' || l.peer === 'same-manufacturer') || p.allow.some((a) => a.to.any);
