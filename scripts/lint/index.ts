import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listDataFiles, loadFile, locate, VENDOR_FILE, type LoadedFile, type PathSegment } from '../lib/load.js';
import { compareProblems, type Problem } from '../lib/problems.js';
import { asArray, isRecord, type Rec } from '../lib/walk.js';
import type { DatasetIndex, Rule } from './rule.js';
import { schema } from './rules/schema.js';
import { idPath } from './rules/id-path.js';
import { uniqueIds } from './rules/unique-ids.js';
import { vendorFile } from './rules/vendor-file.js';
import { destination } from './rules/destination.js';
import { hostname } from './rules/hostname.js';
import { ipCanonical } from './rules/ip-canonical.js';
import { publicAddress } from './rules/public-address.js';
import { portRange } from './rules/port-range.js';
import { portService } from './rules/port-service.js';
import { evidenceRefs } from './rules/evidence-refs.js';
import { evidenceDate } from './rules/evidence-date.js';
import { sourceUrl } from './rules/source-url.js';
import { haDomain } from './rules/ha-domain.js';
import { groupRefs } from './rules/group-refs.js';
import { modeline } from './rules/modeline.js';
import { canonicalFormat } from './rules/canonical-format.js';

/** Order matters only for reading: the schema first, formatting last. */
export const RULES: readonly Rule[] = [
  schema, idPath, uniqueIds, vendorFile, groupRefs, destination, hostname, ipCanonical, publicAddress, portRange,
  portService, evidenceRefs, evidenceDate, sourceUrl, haDomain, modeline, canonicalFormat,
];

export interface LintOptions {
  /** Check only these files (paths below the devices folder); the rest are read only as far as cross-file rules need. */
  only?: string[];
  today?: string;
  displayBase?: string;
  rules?: readonly Rule[];
}

export interface LintResult { files: LoadedFile[]; problems: Problem[]; checked: number }

const overlaps = (a: PathSegment[], b: PathSegment[]) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
};

export function buildIndex(files: LoadedFile[], today: string, allRelPaths: string[]): DatasetIndex {
  const claims: DatasetIndex['claims'] = new Map();
  const vendors = new Map<string, LoadedFile>();
  const groups = new Map<string, Rec>();
  const claim = (name: string, file: LoadedFile, path: PathSegment[]) => {
    const list = claims.get(name) ?? [];
    list.push({ file, path });
    claims.set(name, list);
  };
  const loadedByPath = new Map(files.map((f) => [f.relPath, f]));
  for (const rel of allRelPaths) {
    const file = loadedByPath.get(rel);
    if (!file) {
      // Not loaded in a partial run: its id is its path, as the id-path rule guarantees on a full run.
      if (!rel.endsWith('/' + VENDOR_FILE)) claim(rel.replace(/\.ya?ml$/, ''), { relPath: rel, path: rel } as LoadedFile, ['id']);
      continue;
    }
    if (!isRecord(file.data)) continue;
    if (file.kind === 'vendor') {
      const vendor = rel.split('/')[0]!;
      vendors.set(vendor, file);
      for (const g of asArray(file.data.groups)) if (isRecord(g) && typeof g.id === 'string') groups.set(`${vendor}/${g.id}`, g);
      continue;
    }
    if (typeof file.data.id === 'string') claim(file.data.id, file, ['id']);
    asArray(file.data.aliases).forEach((a, i) => typeof a === 'string' && claim(a, file, ['aliases', i]));
  }
  return { claims, vendors, groups, today };
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function lint(devicesDir: string, options: LintOptions = {}): LintResult {
  const rules = options.rules ?? RULES;
  const all = existsSync(devicesDir) ? listDataFiles(devicesDir) : [];
  const only = options.only ? new Set(options.only) : null;
  // Partial runs still read vendor files: group references and vendor-file checks need them.
  const toLoad = only ? all.filter((rel) => only.has(rel) || rel.endsWith('/' + VENDOR_FILE)) : all;
  const files = toLoad.map((rel) => loadFile(devicesDir, rel, options.displayBase));
  const index = buildIndex(files, options.today ?? today(), all);
  const problems: Problem[] = [];
  let checked = 0;
  for (const file of files) {
    if (only && !only.has(file.relPath)) continue;
    checked++;
    problems.push(...file.problems);
    if (!isRecord(file.data)) {
      if (file.problems.length === 0) problems.push({ file: file.path, line: 1, col: 1, rule: 'schema', severity: 'error', message: 'the file must hold a YAML mapping', hint: 'start from the example in CONTRIBUTING.md' });
      continue;
    }
    const schemaPaths: PathSegment[][] = [];
    let errors = 0;
    for (const rule of rules) {
      if (!rule.appliesTo.includes(file.kind)) continue;
      if (rule === canonicalFormat && errors > 0) continue;
      rule.check({
        file,
        data: file.data,
        dataset: index,
        report(path, message, opts = {}) {
          if (rule === schema) schemaPaths.push(path);
          else if (schemaPaths.some((p) => overlaps(p, path) && (p.length > 0 || path.length === 0))) return; // one mistake, one message
          const severity = opts.severity ?? 'error';
          if (severity === 'error') errors++;
          const pos = opts.line ? { line: opts.line, col: 1 } : locate(file, path, opts.at);
          problems.push({ file: file.path, ...pos, rule: rule.name, severity, message, ...(opts.hint ? { hint: opts.hint } : {}) });
        },
      });
    }
  }
  problems.sort(compareProblems);
  return { files, problems, checked };
}

export function devicesDirOf(root: string): string {
  return join(root, 'devices');
}
