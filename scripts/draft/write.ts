// Turns collected observations into device-file entries, and writes a new file or merges into an existing
// one in canonical form. Every verdict is `unknown`: a capture shows what a device does, not what it needs.
import { canonicalPlainText } from '../lib/canonical-plain.js';
import type { EvidenceType } from '../lib/source-types.js';
import type { DraftData, DraftEndpoint, DraftLocal, Observed } from './collect.js';
import { dayOf, minuteOf } from './time.js';

/** Where a contributor's own public link goes; the lint's source-url rule rejects this host by design. */
export const SOURCE_PLACEHOLDER = 'https://replace-with-a-public-link-to-your-capture/';

export interface EvidenceInfo {
  id?: string;
  type: EvidenceType;
  source?: string;
  title?: string;
  firmware?: string;
  region?: string;
  /** One sentence per input: what it was and how much of it was read. */
  inputs: string[];
  /** Day of the observation when the inputs carry no time at all. */
  fallbackDate: string;
  /** Set when timestamps carried no year and it was guessed: where the year came from. */
  yearGuessedFrom?: string;
}

export interface NewDeviceInfo { id: string; name: string; category: string; models?: string[] }

export type Entry = Record<string, unknown>;
const UNKNOWN_NEEDS = { 'vendor-app': 'unknown', 'home-assistant': 'unknown' };

function seen(o: Observed): string {
  const times = `${o.count} time${o.count === 1 ? '' : 's'}`;
  if (Number.isNaN(o.first)) return `Seen ${times}.`;
  return minuteOf(o.first) === minuteOf(o.last) ? `Seen ${times}, at ${minuteOf(o.first)}.` : `Seen ${times}, from ${minuteOf(o.first)} to ${minuteOf(o.last)}.`;
}

function endpointEntry(e: DraftEndpoint, evidence: string): Entry {
  const naming = e.aggregated ? (e.aggregated.examples.length === 0 ? ' Stands for addresses in this prefix, counted together to keep memory bounded; they were not listed one by one.'
    : ` Stands for ${e.aggregated.members || 'several'} ${e.aggregated.kind === 'domain' ? 'names under this registered domain' : 'addresses in this prefix'} (${e.aggregated.examples.join(', ')}${e.aggregated.members > e.aggregated.examples.length ? ', …' : ''}), folded together to keep the draft readable.`)
    : e.nameSource === 'lookup' ? ' The device looked this name up and got an address; the DNS log shows no connection, so protocol and port are unknown.'
    : e.nameSource === 'sni' ? ' Name from the TLS server name (SNI) in the flow.'
    : e.nameSource === 'dns' ? ' Name from a DNS answer to the device in the inputs.'
      : e.ambiguousNames ? ` DNS answers in the inputs gave this address several names (${e.ambiguousNames.slice(0, 5).join(', ')}${e.ambiguousNames.length > 5 ? ', …' : ''}); the flows cannot tell which one the device used.`
        : ' No DNS answer or server name for this address appears in the inputs.';
  return {
    ...(e.host ? { host: e.host } : { address: e.address }),
    protocol: e.protocol,
    ...(e.port !== undefined ? { ports: [e.port] } : {}),
    service: e.service,
    purpose: e.purpose,
    party: 'unknown',
    needs: { ...UNKNOWN_NEEDS },
    evidence: [evidence],
    note: seen(e) + naming,
  };
}

function localEntry(l: DraftLocal, evidence: string): Entry {
  return {
    from: l.from,
    to: l.to,
    protocol: l.protocol,
    ...(l.port !== undefined ? { ports: [l.port] } : {}),
    ...(l.group ? { group: l.group } : {}),
    service: l.service,
    purpose: l.purpose,
    needs: { ...UNKNOWN_NEEDS },
    evidence: [evidence],
    note: seen(l),
  };
}

function evidenceEntry(info: EvidenceInfo, data: DraftData, id: string): Entry {
  const dated = !Number.isNaN(data.first);
  const period = !dated ? `The inputs carry no timestamps; the date is the day the file was last written.`
    : (dayOf(data.first) === dayOf(data.last) ? `Observed on ${dayOf(data.first)}.` : `Observed from ${dayOf(data.first)} to ${dayOf(data.last)}.`)
      + (info.yearGuessedFrom ? ` The log's timestamps carry no year: ${dayOf(data.first).slice(0, 4)} was taken from ${info.yearGuessedFrom}, so the year may be wrong.` : '');
  return {
    id,
    type: info.type,
    date: dated ? dayOf(data.first) : info.fallbackDate,
    source: info.source ?? SOURCE_PLACEHOLDER,
    ...(info.title ? { title: info.title } : {}),
    ...(info.firmware ? { firmware: info.firmware } : {}),
    ...(info.region ? { region: info.region } : {}),
    note: `Drafted by netneeds draft from ${info.inputs.join('; ')}. ${period} Observed traffic is not proof of need: verdicts stay unknown until tested.`,
  };
}

function draftNotes(data: DraftData): string | undefined {
  const parts = [...data.aggregation];
  const names = data.queriedOnly;
  if (names.length > 0) {
    const shown = names.slice(0, 40);
    const what = data.dnsOnly ? 'Looked up by the device with no address in the answer' : 'Looked up in the DNS inputs with no flow to them in the inputs';
    parts.push(`${what}: ${shown.join(', ')}${names.length > shown.length ? ` and ${names.length - shown.length} more` : ''}.`);
  }
  return parts.length ? parts.join(' ') : undefined;
}

export interface MergeOutcome { text: string; added: { endpoints: number; local: number }; matched: { endpoints: number; local: number }; evidenceId: string; evidenceReused: boolean }

/** A draft's entries, built for the evidence id they cite once that id is known (merging may reuse one). */
export interface DraftParts {
  /** The evidence id unless the file holds one for the same source, or the id is taken. */
  id: string;
  type: EvidenceType;
  source?: string;
  evidence: (id: string) => Entry;
  endpoints: (id: string) => Entry[];
  local: (id: string) => Entry[];
  notes?: string;
}

/** The entries of a draft and the evidence id it would take in a new file. */
export function draftParts(data: DraftData, info: EvidenceInfo): DraftParts {
  const notes = draftNotes(data);
  return {
    id: info.id ?? `${info.type}-${Number.isNaN(data.first) ? info.fallbackDate : dayOf(data.first)}`,
    type: info.type,
    ...(info.source ? { source: info.source } : {}),
    evidence: (id) => evidenceEntry(info, data, id),
    endpoints: (id) => data.endpoints.map((e) => endpointEntry(e, id)),
    local: (id) => data.local.map((l) => localEntry(l, id)),
    ...(notes ? { notes } : {}),
  };
}

/** The draft as a device file: a new one from `device`, or `existing` with the new entries merged in. */
export async function writeDraft(data: DraftData, info: EvidenceInfo, target: { existing: string } | { device: NewDeviceInfo }): Promise<MergeOutcome> {
  const parts = draftParts(data, info);
  if ('device' in target) {
    const { id, name, models, category } = target.device;
    const local = parts.local(parts.id);
    const text = canonicalPlainText({
      id, name, ...(models?.length ? { models } : {}), category,
      endpoints: parts.endpoints(parts.id),
      evidence: [parts.evidence(parts.id)],
      ...(local.length ? { local } : {}),
      ...(parts.notes ? { notes: parts.notes } : {}),
    }, 'device');
    if (text !== null) return { text, added: { endpoints: data.endpoints.length, local: local.length }, matched: { endpoints: 0, local: 0 }, evidenceId: parts.id, evidenceReused: false };
  }
  // Merging into a file, or data only the serializer writes right: the YAML library, loaded only now.
  const { mergeDraft } = await import('./device-file.js');
  return mergeDraft(parts, target);
}
