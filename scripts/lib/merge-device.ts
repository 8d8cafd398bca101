// Adds endpoints, local flows and evidence to a device file without duplicating what is there and without
// losing its comments: edits go through the YAML document, and the result is written in canonical form.
// An entry that already exists (same destination, protocol and ports) gains the new evidence and verdict
// claims; a verdict that disagrees is kept beside the old one, each citing its own evidence.
import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLMap } from 'yaml';
import { canonicalText } from './canonical.js';
import type { NeedFunction, SourceDevice, SourceEndpoint, SourceEvidence, SourceLocalFlow, Verdict, VerdictClaim } from './source-types.js';
import { NEED_FUNCTIONS } from './source-types.js';
import { asArray, isRecord, type Rec } from './walk.js';

export interface DeviceAdditions {
  evidence: SourceEvidence[];
  endpoints: SourceEndpoint[];
  local: SourceLocalFlow[];
}
export interface MergeCounts { added: number; updated: number; unchanged: number }

const portsKey = (e: Rec) => asArray(e.ports).map(String).sort().join(',');
/** What narrows an entry beyond protocol and ports: entries that differ in it are different traffic. */
const narrowKey = (e: Rec) => [e['ip-version'] ?? '', asArray(e['source-ports']).map(String).sort().join(','), e['icmp-type'] ?? '', e['icmp-code'] ?? ''].join('/');
export function endpointKey(e: Rec): string {
  return ['ep', e.host ?? '', e.address ?? '', e.protocol ?? '', portsKey(e), narrowKey(e)].join('|');
}
export function localKey(f: Rec): string {
  return ['local', f.from, f.to, f.protocol, portsKey(f), f.group ?? '', narrowKey(f)].join('|');
}

/** Claims that cite their evidence, from either form a verdict takes. */
function claimsOf(verdict: unknown, entryEvidence: string[]): VerdictClaim[] {
  if (Array.isArray(verdict)) return verdict.filter(isRecord) as unknown as VerdictClaim[];
  if (typeof verdict === 'string' && verdict !== 'unknown') return [{ verdict: verdict as VerdictClaim['verdict'], evidence: entryEvidence }];
  return [];
}

/** Old and new verdicts together; `unknown` yields to any claim, and a claim citing the same evidence is not repeated. */
export function mergeVerdict(old: unknown, oldEvidence: string[], incoming: Verdict): Verdict {
  const before = claimsOf(old, oldEvidence);
  const added = claimsOf(incoming, []).filter((c) => !before.some((b) => b.verdict === c.verdict && c.evidence.every((e) => b.evidence.includes(e))));
  const all = [...before, ...added];
  return all.length === 0 ? 'unknown' : all;
}

function mergeInto(doc: Document, node: YAMLMap, incoming: SourceEndpoint | SourceLocalFlow): boolean {
  const current = node.toJSON() as Rec;
  const oldEvidence = asArray(current.evidence).map(String);
  let changed = false;
  const needs = isRecord(current.needs) ? current.needs : {};
  const merged: Record<string, Verdict> = {};
  for (const fn of NEED_FUNCTIONS as readonly NeedFunction[]) {
    merged[fn] = mergeVerdict(needs[fn], oldEvidence, incoming.needs[fn]);
    if (JSON.stringify(merged[fn]) !== JSON.stringify(needs[fn])) changed = true;
  }
  if (changed) node.set('needs', doc.createNode(merged));
  // A field the file leaves unknown takes what the new source says; a known value is never overwritten.
  for (const field of ['service', 'purpose', 'party'] as const) {
    const value = (incoming as unknown as Rec)[field];
    if (current[field] === 'unknown' && typeof value === 'string' && value !== 'unknown') { node.set(field, value); changed = true; }
  }
  const fresh = incoming.evidence.filter((id) => !oldEvidence.includes(id));
  if (fresh.length) {
    const list = node.get('evidence', true);
    if (isSeq(list)) for (const id of fresh) list.add(doc.createNode(id));
    else node.set('evidence', doc.createNode([...oldEvidence, ...fresh]));
    changed = true;
  }
  return changed;
}

function mergeList(doc: Document, field: 'endpoints' | 'local', incoming: (SourceEndpoint | SourceLocalFlow)[], keyOf: (e: Rec) => string, counts: MergeCounts): void {
  if (incoming.length === 0) return;
  let seq = doc.get(field, true);
  if (!isSeq(seq)) { doc.set(field, doc.createNode([])); seq = doc.get(field, true); }
  if (!isSeq(seq)) throw new Error(`${field} is not a list`);
  const index = new Map<string, YAMLMap>();
  for (const item of seq.items) if (isMap(item)) index.set(keyOf(item.toJSON() as Rec), item);
  for (const entry of incoming) {
    const key = keyOf(entry as unknown as Rec);
    const existing = index.get(key);
    if (!existing) {
      const node = doc.createNode(entry) as YAMLMap;
      seq.add(node);
      index.set(key, node);
      counts.added++;
    } else if (mergeInto(doc, existing, entry)) counts.updated++;
    else counts.unchanged++;
  }
}

function mergeEvidence(doc: Document, items: SourceEvidence[]): void {
  let seq = doc.get('evidence', true);
  if (!isSeq(seq)) { doc.set('evidence', doc.createNode([])); seq = doc.get('evidence', true); }
  if (!isSeq(seq)) throw new Error('evidence is not a list');
  const have = new Map<string, Rec>();
  for (const item of seq.items) if (isMap(item)) { const data = item.toJSON() as Rec; have.set(String(data.id), data); }
  for (const item of items) {
    const old = have.get(item.id);
    if (!old) { seq.add(doc.createNode(item)); have.set(item.id, item as unknown as Rec); continue; }
    if (old.source !== item.source) throw new Error(`evidence id "${item.id}" already cites ${String(old.source)}, not ${item.source}: choose another id`);
  }
}

/** Merges additions into the text of an existing device file; returns canonical text and what changed. */
export function mergeDeviceText(text: string, additions: DeviceAdditions): { text: string; counts: MergeCounts } {
  const doc = parseDocument(text, { uniqueKeys: true, version: '1.2' });
  if (doc.errors.length) throw new Error(`cannot merge into a file that does not parse: ${doc.errors[0]!.message}`);
  const counts: MergeCounts = { added: 0, updated: 0, unchanged: 0 };
  mergeEvidence(doc, additions.evidence);
  mergeList(doc, 'endpoints', additions.endpoints, endpointKey, counts);
  mergeList(doc, 'local', additions.local, localKey, counts);
  // Re-read so that every key added above is a YAML scalar again, which the canonical sort needs.
  return { text: canonicalText(parseDocument(doc.toString(), { version: '1.2' }), 'device'), counts };
}

/** Canonical text of a new device file. */
export function newDeviceText(device: SourceDevice): string {
  const clean = { ...device, ...(device.local && device.local.length === 0 ? { local: undefined } : {}) };
  return canonicalText(parseDocument(stringify(clean), { version: '1.2' }), 'device');
}
