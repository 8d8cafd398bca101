#!/usr/bin/env node
import { compiledCli } from './compile.js';

// A compiled bundle when one can be built (fast start); otherwise the TypeScript sources through tsx.
let entry = await compiledCli();
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../cli/index.ts', import.meta.url).href;
}
const { runCli } = await import(entry);
await runCli(process.argv.slice(2));
