import { parentPort, workerData } from 'node:worker_threads';
import { lint } from './index.js';
import type { WorkerResult, WorkerTask } from './parallel.js';

/** Body of a lint worker thread (see parallel.ts): lints its slice and posts the result. */
export function lintWorker(): void {
  const task = workerData as WorkerTask;
  const result = lint(task.devicesDir, { only: task.only, today: task.today, displayBase: task.displayBase, crossFileAliases: false });
  const only = new Set(task.only);
  const message: WorkerResult = {
    problems: result.problems,
    checked: result.checked,
    claims: result.claims,
    files: result.files.filter((f) => only.has(f.relPath)).map((f) => ({ relPath: f.relPath, kind: f.kind, data: task.withData ? f.data : undefined })),
  };
  parentPort!.postMessage(message);
}
