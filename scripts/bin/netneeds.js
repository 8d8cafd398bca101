#!/usr/bin/env node
// The installed package runs the compiled CLI in lib/ (npm pack builds it). A clone runs its TypeScript sources:
// compiled on first use into node_modules/.cache (fast start), or through tsx when that cannot be written.
import { existsSync } from 'node:fs';

let entry;
if (existsSync(new URL('../cli/index.ts', import.meta.url))) {
  const { compiledCli } = await import('./compile.js');
  entry = await compiledCli();
  if (!entry) {
    const { register } = await import('tsx/esm/api');
    register();
    entry = new URL('../cli/index.ts', import.meta.url).href;
  }
} else {
  entry = new URL('../../lib/cli.mjs', import.meta.url).href;
}
const { runCli } = await import(entry);
await runCli(process.argv.slice(2));
