import { resolve } from 'node:path';
import { buildTo, EMITTERS } from '../build/index.js';
import { devicesDir } from './check.js';

export async function runBuild(args: string[]): Promise<number> {
  const outIndex = args.indexOf('--out');
  const outDir = resolve(outIndex >= 0 ? args[outIndex + 1]! : 'dist');
  const skipIndex = args.indexOf('--skip');
  const skip = skipIndex >= 0 ? new Set(args[skipIndex + 1]!.split(',')) : new Set<string>();
  const unknown = [...skip].filter((name) => !EMITTERS.some((e) => e.name === name));
  if (unknown.length) { process.stderr.write(`--skip: no emitter named ${unknown.join(', ')} (emitters: ${EMITTERS.map((e) => e.name).join(', ')})\n`); return 2; }
  const result = await buildTo(devicesDir(), outDir, EMITTERS.filter((e) => !skip.has(e.name)));
  if ('errors' in result) {
    process.stderr.write(result.errors.join('\n') + `\nbuild refused: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; run npm run validate\n`);
    return 1;
  }
  process.stderr.write(`built ${result.dataset.meta.deviceCount} devices into ${outDir} (${result.written.length} files)\n`);
  return 0;
}
