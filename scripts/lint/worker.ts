import { parentPort, workerData } from 'node:worker_threads';
import { lint } from './index.js';
import type { WorkerResult, WorkerTask } from './parallel.js';

/** Body of a lint worker thread (see parallel.ts): lints its slice and posts the result. */
export function lintWorker(): void {
  const task = workerData as WorkerTask;
  // Progress, when asked for, every 20 files: the main thread adds up the slices for its progress line.
  const onFile = (checked: number, total: number) => { if (checked % 20 === 0 || checked === total) parentPort!.postMessage({ progress: checked }); };
  const result = lint(task.devicesDir, { only: task.only, today: task.today, displayBase: task.displayBase, crossFileAliases: false, ...(task.progress ? { onFile } : {}) });
  const only = new Set(task.only);
  const message: WorkerResult = {
    problems: result.problems,
    checked: result.checked,
    claims: result.claims,
    files: result.files.filter((f) => only.has(f.relPath)).map((f) => ({ relPath: f.relPath, kind: f.kind, data: task.withData ? f.data : undefined })),
  };
  parentPort!.postMessage(message);
}
