import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lintParallel } from '../lint/parallel.js';
import { formatProblem } from '../lib/problems.js';
import { validators } from '../lib/schemas.js';
import { explain } from '../lint/rules/schema.js';
import { buildDataset } from './model.js';
import type { Dataset } from './types.js';
import type { Emitter, OutputFile } from './emit/emitter.js';
import { bundleEmitter } from './emit/bundle.js';
import { apiEmitter } from './emit/api.js';
import { csvEmitter } from './emit/csv.js';
import { schemasEmitter } from './emit/schemas.js';
import { markdownEmitter } from './emit/markdown.js';
import { siteEmitter } from './emit/site.js';
import { rulesEmitter } from './emit/rules.js';

/** The site comes last: its device and downloads pages link to what the others wrote. */
export const EMITTERS: Emitter[] = [bundleEmitter, apiEmitter, csvEmitter, schemasEmitter, markdownEmitter, rulesEmitter, siteEmitter];

/**
 * Downloads the site links from its own root. They are written once, beside dist/site, not copied into it (the
 * ready-made rules alone are dozens of files per device): the preview server and the Pages deploy serve both.
 */
export const PUBLISHED_DOWNLOADS = /^(netneeds\.(json|csv)|api\/|schema\/|rules\/|mud\/|blocklists\/)/;

export interface BuildResult { dataset: Dataset; files: OutputFile[] }

export async function build(devicesDir: string, emitters: Emitter[] = EMITTERS): Promise<BuildResult | { errors: string[] }> {
  const result = await lintParallel(devicesDir, { withData: true });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) return { errors: errors.map(formatProblem) };
  const dataset = buildDataset(result.files);
  const bundleCheck = validators().bundle;
  if (!bundleCheck(dataset)) {
    return { errors: explain(bundleCheck.errors ?? [], dataset).map((m) => `dist/netneeds.json: /${m.path.join('/')}: ${m.message}`) };
  }
  const files: OutputFile[] = [];
  // One push per file: spreading an emitter's hundreds of thousands of files into push() overflows the stack.
  for (const emitter of emitters) for (const f of await emitter.emit(dataset, files)) files.push(f);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return { dataset, files };
}

/** Replaces outDir with exactly these files (a build writes many small files: each folder is made once). */
export function writeOutput(outDir: string, files: OutputFile[]): void {
  const root = resolve(outDir);
  rmSync(root, { recursive: true, force: true });
  const made = new Set<string>();
  for (const f of files) {
    const target = join(root, f.path);
    if (!target.startsWith(root + '/')) throw new Error(`refusing to write outside ${outDir}: ${f.path}`);
    const dir = dirname(target);
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    writeFileSync(target, f.content);
  }
}
