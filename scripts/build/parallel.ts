import { moduleWorker } from '../lib/module-worker.js';
import type { OutputFile, WrittenFile } from './emit/emitter.js';
import type { CheckedSlice, SliceTask } from './slice.js';
import type { EmitOrder } from './worker.js';

/** A build worker thread: first its checked slice, then, on `emit`, the files it wrote. */
export interface SliceWorker {
  checked: Promise<CheckedSlice>;
  emit(order: EmitOrder | null): Promise<{ written: WrittenFile[]; files: OutputFile[] } | null>;
  /** Ends the thread now: before the staging folder it writes into is removed. */
  stop(): Promise<void>;
}

export function startWorker(task: SliceTask): SliceWorker {
  const worker = moduleWorker(import.meta.url, './worker.ts', './build-worker.mjs', 'buildWorker', task);
  const messages: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  let failure: Error | null = null;
  const failed: ((e: Error) => void)[] = [];
  worker.on('message', (m) => { const w = waiting.shift(); if (w) w(m); else messages.push(m); });
  const fail = (e: Error) => { failure = e; for (const f of failed.splice(0)) f(e); };
  worker.once('error', fail);
  worker.once('exit', (code) => { if (code !== 0) fail(new Error(`build worker exited with ${code}`)); });
  const next = <T>() => new Promise<T>((ok, ko) => {
    if (messages.length) return ok(messages.shift() as T);
    if (failure) return ko(failure);
    waiting.push(ok as (m: unknown) => void);
    failed.push(ko);
  });
  return {
    checked: next<CheckedSlice>(),
    async emit(order) {
      worker.postMessage(order);
      try { return await next(); } finally { void worker.terminate(); }
    },
    async stop() { await worker.terminate(); },
  };
}
