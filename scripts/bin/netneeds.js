#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the published package needs no build step of its own.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
