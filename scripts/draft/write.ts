// Turns collected observations into device-file entries, and writes a new file or merges into an existing
// one in canonical form. Every verdict is `unknown`: a capture shows what a device does, not what it needs.
import { Document, isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { canonicalText } from '../lib/canonical.js';
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

type Entry = Record<string, unknown>;
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

// Entries are the same destination when these fields match; notes and verdicts may differ.
const endpointKey = (e: Entry) => JSON.stringify([e.host, e.address, e.protocol, e.ports]);
const localKey = (e: Entry) => JSON.stringify([e.from, e.to, e.group, e.protocol, e.ports]);

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

/** The draft as a device file: a new one from `device`, or `existing` with the new entries merged in. */
export function writeDraft(data: DraftData, info: EvidenceInfo, target: { existing: string } | { device: NewDeviceInfo }): MergeOutcome {
  const doc = 'existing' in target ? parseDocument(target.existing) : new Document({
    id: target.device.id,
    name: target.device.name,
    ...(target.device.models?.length ? { models: target.device.models } : {}),
    category: target.device.category,
    endpoints: [],
    evidence: [],
  });
  const root = doc.contents;
  if (!isMap(root)) throw new Error('the existing device file does not hold a mapping');
  const seqOf = (key: string) => {
    if (!root.has(key)) root.add(doc.createPair(key, []));
    const seq = root.get(key, true);
    if (!isSeq(seq)) throw new Error(`${key}: is not a list`);
    return seq;
  };
  const evidenceSeq = seqOf('evidence');
  const existingEvidence = evidenceSeq.items.map((n) => (isMap(n) ? (n.toJSON() as Entry) : {}));
  const reuse = info.source ? existingEvidence.find((e) => e.source === info.source && e.type === info.type) : undefined;
  let id = typeof reuse?.id === 'string' ? reuse.id : info.id ?? `${info.type}-${Number.isNaN(data.first) ? info.fallbackDate : dayOf(data.first)}`;
  if (!reuse) {
    const taken = new Set(existingEvidence.map((e) => e.id));
    const base = id;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    evidenceSeq.add(doc.createNode(evidenceEntry(info, data, id)));
  }
  const merge = (key: string, entries: Entry[], keyOf: (e: Entry) => string) => {
    if (entries.length === 0) return { added: 0, matched: 0 };
    const seq = seqOf(key);
    const existing = new Map<string, YAMLMap>();
    for (const n of seq.items) if (isMap(n)) existing.set(keyOf(n.toJSON() as Entry), n);
    let added = 0;
    let matched = 0;
    for (const entry of entries) {
      const hit = existing.get(keyOf(entry));
      if (!hit) { seq.add(doc.createNode(entry)); added++; continue; }
      matched++;
      const refs = hit.get('evidence', true);
      if (isSeq(refs) && !refs.items.some((r) => String((r as { value?: unknown }).value) === id)) refs.add(doc.createNode(id));
    }
    return { added, matched };
  };
  const ep = merge('endpoints', data.endpoints.map((e) => endpointEntry(e, id)), endpointKey);
  const lo = merge('local', data.local.map((l) => localEntry(l, id)), localKey);
  const notes = draftNotes(data);
  if (notes && !('existing' in target)) root.add(doc.createPair('notes', notes));
  return {
    text: canonicalText(doc as Document.Parsed, 'device', true),
    added: { endpoints: ep.added, local: lo.added },
    matched: { endpoints: ep.matched, local: lo.matched },
    evidenceId: id,
    evidenceReused: reuse !== undefined,
  };
}
