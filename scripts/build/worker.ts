import { parentPort, workerData } from 'node:worker_threads';
import { DiskOutput, MemoryOutput } from './output.js';
import { checkSlice, emitDevices, type SliceTask } from './slice.js';
import { EMITTERS } from './emitters.js';
import type { DeviceContext } from './emit/emitter.js';

export interface EmitOrder { context: DeviceContext; emitters: string[]; out: string | null }

/**
 * Body of a build worker thread (see parallel.ts): checks and models its slice and posts the result; then, told to
 * go on, writes its devices' files and posts what it wrote. Told to stop (another slice failed), it writes nothing.
 */
export function buildWorker(): void {
  const task = workerData as SliceTask;
  const checked = checkSlice(task);
  parentPort!.postMessage(checked);
  parentPort!.once('message', (order: EmitOrder | null) => {
    if (!order) { parentPort!.postMessage(null); return; }
    const emitters = order.emitters.map((name) => EMITTERS.find((e) => e.name === name)!);
    const out = order.out ? new DiskOutput(order.out) : new MemoryOutput();
    emitDevices(checked.devices, emitters, order.context, out);
    parentPort!.postMessage({ written: out.written, files: out instanceof MemoryOutput ? out.files : [] });
  });
}
