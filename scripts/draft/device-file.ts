// What the draft does with YAML files, kept apart so that a new draft never loads the YAML library: it checks that
// the --into file parses, reads the vendor's name, and merges a draft into a device file (or writes one through the
// serializer). A merge keeps the file's comments and order, and entries it already has gain the new evidence.
import { readFileSync } from 'node:fs';
import { Document, isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { canonicalText } from '../lib/canonical.js';
import type { DraftParts, Entry, MergeOutcome, NewDeviceInfo } from './write.js';

// Entries are the same destination when these fields match; notes and verdicts may differ.
const endpointKey = (e: Entry) => JSON.stringify([e.host, e.address, e.protocol, e.ports]);
const localKey = (e: Entry) => JSON.stringify([e.from, e.to, e.group, e.protocol, e.ports]);

/** The first line of the first YAML error in text, or null when it parses. */
export function yamlError(text: string): string | null {
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? doc.errors[0]!.message.split('\n')[0]! : null;
}

/** The `name:` of a vendor file, or null when it has none. */
export function vendorFileName(path: string): string | null {
  const data = parseDocument(readFileSync(path, 'utf8')).toJS() as { name?: unknown } | null;
  return data?.name === undefined || data.name === null ? null : String(data.name);
}

export function mergeDraft(parts: DraftParts, target: { existing: string } | { device: NewDeviceInfo }): MergeOutcome {
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
  const reuse = parts.source ? existingEvidence.find((e) => e.source === parts.source && e.type === parts.type) : undefined;
  let id = typeof reuse?.id === 'string' ? reuse.id : parts.id;
  if (!reuse) {
    const taken = new Set(existingEvidence.map((e) => e.id));
    const base = id;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    evidenceSeq.add(doc.createNode(parts.evidence(id)));
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
  const ep = merge('endpoints', parts.endpoints(id), endpointKey);
  const lo = merge('local', parts.local(id), localKey);
  if (parts.notes && !('existing' in target)) root.add(doc.createPair('notes', parts.notes));
  return {
    text: canonicalText(doc as Document.Parsed, 'device', true),
    added: { endpoints: ep.added, local: lo.added },
    matched: { endpoints: ep.matched, local: lo.matched },
    evidenceId: id,
    evidenceReused: reuse !== undefined,
  };
}
