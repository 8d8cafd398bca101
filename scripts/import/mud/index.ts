// What `netneeds import-mud` (scripts/cli/import-mud.ts) does: MUD profiles → draft device files (or merges into existing ones),
// with an evidence item of type mud-profile and a report of every entry that was not imported and why.
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

export function parseMudText(text: string, file: string): MudProfile {
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new MudError('(document)', `${file} is not JSON: ${(e as Error).message}`); }
  const reserved = reservedKey(json, '');
  if (reserved) throw new MudError(reserved, 'is not a MUD field: a key that names a JavaScript object property cannot be imported', 'remove it from the profile');
  return readMud(json);
}

/** Where a key such as __proto__ or constructor sits in the parsed profile (a lookup by it would reach Object.prototype). */
function reservedKey(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64 && value !== null && typeof value === 'object') throw new MudError(path, 'is nested too deeply for a MUD profile');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) { const hit = reservedKey(value[i], `${path}[${i}]`, depth + 1); if (hit) return hit; }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const at = path ? `${path}/${key}` : key;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype' || key in Object.prototype) return at;
      const hit = reservedKey((value as Record<string, unknown>)[key], at, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
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
