import type { Dataset } from '../types.js';

/** One file of the build output, relative to dist/. */
export interface OutputFile { path: string; content: string | Uint8Array }

/** Each output format is one emitter working on the same loaded model. */
export interface Emitter {
  name: string;
  /** `earlier`: what the emitters before this one wrote (the site lists downloads and their sizes). */
  emit(dataset: Dataset, earlier: readonly OutputFile[]): OutputFile[] | Promise<OutputFile[]>;
}

export const json = (value: unknown, indent = 2) => JSON.stringify(value, null, indent) + '\n';
