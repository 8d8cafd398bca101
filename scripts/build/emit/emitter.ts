import type { Dataset, DatasetMeta, Device, Vendor } from '../types.js';

/** One file of the build output, relative to dist/. */
export interface OutputFile { path: string; content: string | Uint8Array }
/** What was written, without its content: the downloads page lists sizes. */
export interface WrittenFile { path: string; bytes: number }

/** Where emitters put files. A file goes to disk as soon as it is written: nothing holds the whole output. */
export interface Output {
  write(path: string, content: string | Uint8Array): void;
  /** A file written piece by piece (the bundle holds every device; it is never one string). */
  writeChunks(path: string, chunks: Iterable<string>): void;
}

/** What a per-device emitter knows besides its device: it runs on a slice of the devices, often in a worker thread. */
export interface DeviceContext { meta: DatasetMeta; vendors: Pick<Vendor, 'id' | 'name'>[] }

/**
 * Each output format is one emitter working on the same model. `device` writes one device's files and runs on
 * every core; `dataset` writes what needs every device and runs once; `finish` runs after both, with the list of
 * everything written (the downloads page).
 */
export interface Emitter {
  name: string;
  device?(device: Device, context: DeviceContext, out: Output): void;
  dataset?(dataset: Dataset, out: Output): void | Promise<void>;
  finish?(dataset: Dataset, written: readonly WrittenFile[], out: Output): void;
}

export const json = (value: unknown, indent = 2) => JSON.stringify(value, null, indent) + '\n';
