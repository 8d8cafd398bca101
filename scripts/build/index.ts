import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { listDataFiles, VENDOR_FILE } from '../lib/load.js';
import { replaceOutputDir, replaceOutputDirWith } from '../lib/output-dir.js';
import { ROOT } from '../lib/project.js';
import { compareProblems, formatProblem, type Problem } from '../lib/problems.js';
import { today } from '../lint/index.js';
import { aliasCollisions } from '../lint/rules/unique-ids.js';
import type { SourceVendor } from '../lib/source-types.js';
import { assembleDataset, vendorModels } from './model.js';
import type { Dataset, Device } from './types.js';
import type { DeviceContext, Emitter, OutputFile, WrittenFile } from './emit/emitter.js';
import { DiskOutput, MemoryOutput } from './output.js';
import { checkModels, checkSliceAsync, emitDevices, type CheckedSlice, type SliceTask } from './slice.js';
import { startWorker, type SliceWorker } from './parallel.js';
import { EMITTERS } from './emitters.js';

export { EMITTERS } from './emitters.js';
export type { OutputFile, WrittenFile } from './emit/emitter.js';

/**
 * Downloads the site links from its own root. They are written once, beside dist/site, not copied into it:
 * the preview server and the Pages deploy serve both.
 */
export const PUBLISHED_DOWNLOADS = /^(netneeds\.(json|csv)|api\/|schema\/|mud\/|blocklists\/)/;

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 400;

export interface BuildOptions {
  /** Worker threads for the per-file work; default: up to 4 cores for large trees, none for small ones. */
  workers?: number;
  /** Told what the build is doing, for a progress line; `stage` marks a new step (drawn at once). */
  progress?: (text: string, stage?: boolean) => void;
}

export interface BuildResult { dataset: Dataset; files: OutputFile[] }
export interface WrittenBuild { dataset: Dataset; written: WrittenFile[] }

/** Builds in memory: the dataset and every file. For tests and for callers that want the dataset only (no emitters). */
export async function build(devicesDir: string, emitters: readonly Emitter[] = EMITTERS, options: BuildOptions = {}): Promise<BuildResult | { errors: string[] }> {
  const result = await run(devicesDir, emitters, null, options);
  if ('errors' in result) return result;
  // Paths sorted: the order does not depend on which thread wrote a file.
  const files = result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { dataset: result.dataset, files };
}

/**
 * Builds into outDir: files go to disk as they are made, in a sibling folder that replaces outDir only once the
 * build has succeeded.
 */
export async function buildTo(devicesDir: string, outDir: string, emitters: readonly Emitter[] = EMITTERS, options: BuildOptions & { guarded?: { devices?: string } } = {}): Promise<WrittenBuild | { errors: string[] }> {
  // The output is replaced whole, under a lock, and only when a build made it (lib/output-dir.ts).
  return replaceOutputDirWith(outDir, { project: ROOT, ...options.guarded }, async (staging) => {
    const result = await run(devicesDir, emitters, staging, options);
    return 'errors' in result ? result : { dataset: result.dataset, written: result.written };
  });
}

/** Writes files into outDir, replacing it (for callers that hold a build in memory). */
export function writeOutput(outDir: string, files: readonly OutputFile[]): void {
  replaceOutputDir(outDir, [...files], { project: ROOT });
}

interface RunResult { dataset: Dataset; written: WrittenFile[]; files: OutputFile[] }

async function run(devicesDir: string, emitters: readonly Emitter[], outDir: string | null, options: BuildOptions): Promise<RunResult | { errors: string[] }> {
  const all = existsSync(devicesDir) ? listDataFiles(devicesDir) : [];
  const workers = options.workers ?? (all.length >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 4) : 1);
  const base: Omit<SliceTask, 'only' | 'crossFileAliases'> = { devicesDir, today: today(), displayBase: process.cwd() };

  // 1. Check and model every file: in slices on worker threads, or here.
  let slices: CheckedSlice[];
  let threads: SliceWorker[] = [];
  if (workers > 1) {
    // Vendor files first, dealt round-robin with the devices, so every slice holds a share of both.
    const sorted = [...all.filter((r) => r.endsWith('/' + VENDOR_FILE)), ...all.filter((r) => !r.endsWith('/' + VENDOR_FILE))];
    const parts: string[][] = Array.from({ length: workers }, () => []);
    sorted.forEach((rel, i) => parts[i % workers]!.push(rel));
    options.progress?.(`checking ${all.length} files on ${workers} threads`, true);
    threads = parts.map((only) => startWorker({ ...base, only, crossFileAliases: false }));
    slices = await Promise.all(threads.map((t) => t.checked));
  } else {
    const progress = options.progress;
    slices = [await checkSliceAsync({ ...base, crossFileAliases: true }, progress && ((checked, total) => progress(`checking ${checked} of ${total} files`)))];
  }
  const problems: Problem[] = slices.flatMap((s) => s.problems);
  if (workers > 1) problems.push(...aliasCollisions(slices.flatMap((s) => s.claims)));
  const errors = problems.filter((p) => p.severity === 'error').sort(compareProblems);
  if (errors.length) {
    await Promise.all(threads.map((t) => t.emit(null)));
    return { errors: errors.map(formatProblem) };
  }

  // 2. The dataset: every model, checked against the published schema.
  const vendorsSrc = new Map<string, SourceVendor>(slices.flatMap((s) => s.vendors));
  const devices: Device[] = slices.flatMap((s) => s.devices);
  const dataset = assembleDataset(vendorModels(vendorsSrc), devices);
  const modelErrors = [...slices.flatMap((s) => s.modelErrors), ...checkModels({ ...dataset, devices: [] })];
  if (modelErrors.length) {
    await Promise.all(threads.map((t) => t.emit(null)));
    return { errors: modelErrors };
  }

  // 3. Per-device files on the workers while this thread writes what needs the whole dataset.
  const context: DeviceContext = { meta: dataset.meta, vendors: dataset.vendors.map((v) => ({ id: v.id, name: v.name })) };
  const out = outDir ? new DiskOutput(outDir) : new MemoryOutput();
  options.progress?.(`writing the files of ${dataset.devices.length} devices`, true);
  const perDevice = emitters.filter((e) => e.device);
  let fromThreads: Promise<({ written: WrittenFile[]; files: OutputFile[] } | null)[]> = Promise.resolve([]);
  if (threads.length) {
    const names = perDevice.map((e) => e.name);
    const unknown = perDevice.filter((e) => !EMITTERS.includes(e));
    if (unknown.length) throw new Error(`emitters ${unknown.map((e) => e.name).join(', ')} cannot run on workers: they are not in EMITTERS`);
    fromThreads = Promise.all(threads.map((t) => t.emit({ context, emitters: names, out: outDir })));
  } else {
    emitDevices(dataset.devices, perDevice, context, out);
  }
  let fromWorkers: Awaited<typeof fromThreads>;
  try {
    for (const e of emitters) {
      if (!e.dataset) continue;
      options.progress?.(`writing ${e.name}`, true);
      await e.dataset(dataset, out);
    }
    fromWorkers = await fromThreads;
  } catch (e) {
    // A failure here must not race the workers: they still write into the folder the caller is about to remove.
    await Promise.allSettled([fromThreads, ...threads.map((t) => t.stop())]);
    throw e;
  }
  const written = [...out.written];
  const files = out instanceof MemoryOutput ? [...out.files] : [];
  for (const r of fromWorkers) { if (r) { written.push(...r.written); files.push(...r.files); } }
  const seen = new Set<string>();
  for (const w of written) { if (seen.has(w.path)) throw new Error(`two emitters wrote ${w.path}`); seen.add(w.path); }

  // 4. What lists the others: it sees every file written so far.
  const sortedWritten = written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const before = out.written.length;
  options.progress?.('writing the indexes', true);
  for (const e of emitters) e.finish?.(dataset, sortedWritten, out);
  const finished = out.written.slice(before);
  if (out instanceof MemoryOutput) files.push(...out.files.slice(out.files.length - finished.length));
  return { dataset, written: [...sortedWritten, ...finished], files };
}
