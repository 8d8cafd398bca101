import { Worker } from 'node:worker_threads';

/**
 * A worker thread that runs the function `start` of a CLI module. From TypeScript sources a worker needs tsx's
 * loader registered first (workers do not inherit it); from the compiled CLI (scripts/bin/compile.js, and lib/ in
 * the package), every worker entry is a file beside every chunk. `caller`: the import.meta.url of the module that
 * names `source` and `compiled`, relative to itself.
 */
export function moduleWorker(caller: string, source: string, compiled: string, start: string, workerData: unknown): Worker {
  const fromSources = caller.endsWith('.ts');
  const entry = new URL(fromSources ? source : compiled, caller).href;
  const load = fromSources ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` : `import(${JSON.stringify(entry)})`;
  return new Worker(`${load}.then((m) => m.${start}())`, { eval: true, workerData });
}
