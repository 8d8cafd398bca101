// `netneeds new`: scaffolds devices/<vendor>/<model>.yaml (and the vendor's _vendor.yaml when missing) with
// the modeline, enums read from the schema, and an evidence skeleton the validator rejects until it is filled in.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { Document } from 'yaml';
import { canonicalText } from './lib/canonical.js';
import { enumOf } from './lib/schemas.js';
import { listDataFiles, loadFile } from './lib/load.js';
import { isRecord, asArray } from './lib/walk.js';
import { SOURCE_PLACEHOLDER } from './draft/write.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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

const USAGE = `usage: netneeds new --vendor <slug> --model <slug> --category <category> [--name "Vendor Model"] [--vendor-name Vendor]
  [--model-number X]… [--connectivity wifi]… [--evidence-type packet-capture] [--website https://…] [--force]
Without flags, asks for what is missing when run in a terminal.`;

export async function runNew(args: string[]): Promise<number> {
  const categories = enumOf('device.schema.json', 'properties/category');
  const connectivityValues = enumOf('device.schema.json', 'properties/connectivity/items');
  const evidenceTypes = enumOf('common.schema.json', '$defs/evidence/properties/type');
  let parsed;
  try {
    parsed = parseArgs({
      args, options: {
        vendor: { type: 'string' }, model: { type: 'string' }, category: { type: 'string' }, name: { type: 'string' },
        'vendor-name': { type: 'string' }, 'model-number': { type: 'string', multiple: true }, connectivity: { type: 'string', multiple: true },
        'evidence-type': { type: 'string' }, website: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) { process.stdout.write(USAGE + '\n'); return 0; }
  const ask = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stderr }) : null;
  const need = async (value: string | undefined, question: string): Promise<string | undefined> => value ?? (ask ? (await ask.question(question)).trim() || undefined : undefined);
  try {
    const vendor = await need(v.vendor, 'vendor (slug, e.g. tp-link): ');
    const model = await need(v.model, 'model (slug, e.g. hs110): ');
    const category = await need(v.category, `category (${categories.join(', ')}): `);
    const fail = (m: string) => { process.stderr.write(`new: ${m}\n${USAGE}\n`); return 2; };
    if (!vendor || !SLUG.test(vendor)) return fail(`--vendor must be a lower-case slug${vendor ? ` (try ${slugify(vendor)})` : ''}`);
    if (!model || !SLUG.test(model)) return fail(`--model must be a lower-case slug${model ? ` (try ${slugify(model)})` : ''}`);
    if (!category || !categories.includes(category)) return fail(`--category must be one of: ${categories.join(', ')}`);
    for (const c of v.connectivity ?? []) if (!connectivityValues.includes(c)) return fail(`--connectivity ${c} is not one of: ${connectivityValues.join(', ')}`);
    const evidenceType = v['evidence-type'] ?? 'community-report';
    if (!evidenceTypes.includes(evidenceType)) return fail(`--evidence-type must be one of: ${evidenceTypes.join(', ')}`);
    const vendorName = v['vendor-name'] ?? vendor.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-');
    const name = (await need(v.name, `name [${vendorName} ${model.toUpperCase()}]: `)) ?? `${vendorName} ${model.toUpperCase()}`;
    const devicesDir = resolve(process.env.NETNEEDS_DEVICES ?? 'devices');
    const id = `${vendor}/${model}`;
    const models = v['model-number'] ?? [];
    const similar = similarDevices(devicesDir, { id, name, models });
    for (const s of similar) process.stderr.write(`warning: ${s.id} may be the same device (${s.reason}); add to it instead, or add its old name under aliases:\n`);
    const file = join(devicesDir, vendor, `${model}.yaml`);
    if (existsSync(file) && !v.force) return fail(`${relative(process.cwd(), file)} already exists`);
    mkdirSync(join(devicesDir, vendor), { recursive: true });
    const vendorFile = join(devicesDir, vendor, '_vendor.yaml');
    if (!existsSync(vendorFile)) {
      writeFileSync(vendorFile, vendorSkeleton(vendor, vendorName, v.website));
      process.stderr.write(`created ${relative(process.cwd(), vendorFile)}\n`);
    }
    writeFileSync(file, deviceSkeleton({ id, name, category, models, connectivity: v.connectivity ?? [], evidenceType }));
    process.stderr.write(`created ${relative(process.cwd(), file)}\nnext: replace the evidence source with the URL of your log, post or document, add date: (or accessed:), then add endpoints — or run npm run draft -- <your log> --device <ip> --into ${relative(process.cwd(), file)}\n`);
    return 0;
  } finally {
    ask?.close();
  }
}
