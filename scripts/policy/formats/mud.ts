// RFC 8520 Manufacturer Usage Description: one file per device allowing exactly the policy's destinations, as
// ietf-acldns names, networks, and the MUD classes (my-controller, local-networks, dns/ntp); never more than
// the data says, so flows MUD cannot name as narrowly (same-manufacturer, wildcards) are left out, NTP goes to
// the time servers the data names (not to any), and DNS and NTP to the network's own servers only where the
// data has that flow. A MUD profile imported and exported again is equal or narrower (scripts/import/mud).
import { ICMP_REPLY, type PortRange } from '../../lib/net.js';
import { SITE_URL } from '../../lib/project.js';
import type { Destinations, DevicePlan, LocalRule, Policy, Profile, Service } from '../plan.js';
import type { Format } from './format.js';

type Version = 4 | 6;
type Dir = 'fr' | 'to';
type Peer =
  | { dnsname: string }
  | { network: string }
  | { mud: 'my-controller' | 'local-networks' | 'same-manufacturer' }
  | { controller: string }
  /** The data names no destination: an ACE with transport matches only. */
  | { any: true };

/** oneWay: multicast, which has no reply direction to allow. */
interface AceSpec { peer: Peer; service: Service; initiated: 'from-device' | 'to-device'; oneWay?: boolean }

const PROTOCOL = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 } as const;
/** Every ACE's action: one object, written once per ACE. */
const ACCEPT = Object.freeze({ forwarding: 'accept' });

/** Where a device's published MUD file lives; the file names the same URL as its mud-url. */
export function mudPath(id: string, profile: Profile): string {
  return profile === 'both' ? `mud/${id}.json` : `mud/${id}/${profile}.json`;
}

const hasVersion = (s: Service, v: Version): boolean => (s.protocol === 'icmp' ? v === 4 : s.protocol === 'icmpv6' ? v === 6 : !s.version || s.version === v);

function port(r: PortRange): Record<string, unknown> {
  return r.from === r.to ? { operator: 'eq', port: r.from } : { 'lower-port': r.from, 'upper-port': r.to };
}

/** An ICMP flow of one named type that is not a query has no reply direction to allow. */
const oneWayIcmp = (s: Service) => (s.protocol === 'icmp' || s.protocol === 'icmpv6') && s.icmp !== undefined && ICMP_REPLY[s.protocol][s.icmp.type] === undefined;

/**
 * The peer's part of an ACE's matches, a new object for each ACE. Built by assignment, not spread, and outside
 * aces(): a policy of 10,000 devices makes hundreds of thousands of these.
 */
function peerMatches(mud: Record<string, unknown> | undefined, ip: Record<string, unknown> | undefined, v: Version): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  if (mud) m['ietf-mud:mud'] = mud;
  if (ip) m[`ipv${v}`] = ip;
  return m;
}

/** The ACEs one flow needs in one ACL: one per port range, since an ACE matches a single range. */
function aces(spec: AceSpec, v: Version, dir: Dir): Record<string, unknown>[] {
  const { peer, service } = spec;
  const ip: Record<string, unknown> = {};
  let mud: Record<string, unknown> | undefined;
  const towards = dir === 'fr' ? 'destination' : 'source';
  if ('dnsname' in peer) ip[`ietf-acldns:${dir === 'fr' ? 'dst' : 'src'}-dnsname`] = peer.dnsname;
  else if ('network' in peer) ip[`${towards}-ipv${v}-network`] = peer.network;
  else if ('mud' in peer) mud = { [peer.mud]: [null] };
  else if ('controller' in peer) mud = { controller: peer.controller };
  if (service.protocol !== 'any') ip.protocol = PROTOCOL[service.protocol];
  const ipMatch = Object.keys(ip).length > 0 ? ip : undefined;
  // This ACL's direction is the opening one: the device opens and this is from-device, or the peer opens and this is to-device.
  const opening = (spec.initiated === 'from-device') === (dir === 'fr');
  if (service.protocol === 'icmp' || service.protocol === 'icmpv6') {
    const m = peerMatches(mud, ipMatch, v);
    if (service.icmp) {
      const icmp: Record<string, unknown> = { type: opening ? service.icmp.type : ICMP_REPLY[service.protocol][service.icmp.type]! };
      if (service.icmp.code !== undefined) icmp.code = service.icmp.code;
      m.icmp = icmp;
    }
    return [m];
  }
  if (service.protocol !== 'tcp' && service.protocol !== 'udp') return [peerMatches(mud, ipMatch, v)];
  // The port is the responder's: the peer's when the device opens the flow, the device's when the peer does; the
  // opener's own ports, when the data restricts them, sit on the other side.
  const [portSide, openerSide] = opening ? ['destination-port', 'source-port'] : ['source-port', 'destination-port'];
  const openerPorts: (PortRange | undefined)[] = service.sourcePorts ?? [undefined];
  const out: Record<string, unknown>[] = [];
  for (const r of service.ports) {
    for (const o of openerPorts) {
      const transport: Record<string, unknown> = {};
      if (service.protocol === 'tcp') transport['ietf-mud:direction-initiated'] = spec.initiated;
      if (o) transport[openerSide] = port(o);
      transport[portSide] = port(r);
      const m = peerMatches(mud, ipMatch, v);
      m[service.protocol] = transport;
      out.push(m);
    }
  }
  return out;
}

/** The MUD peer of a destination list: one per name and network; `any` for the data's any destination. */
function peersOf(to: Destinations): Peer[] {
  return [
    ...to.hosts.map((h) => ({ dnsname: h })),
    ...to.v4.map((n) => ({ network: n.includes('/') ? n : `${n}/32` })),
    ...to.v6.map((n) => ({ network: n.includes('/') ? n : `${n}/128` })),
    ...(to.any ? [{ any: true } as const] : []),
  ];
}

function specs(policy: Policy, d: DevicePlan): AceSpec[] {
  const out: AceSpec[] = [];
  const fromDevice = (peer: Peer, service: Service) => out.push({ peer, service, initiated: 'from-device', ...(oneWayIcmp(service) ? { oneWay: true } : {}) });
  const ntpToAny = (s: Service) => s.protocol === 'udp' && !s.version && !s.sourcePorts && s.ports.length === 1 && s.ports[0]!.from === 123 && s.ports[0]!.to === 123;
  for (const a of d.allow) {
    // The policy's NTP to any time server protects the device's clock; the file describes the device, so it names
    // the time servers the data gives instead (below).
    for (const peer of peersOf(a.to)) if (!('any' in peer && ntpToAny(a.service))) fromDevice(peer, a.service);
  }
  // NTP as the data gives it; NTP to any address is narrowed to the network's own time server.
  for (const n of d.ntp) for (const peer of peersOf(n.to)) fromDevice('any' in peer ? { controller: 'urn:ietf:params:mud:ntp' } : peer, n.service);
  for (const l of d.local) {
    const peer = localPeer(l);
    if (peer) out.push({ peer, service: l.service, initiated: l.initiator === 'device' ? 'from-device' : 'to-device', ...(l.peer === 'multicast' || oneWayIcmp(l.service) ? { oneWay: true } : {}) });
  }
  return out;
}

/** The controller class a flow's service names: the network's DNS or NTP server keeps its MUD URN, anything else is my-controller. */
function controllerPeer(service: Service): Peer {
  const only = (port: number) => service.ports.length > 0 && service.ports.every((r) => r.from === port && r.to === port);
  if ((service.protocol === 'udp' || service.protocol === 'tcp') && only(53)) return { controller: 'urn:ietf:params:mud:dns' };
  if (service.protocol === 'udp' && only(123)) return { controller: 'urn:ietf:params:mud:ntp' };
  return { mud: 'my-controller' };
}

function localPeer(l: LocalRule): Peer | null {
  // The router's own services keep their MUD meaning: the network's DNS and NTP servers, never Home Assistant.
  if (l.peer === 'router') return l.name === 'dns' ? { controller: 'urn:ietf:params:mud:dns' } : l.name === 'ntp' ? { controller: 'urn:ietf:params:mud:ntp' } : null;
  if (l.peer === 'home-assistant') return { mud: 'my-controller' };
  if (l.peer === 'controller') return controllerPeer(l.service);
  // same-manufacturer matches devices whose MUD URL shares this file's authority, which is this project's site for
  // every device it describes: written so, it would allow every such device, not the maker's. Left out.
  if (l.peer === 'same-manufacturer') return null;
  if (l.peer === 'broadcast') return { network: '255.255.255.255/32' };
  if (l.peer === 'multicast') return l.group ? { network: l.group.address.includes('/') ? l.group.address : `${l.group.address}/${l.group.version === 4 ? 32 : 128}` } : null;
  return { mud: 'local-networks' };
}

const peerVersion = (p: Peer): Version | null => ('network' in p ? (p.network.includes(':') ? 6 : 4) : null);

/** The newest date any evidence of the device carries, as a MUD last-update: stable from build to build. */
function lastUpdate(d: DevicePlan): string {
  const dates = d.device.evidence.flatMap((e) => [e.date, e.accessed]).filter((x): x is string => !!x).sort();
  const newest = dates[dates.length - 1] ?? '1970';
  const [y, m = '01', day = '01'] = newest.split('-');
  return `${y}-${m}-${day}T00:00:00+00:00`;
}

export function mudFile(policy: Policy, d: DevicePlan): Record<string, unknown> {
  const acls: Record<string, unknown>[] = [];
  const names: Record<Dir, string[]> = { fr: [], to: [] };
  const all = specs(policy, d);
  for (const v of [4, 6] as const) {
    for (const dir of ['fr', 'to'] as const) {
      const list: Record<string, unknown>[] = [];
      for (const spec of all) {
        if (!hasVersion(spec.service, v)) continue;
        const pv = peerVersion(spec.peer);
        if (pv !== null && pv !== v) continue;
        // One-way traffic has no reply: only the opener's direction is allowed.
        if (spec.oneWay && (dir === 'fr') !== (spec.initiated === 'from-device')) continue;
        for (const matches of aces(spec, v, dir)) list.push({ name: `ace${list.length}-${dir}dev`, matches, actions: ACCEPT });
      }
      const name = `netneeds-v${v}${dir}`;
      names[dir].push(name);
      acls.push({ name, type: v === 4 ? 'ipv4-acl-type' : 'ipv6-acl-type', aces: { ace: list } });
    }
  }
  const refs = (dir: Dir) => ({ 'access-lists': { 'access-list': names[dir].map((name) => ({ name })) } });
  return {
    'ietf-mud:mud': {
      'mud-version': 1,
      'mud-url': `${SITE_URL}/${mudPath(d.id, policy.profile)}`,
      'last-update': lastUpdate(d),
      'cache-validity': 48,
      // Mandatory in RFC 8520; NetNeeds does not track whether the maker still supports a device.
      'is-supported': true,
      systeminfo: d.device.name,
      ...(d.device.models[0] ? { 'model-name': d.device.models[0] } : {}),
      'from-device-policy': refs('fr'),
      'to-device-policy': refs('to'),
    },
    'ietf-access-control-list:acls': { acl: acls },
  };
}

export const mudFormat: Format = {
  name: 'mud',
  summary: 'RFC 8520 MUD files, one per device, allowing exactly the selected destinations (wildcards cannot be expressed; ports the data gives no destination for are allowed to any address; DNS and NTP to the network\'s servers only where the data has those flows)',
  render(policy) {
    return policy.devices.map((d) => ({
      name: policy.devices.length === 1 ? 'mud.json' : `${d.id.replace('/', '.')}.mud.json`,
      // Indented for a reader of one device's file; a policy of many devices is for machines, and indenting doubles its size.
      content: JSON.stringify(mudFile(policy, d), null, policy.devices.length > 20 ? undefined : 2) + '\n',
    }));
  },
};
