import { existsSync } from 'node:fs';
import { listDataFiles, loadFile, locate, strayDataFiles, VENDOR_FILE, type LoadedFile, type PathSegment } from '../lib/load.js';
import { compareProblems, type Problem } from '../lib/problems.js';
import { asArray, isRecord, type Rec } from '../lib/walk.js';
import type { DatasetIndex, Rule } from './rule.js';
import { schema } from './rules/schema.js';
import { idPath } from './rules/id-path.js';
import { aliasCollisions, uniqueIds } from './rules/unique-ids.js';
import { vendorFile } from './rules/vendor-file.js';
import { destination } from './rules/destination.js';
import { broadDestination } from './rules/broad-destination.js';
import { hostname } from './rules/hostname.js';
import { ipCanonical } from './rules/ip-canonical.js';
import { publicAddress } from './rules/public-address.js';
import { portRange } from './rules/port-range.js';
import { numberFormat } from './rules/number-format.js';
import { portService } from './rules/port-service.js';
import { evidenceRefs } from './rules/evidence-refs.js';
import { evidenceDate } from './rules/evidence-date.js';
import { sourceUrl } from './rules/source-url.js';
import { haDomain } from './rules/ha-domain.js';
import { groupRefs } from './rules/group-refs.js';
import { modeline } from './rules/modeline.js';
import { canonicalFormat } from './rules/canonical-format.js';
import { verdictStrength } from './rules/verdict-strength.js';
import { evidenceQuote } from './rules/evidence-quote.js';

/** Order matters only for reading: the schema first, formatting last. */
export const RULES: readonly Rule[] = [
  schema, idPath, uniqueIds, vendorFile, groupRefs, destination, broadDestination, hostname, ipCanonical, publicAddress, numberFormat, portRange,
  portService, evidenceRefs, verdictStrength, evidenceQuote, evidenceDate, sourceUrl, haDomain, modeline, canonicalFormat,
];

export interface LintOptions {
  /** Check only these files (paths below the devices folder); the rest are read only as far as cross-file rules need. */
  only?: string[];
  /** Keep each file's parsed document and text (for fix); otherwise they are released once checked. */
  keepDocuments?: boolean;
  /** Check aliases across the files of this run (a parallel run does it once over all slices instead). */
  crossFileAliases?: boolean;
  today?: string;
  displayBase?: string;
  rules?: readonly Rule[];
  /** Told after each file is read for checking: how many so far, of how many (for a progress line). */
  onFile?: (checked: number, total: number) => void;
}

export interface LintResult { files: LoadedFile[]; problems: Problem[]; checked: number; claims: NameClaim[] }

/** An id or alias as one file states it, with where: what the cross-file uniqueness check needs. */
export interface NameClaim { name: string; relPath: string; file: string; line: number; col: number; kind: 'id' | 'alias' }

/** What every file may know of the others: vendor files, their groups, and every device's path-derived id. */
export function buildIndex(vendorFiles: LoadedFile[], today: string, allRelPaths: string[]): DatasetIndex {
  const claims: DatasetIndex['claims'] = new Map();
  const vendors = new Map<string, LoadedFile>();
  const groups = new Map<string, Rec>();
  for (const rel of allRelPaths) {
    if (!rel.endsWith('/' + VENDOR_FILE)) claims.set(rel.replace(/\.ya?ml$/, ''), [{ file: { relPath: rel, path: rel } as LoadedFile, path: ['id'] }]);
  }
  for (const file of vendorFiles) {
    if (!isRecord(file.data)) continue;
    const vendor = file.relPath.split('/')[0]!;
    vendors.set(vendor, file);
    for (const g of asArray(file.data.groups)) if (isRecord(g) && typeof g.id === 'string') groups.set(`${vendor}/${g.id}`, g);
  }
  return { claims, vendors, groups, today };
}

/** A file with more problems than this shows only the first ones: a pasted log should not print megabytes. */
export const MAX_MESSAGES_PER_FILE = 200;

/** Up to this many named files, a run reads only the vendor files they need. */
const TARGETED_VENDOR_LOADING = 64;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Checks the device files: every problem, in one run. */
export function lint(devicesDir: string, options: LintOptions = {}): LintResult {
  const steps = lintSteps(devicesDir, options);
  for (;;) { const step = steps.next(); if (step.done) return step.value; }
}

/**
 * The same check, giving the event loop a turn after each file: a signal handler runs only on the event loop,
 * so this is what lets Ctrl+C end a long run at once, in commands that check on their main thread.
 */
export async function lintAsync(devicesDir: string, options: LintOptions = {}): Promise<LintResult> {
  const steps = lintSteps(devicesDir, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The body of lint(): yields once per file checked. */
function* lintSteps(devicesDir: string, options: LintOptions): Generator<void, LintResult> {
  const rules = options.rules ?? RULES;
  const all = existsSync(devicesDir) ? listDataFiles(devicesDir) : [];
  const only = options.only ? new Set(options.only) : null;
  // A few named files are read first, so that only the vendor files they need (their own, and the ones whose
  // groups they use) are read too; a larger run reads every vendor file once and its device files one by one.
  const preloaded = new Map<string, LoadedFile>();
  let vendorRels = all.filter((rel) => rel.endsWith('/' + VENDOR_FILE));
  if (only && only.size <= TARGETED_VENDOR_LOADING) {
    const needed = new Set<string>();
    for (const rel of all) {
      if (!only.has(rel)) continue;
      needed.add(rel.split('/')[0]!);
      const file = loadFile(devicesDir, rel, options.displayBase);
      preloaded.set(rel, file);
      if (isRecord(file.data)) for (const e of asArray(file.data.endpoints)) if (isRecord(e) && typeof e.group === 'string') needed.add(e.group.split('/')[0]!);
    }
    vendorRels = vendorRels.filter((rel) => needed.has(rel.split('/')[0]!));
  }
  const vendorFiles = vendorRels.map((rel) => preloaded.get(rel) ?? loadFile(devicesDir, rel, options.displayBase));
  const index = buildIndex(vendorFiles, options.today ?? today(), all);
  const vendorByPath = new Map(vendorFiles.map((f) => [f.relPath, f]));
  const problems: Problem[] = [];
  const claims: NameClaim[] = [];
  const files: LoadedFile[] = [];
  let checked = 0;
  const total = only ? all.filter((rel) => only.has(rel)).length : all.length;
  for (const rel of all) {
    if (only && !only.has(rel)) { if (vendorByPath.has(rel)) files.push(vendorByPath.get(rel)!); continue; }
    // Device files are read one at a time and released after their check, so memory stays flat.
    const file = vendorByPath.get(rel) ?? preloaded.get(rel) ?? loadFile(devicesDir, rel, options.displayBase);
    files.push(file);
    checked++;
    options.onFile?.(checked, total);
    yield;
    problems.push(...file.problems);
    if (file.kind === 'device' && isRecord(file.data)) {
      // Taken before the rules run: canonical-format may reorder the document afterwards.
      const named: [unknown, PathSegment[], NameClaim['kind']][] = [[file.data.id, ['id'], 'id'], ...asArray(file.data.aliases).map((a, i): [unknown, PathSegment[], NameClaim['kind']] => [a, ['aliases', i], 'alias'])];
      for (const [name, path, kind] of named) if (typeof name === 'string') claims.push({ name, relPath: file.relPath, file: file.path, ...locate(file, path), kind });
    }
    if (!isRecord(file.data)) {
      if (file.problems.length === 0) problems.push({ file: file.path, line: 1, col: 1, rule: 'schema', severity: 'error', message: 'the file must hold a YAML mapping', hint: 'start from the example in CONTRIBUTING.md' });
      continue;
    }
    // Schema messages' paths, and every prefix of them: "does this message overlap one" is then a few lookups.
    const schemaPaths = new Set<string>();
    const schemaPrefixes = new Set<string>();
    const overlapsSchema = (path: PathSegment[]) => {
      let key = '';
      for (const seg of path) { key += `/${String(seg)}`; if (schemaPaths.has(key)) return true; }
      return schemaPrefixes.has(key);
    };
    let errors = 0;
    let shown = 0;
    let hidden = 0;
    for (const rule of rules) {
      if (!rule.appliesTo.includes(file.kind)) continue;
      if (rule === canonicalFormat && errors > 0) continue;
      rule.check({
        file,
        data: file.data,
        dataset: index,
        report(path, message, opts = {}) {
          if (rule === schema) {
            let key = '';
            for (const seg of path) { key += `/${String(seg)}`; schemaPrefixes.add(key); }
            if (key) schemaPaths.add(key);
          } else if (path.length > 0 && overlapsSchema(path)) return; // one mistake, one message; file-level checks (modeline, vendor-file) stand apart
          const severity = opts.severity ?? 'error';
          if (severity === 'error') errors++;
          if (shown >= MAX_MESSAGES_PER_FILE) { hidden++; return; }
          shown++;
          const pos = opts.line ? { line: opts.line, col: 1 } : locate(file, path, opts.at);
          problems.push({ file: file.path, ...pos, rule: rule.name, severity, message, ...(opts.hint ? { hint: opts.hint } : {}) });
        },
      });
    }
    if (hidden) {
      problems.push({ file: file.path, line: 1, col: 1, rule: 'too-many-problems', severity: 'error', message: `${hidden} more problem${hidden === 1 ? '' : 's'} in this file not shown (the first ${MAX_MESSAGES_PER_FILE} are)`, hint: 'fix these, then run again' });
    }
    if (!options.keepDocuments && file.kind === 'device') { file.doc = null; file.text = ''; }
  }
  if (options.crossFileAliases ?? true) problems.push(...aliasCollisions(claims));
  if (!options.only && existsSync(devicesDir)) problems.push(...strayDataFiles(devicesDir, options.displayBase));
  problems.sort(compareProblems);
  return { files, problems, checked, claims };
}

