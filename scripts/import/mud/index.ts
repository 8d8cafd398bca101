// `netneeds import-mud <file.json>…`: MUD profiles → draft device files (or merges into existing ones),
// with an evidence item of type mud-profile and a report of every entry that was not imported and why.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDevice, type NewDevice, type VendorInfo, type WriteOutcome } from '../write.js';
import { convertProfile, mudEvidence, type ImportResult } from './convert.js';
import { MudError, readMud, type MudProfile } from './read.js';

export interface MudImportOptions {
  id: string;
  name: string;
  category: string;
  /** Where a reader can open the profile; defaults to its MUD URL. */
  source?: string;
  evidenceId?: string;
  title?: string;
  note?: string;
  notes?: string;
  vendor?: VendorInfo;
}

/** `outcome` is null when no entry of the profile could be imported (nothing is written then). */
export interface MudImport { profile: MudProfile; result: ImportResult; outcome: (WriteOutcome & { text: string }) | null }

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);

export function parseMudText(text: string, file: string): MudProfile {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new MudError('(document)', `${file} is not JSON: ${(e as Error).message}`); }
  return readMud(json);
}

export function importMud(profile: MudProfile, devicesDir: string, options: MudImportOptions, dryRun = false): MudImport {
  const evidenceId = options.evidenceId ?? `mud-${profile.date.slice(0, 4)}`;
  const result = convertProfile(profile, evidenceId);
  const source = options.source ?? profile.url;
  const evidence = mudEvidence(profile, evidenceId, source, options.title ?? `MUD profile ${profile.url}`,
    options.note ?? 'MUD profile: the traffic its author allows for the device, not a test of what the device needs.');
  const device: NewDevice = { id: options.id, name: options.name, category: options.category, ...(options.notes ? { notes: options.notes } : {}) };
  if (result.endpoints.length + result.local.length === 0) return { profile, result, outcome: null };
  const outcome = writeDevice(devicesDir, device, options.vendor, { evidence: [evidence], endpoints: result.endpoints, local: result.local }, dryRun);
  return { profile, result, outcome };
}

export function formatImport(file: string, imp: MudImport, devicesDir: string): string {
  const { result, outcome } = imp;
  const rel = !outcome ? '' : outcome.path.startsWith(devicesDir + '/') ? `devices/${outcome.path.slice(devicesDir.length + 1)}` : outcome.path;
  const head = outcome
    ? `${rel} ${outcome.created ? 'created' : 'merged'}: ${result.endpoints.length} endpoints, ${result.local.length} local flows` +
      ` (${outcome.counts.added} added, ${outcome.counts.updated} updated, ${outcome.counts.unchanged} already there)`
    : 'nothing written: no entry could be imported';
  const lines = [`${file}: ${head}; ${result.collapsed.length} mirrored or repeated entries collapsed; ${result.skipped.length} skipped`];
  for (const s of result.skipped) lines.push(`  skipped ${s.label}: ${s.reason}`);
  for (const n of result.normalized) lines.push(`  note ${n.label}: ${n.change}`);
  return lines.join('\n');
}

const USAGE = 'usage: netneeds import-mud <file.json>… --id vendor/model [--name text] [--category c] [--source url] [--vendor-name text] [--dry-run]';

export function runImportMud(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: {
        id: { type: 'string' }, name: { type: 'string' }, category: { type: 'string' }, source: { type: 'string' },
        'evidence-id': { type: 'string' }, title: { type: 'string' }, 'vendor-name': { type: 'string' }, 'vendor-website': { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values: v, positionals: files } = parsed;
  if (files.length === 0) { process.stderr.write(`${USAGE}\n`); return 2; }
  const devicesDir = resolve(process.env.NETNEEDS_DEVICES ?? 'devices');
  let failed = 0;
  for (const file of files) {
    try {
      const profile = parseMudText(readFileSync(file, 'utf8'), file);
      const vendorName = v['vendor-name'] ?? profile.mfgName;
      const id = v.id ?? (profile.mfgName && profile.modelName ? `${slug(profile.mfgName)}/${slug(profile.modelName)}` : undefined);
      if (!id) {
        const missing = profile.mfgName ? 'model-name' : profile.modelName ? 'mfg-name' : 'mfg-name and model-name';
        throw new MudError(`ietf-mud:mud/${missing.split(' ')[0]}`, `${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing, so the device id cannot be derived`, 'pass --id vendor/model');
      }
      const imp = importMud(profile, devicesDir, {
        id,
        name: v.name ?? ([profile.mfgName, profile.modelName ?? profile.systeminfo].filter(Boolean).join(' ') || id),
        category: v.category ?? 'other',
        ...(v.source ? { source: v.source } : {}),
        ...(v['evidence-id'] ? { evidenceId: v['evidence-id'] } : {}),
        ...(v.title ? { title: v.title } : {}),
        ...(vendorName ? { vendor: { name: vendorName, ...(v['vendor-website'] ? { website: v['vendor-website'] } : {}) } } : {}),
      }, v['dry-run'] === true);
      process.stdout.write(formatImport(file, imp, devicesDir) + '\n');
      if (!imp.outcome) failed++;
      else if (v['dry-run']) process.stdout.write(imp.outcome.text);
    } catch (e) {
      failed++;
      const hint = e instanceof MudError && e.hint ? `\n    hint: ${e.hint}` : '';
      process.stderr.write(`${file}: ${(e as Error).message}${hint}\n`);
    }
  }
  return failed ? 1 : 0;
}
