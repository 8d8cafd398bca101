// The part of a build that works file by file: check a slice of the device files, model its devices, and write
// their per-device outputs. It runs in worker threads on a large tree and in-process on a small one.
import { lint, lintAsync, type LintResult } from '../lint/index.js';
import { explain } from '../lint/rules/schema.js';
import type { NameClaim } from '../lint/index.js';
import type { Problem } from '../lib/problems.js';
import { validators } from '../lib/validators.js';
import type { SourceDevice, SourceVendor } from '../lib/source-types.js';
import { datasetMeta, deviceModel } from './model.js';
import type { Dataset, Device } from './types.js';
import type { DeviceContext, Emitter, Output } from './emit/emitter.js';

export interface SliceTask { devicesDir: string; only?: string[]; today: string; displayBase: string; crossFileAliases: boolean }

export interface CheckedSlice {
  problems: Problem[];
  claims: NameClaim[];
  /** Vendor files of this slice, as data: [vendor id, source]. */
  vendors: [string, SourceVendor][];
  /** Models of this slice's devices; empty when any file of the slice has an error. */
  devices: Device[];
  /** Bundle-schema errors of the models (a bug in the model, never in the data). */
  modelErrors: string[];
}

/** Checks the slice; models its devices if every file in it passed. */
export function checkSlice(task: SliceTask): CheckedSlice {
  return modelSlice(task, lint(task.devicesDir, { only: task.only, today: task.today, displayBase: task.displayBase, crossFileAliases: task.crossFileAliases }));
}

/** The same on the main thread: the event loop gets a turn after each file, so Ctrl+C is answered at once. */
export async function checkSliceAsync(task: SliceTask, onFile?: (checked: number, total: number) => void): Promise<CheckedSlice> {
  return modelSlice(task, await lintAsync(task.devicesDir, { only: task.only, today: task.today, displayBase: task.displayBase, crossFileAliases: task.crossFileAliases, ...(onFile ? { onFile } : {}) }));
}

function modelSlice(task: SliceTask, result: LintResult): CheckedSlice {
  const only = task.only ? new Set(task.only) : null;
  const mine = result.files.filter((f) => !only || only.has(f.relPath));
  const vendors: [string, SourceVendor][] = mine.filter((f) => f.kind === 'vendor').map((f) => [f.relPath.split('/')[0]!, f.data as SourceVendor]);
  const out: CheckedSlice = { problems: result.problems, claims: result.claims, vendors, devices: [], modelErrors: [] };
  if (result.problems.some((p) => p.severity === 'error')) return out;
  const allVendors = new Map(result.files.filter((f) => f.kind === 'vendor').map((f) => [f.relPath.split('/')[0]!, f.data as SourceVendor]));
  out.devices = mine.filter((f) => f.kind === 'device').map((f) => deviceModel(f.relPath, f.data as SourceDevice, allVendors));
  out.modelErrors = checkModels({ meta: datasetMeta([], out.devices), vendors: [], devices: out.devices });
  return out;
}

/** Checks (part of) the dataset against the published bundle schema. */
export function checkModels(part: Dataset): string[] {
  const check = validators().bundle;
  if (check(part as unknown)) return [];
  return explain(check.errors ?? [], part).map((m) => {
    const [top, index, ...rest] = m.path;
    const where = top === 'devices' && typeof index === 'number' ? `device ${part.devices[index]?.id}: /${rest.join('/')}` : `/${m.path.join('/')}`;
    return `dist/netneeds.json: ${where}: ${m.message}`;
  });
}

/** Runs the per-device part of each emitter over these devices. */
export function emitDevices(devices: readonly Device[], emitters: readonly Emitter[], context: DeviceContext, out: Output): void {
  for (const device of devices) for (const e of emitters) e.device?.(device, context, out);
}
