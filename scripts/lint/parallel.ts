import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { moduleWorker } from '../lib/module-worker.js';
import { listDataFiles, strayDataFiles, VENDOR_FILE, type LoadedFile } from '../lib/load.js';
import { compareProblems, type Problem } from '../lib/problems.js';
import { lintAsync, today, type LintOptions, type LintResult, type NameClaim } from './index.js';
import { aliasCollisions } from './rules/unique-ids.js';

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 400;

export interface WorkerTask { devicesDir: string; only: string[]; today: string; displayBase: string; withData: boolean; progress: boolean }
export interface WorkerFile { relPath: string; kind: LoadedFile['kind']; data: unknown }
export interface WorkerResult { problems: Problem[]; checked: number; claims: NameClaim[]; files: WorkerFile[] }

/**
 * Lints on every core: each worker checks a slice of the files with the same `lint`, reading the vendor
 * files and every other file's path-derived id; aliases that collide across slices are checked here.
 */
export async function lintParallel(devicesDir: string, options: LintOptions & { withData?: boolean } = {}): Promise<LintResult> {
  const all = existsSync(devicesDir) ? listDataFiles(devicesDir) : [];
  const targets = options.only ?? all;
  const workers = Math.min(availableParallelism(), 4);
  if (targets.length < PARALLEL_THRESHOLD || workers < 2 || options.rules) return lintAsync(devicesDir, options);
  // Vendor files first: every slice loads them anyway, so their checks cost nothing extra in slice 0.
  const sorted = [...targets.filter((r) => r.endsWith('/' + VENDOR_FILE)), ...targets.filter((r) => !r.endsWith('/' + VENDOR_FILE))];
  const slices: string[][] = Array.from({ length: workers }, () => []);
  sorted.forEach((rel, i) => slices[i % workers]!.push(rel));
  const day = options.today ?? today();
  const done = slices.map(() => 0);
  const onProgress = options.onFile ? (slice: number, checked: number) => { done[slice] = checked; options.onFile!(done.reduce((a, b) => a + b, 0), targets.length); } : undefined;
  const results = await Promise.all(slices.map((only, i) => runWorker({
    devicesDir, only, today: day, displayBase: options.displayBase ?? process.cwd(), withData: options.withData ?? false, progress: !!onProgress,
  }, onProgress && ((checked) => onProgress(i, checked)))));
  const problems = results.flatMap((r) => r.problems);
  problems.push(...aliasCollisions(results.flatMap((r) => r.claims)));
  if (!options.only) problems.push(...strayDataFiles(devicesDir, options.displayBase));
  problems.sort(compareProblems);
  const seen = new Set<string>();
  const files = results.flatMap((r) => r.files).filter((f) => !seen.has(f.relPath) && seen.add(f.relPath)) as unknown as LoadedFile[];
  return { files, problems, checked: results.reduce((n, r) => n + r.checked, 0), claims: results.flatMap((r) => r.claims) };
}

function runWorker(task: WorkerTask, onProgress?: (checked: number) => void): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = moduleWorker(import.meta.url, './worker.ts', './worker.mjs', 'lintWorker', task);
    worker.on('message', (m: WorkerResult | { progress: number }) => {
      if ('progress' in m) { onProgress?.(m.progress); return; }
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`lint worker exited with ${code}`)); });
  });
}
