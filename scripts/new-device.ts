// What `netneeds new` (scripts/cli/new.ts) writes: scaffolds devices/<vendor>/<model>.yaml (and the vendor's _vendor.yaml when missing) with
// the modeline, enums read from the schema, and an evidence skeleton the validator rejects until it is filled in.
import { existsSync } from 'node:fs';
import { Document } from 'yaml';
import { canonicalText } from './lib/canonical.js';
import { listDataFiles, loadFile } from './lib/load.js';
import { isRecord, asArray } from './lib/walk.js';
import { SOURCE_PLACEHOLDER } from './draft/write.js';

export function slugify(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
}
/** Sørensen–Dice similarity of two strings' letter pairs, after dropping case, spaces and punctuation. */
export function similarity(a: string, b: string): number {
  const x = squash(a);
  const y = squash(b);
  if (x === y) return x.length > 0 ? 1 : 0;
  if (x.length < 2 || y.length < 2) return 0;
  const bx = bigrams(x);
  let shared = 0;
  for (const [k, n] of bigrams(y)) { const c = bx.get(k) ?? 0; shared += Math.min(n, c); }
  return (2 * shared) / (x.length - 1 + y.length - 1);
}

export interface SimilarDevice { id: string; reason: string }

/** Existing devices whose id, name or model numbers resemble the new one's. */
export function similarDevices(devicesDir: string, candidate: { id: string; name: string; models: string[] }): SimilarDevice[] {
  const found: SimilarDevice[] = [];
  if (!existsSync(devicesDir)) return found;
  const mine = [candidate.name, candidate.id.split('/')[1]!, ...candidate.models].filter(Boolean);
  for (const rel of listDataFiles(devicesDir)) {
    if (rel.endsWith('/_vendor.yaml')) continue;
    const data = loadFile(devicesDir, rel).data;
    if (!isRecord(data)) continue;
    const id = typeof data.id === 'string' ? data.id : rel.replace(/\.yaml$/, '');
    const theirModels = asArray(data.models).map(String);
    const modelHit = candidate.models.find((m) => theirModels.some((t) => squash(t) === squash(m) && squash(m).length > 0));
    if (id === candidate.id) found.push({ id, reason: 'same id' });
    else if (modelHit) found.push({ id, reason: `same model number ${modelHit}` });
    else {
      const theirs = [String(data.name ?? ''), id.split('/')[1]!, ...theirModels, ...asArray(data.aliases).map(String)];
      let best = 0;
      for (const a of mine) for (const b of theirs) best = Math.max(best, similarity(a, b));
      if (best >= 0.75) found.push({ id, reason: `similar name (${Math.round(best * 100)}% alike)` });
    }
  }
  return found;
}

export function deviceSkeleton(o: { id: string; name: string; category: string; models: string[]; connectivity: string[]; evidenceType: string }): string {
  const doc = new Document({
    id: o.id,
    name: o.name,
    ...(o.models.length ? { models: o.models } : {}),
    category: o.category,
    ...(o.connectivity.length ? { connectivity: o.connectivity } : {}),
    endpoints: [],
    evidence: [{ id: 'source-1', type: o.evidenceType, source: SOURCE_PLACEHOLDER }],
  });
  return canonicalText(doc as Document.Parsed, 'device');
}

export function vendorSkeleton(id: string, name: string, website?: string): string {
  return canonicalText(new Document({ id, name, ...(website ? { website } : {}) }) as Document.Parsed, 'vendor');
}
