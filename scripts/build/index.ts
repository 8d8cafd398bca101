import { replaceOutputDir } from '../lib/output-dir.js';
import { ROOT } from '../lib/project.js';
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

/** Replaces outDir with exactly these files, atomically and only when a build made it (see lib/output-dir.ts). */
export function writeOutput(outDir: string, files: OutputFile[], guarded: { devices?: string } = {}): void {
  replaceOutputDir(outDir, files, { project: ROOT, ...guarded });
}
