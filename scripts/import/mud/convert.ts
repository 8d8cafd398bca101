// MUD profile → the parts of a device file: internet endpoints, local flows, one evidence item. Every
// entry of the profile ends up in exactly one of: an endpoint or flow, a collapsed reply, or the skipped list.
import { formatPortRange, type PortRange } from '../../lib/net.js';
import type { PortItem, Protocol, SourceEndpoint, SourceEvidence, SourceLocalFlow } from '../../lib/source-types.js';
import { WELL_KNOWN } from '../../lint/rules/port-service.js';
import { interpretAce, type Conversation } from './interpret.js';
import type { MudProfile } from './read.js';

export interface Skipped { label: string; reason: string }
export interface ImportResult {
  endpoints: SourceEndpoint[];
  local: SourceLocalFlow[];
  skipped: Skipped[];
  /** Entries that repeated a conversation already recorded (mirrored replies, duplicate lines). */
  collapsed: { label: string; into: string }[];
  normalized: { label: string; change: string }[];
}

const PURPOSE_OF_SERVICE: Record<string, string> = { ntp: 'time', dns: 'dns', mdns: 'discovery', ssdp: 'discovery' };
const LOCAL_SERVICES: Record<string, { protocols: string[]; ports: number[] }> = {
  ...WELL_KNOWN,
  // Link-local and LAN services MUD profiles list that the port-service table has no reason to carry.
  dhcpv6: { protocols: ['udp'], ports: [546, 547] },
  llmnr: { protocols: ['udp'], ports: [5355] },
  netbios: { protocols: ['udp'], ports: [137, 138] },
};

/** The service a single well-known port names; `unknown` for ranges and unlisted ports. */
export function serviceFor(protocol: string, ports: PortRange | undefined): string {
  if (protocol === 'icmp' || protocol === 'icmpv6') return 'icmp';
  if (!ports || ports.from !== ports.to) return 'unknown';
  const hits = Object.entries(LOCAL_SERVICES).filter(([, s]) => s.protocols.includes(protocol) && s.ports.includes(ports.from));
  return hits.length === 1 ? hits[0]![0] : 'unknown';
}

function portItems(protocol: string, ports: PortRange | undefined): PortItem[] | undefined {
  if (protocol !== 'tcp' && protocol !== 'udp') return undefined;
  const r = ports ?? { from: 1, to: 65535 };
  return [r.from === r.to ? r.from : formatPortRange(r)];
}

/** The conversation in words, which is also its identity: entries that describe alike are one (the IP version aside). */
function describe(c: Conversation): string {
  const p = c.peer;
  const where = p.kind === 'host' ? p.host : p.kind === 'address' ? p.address : p.group ? `${p.party} ${p.group}` : p.party;
  const port = c.ports ? ` ${formatPortRange(c.ports)}` : '';
  const from = c.sourcePorts ? ` from port ${formatPortRange(c.sourcePorts)}` : '';
  const icmp = c.icmpType !== undefined ? ` type ${c.icmpType}${c.icmpCode !== undefined ? ` code ${c.icmpCode}` : ''}` : '';
  return `${c.opener === 'device' ? 'device → ' : ''}${where}${c.opener === 'peer' ? ' → device' : ''} ${c.protocol}${port}${from}${icmp}`;
}

function notes(c: Conversation): string | undefined {
  const parts: string[] = [];
  if (c.protocol === 'any') parts.push('The MUD entry names no protocol: it allows any.');
  if ((c.protocol === 'tcp' || c.protocol === 'udp') && !c.ports) parts.push('The MUD entry names no port: it allows any.');
  if (c.icmpType !== undefined) parts.push(c.icmpType === 8 || c.icmpType === 128 ? 'ICMP echo (ping).' : `ICMP type ${c.icmpType}.`);
  if (c.sourcePorts) parts.push(`The MUD entry allows the opening side to send from port ${formatPortRange(c.sourcePorts)} only.`);
  if (c.peer.kind === 'local' && c.peer.note) parts.push(`${c.peer.note[0]!.toUpperCase()}${c.peer.note.slice(1)}.`);
  return parts.length ? parts.join(' ') : undefined;
}

function toEntry(c: Conversation, evidenceId: string): SourceEndpoint | SourceLocalFlow {
  const protocol: Protocol = c.protocol === 'any' ? 'unknown' : c.protocol;
  const service = serviceFor(c.protocol, c.ports);
  const ports = portItems(c.protocol, c.ports);
  const note = notes(c);
  const common = {
    protocol,
    ...(c.version ? { 'ip-version': c.version } : {}),
    ...(ports ? { ports } : {}),
    ...(c.sourcePorts ? { 'source-ports': portItems(c.protocol, c.sourcePorts) } : {}),
    ...(c.icmpType !== undefined ? { 'icmp-type': c.icmpType } : {}),
    ...(c.icmpCode !== undefined ? { 'icmp-code': c.icmpCode } : {}),
    service: service === 'icmp' && (c.icmpType === 8 || c.icmpType === 128) ? 'ping' : service,
    purpose: PURPOSE_OF_SERVICE[service] ?? 'unknown',
  };
  const needs = { 'vendor-app': 'unknown', 'home-assistant': 'unknown' } as const;
  if (c.peer.kind === 'local') {
    const party = c.peer.party;
    return {
      from: c.opener === 'device' ? 'device' : (party as SourceLocalFlow['from']),
      to: c.opener === 'device' ? party : 'device',
      ...common,
      ...(c.peer.group ? { group: c.peer.group } : {}),
      needs: { ...needs },
      evidence: [evidenceId],
      ...(note ? { note } : {}),
    } as SourceLocalFlow;
  }
  const where = c.peer.kind === 'host' ? { host: c.peer.host } : { address: c.peer.address };
  return { ...where, ...common, party: 'unknown', needs: { ...needs }, evidence: [evidenceId], ...(note ? { note } : {}) } as SourceEndpoint;
}

/** The same entry read the other way round: the device opens, and the ports on each side trade places. */
function turned(c: Conversation): Conversation {
  const { ports, sourcePorts, ...rest } = c;
  return { ...rest, opener: 'device', ...(sourcePorts ? { ports: sourcePorts } : {}), ...(ports ? { sourcePorts: ports } : {}) };
}

/** Scheme-less authority of the MUD URL, which the manufacturer abstraction compares against. */
export function mudAuthority(url: string): string {
  try { return new URL(url).hostname.toLowerCase(); } catch { return ''; }
}

export function convertProfile(profile: MudProfile, evidenceId: string): ImportResult {
  const result: ImportResult = { endpoints: [], local: [], skipped: [...profile.refused], collapsed: [], normalized: [] };
  const seen = new Map<string, string>();
  const entries = new Map<string, SourceEndpoint | SourceLocalFlow>();
  const authority = mudAuthority(profile.url);
  for (const ace of profile.aces) {
    const got = interpretAce(ace, authority);
    if (!got.ok) { result.skipped.push({ label: ace.label, reason: got.reason }); continue; }
    const c = got.conversation;
    for (const change of c.normalized) result.normalized.push({ label: ace.label, change });
    // From the internet, an entry that says nothing of direction answers the same entry from the device
    // (the device file cannot express the other reading); on the LAN both directions are kept.
    const mirror = c.opener === 'peer' && c.openerAssumed && c.peer.kind !== 'local' ? seen.get(describe(turned(c))) : undefined;
    if (mirror) { result.collapsed.push({ label: ace.label, into: mirror }); continue; }
    if (c.opener === 'peer' && c.peer.kind !== 'local') {
      result.skipped.push({ label: ace.label, reason: `${describe(c)}: a connection opened from the internet, which endpoints: (destinations the device contacts) cannot express` });
      continue;
    }
    const key = describe(c);
    const first = seen.get(key);
    if (first) {
      // The same conversation in the other IP version (or in any): the entry allows what both say.
      const entry = entries.get(key)!;
      if (entry['ip-version'] !== c.version) delete entry['ip-version'];
      result.collapsed.push({ label: ace.label, into: first });
      continue;
    }
    seen.set(key, ace.label);
    const entry = toEntry(c, evidenceId);
    entries.set(key, entry);
    if ('from' in entry) result.local.push(entry); else result.endpoints.push(entry);
  }
  return result;
}

export function mudEvidence(profile: MudProfile, id: string, source: string, title: string, note: string): SourceEvidence {
  return { id, type: 'mud-profile', date: profile.date, source, title, note };
}
