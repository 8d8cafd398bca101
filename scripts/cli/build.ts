import { resolve } from 'node:path';
import { defineCommand, devicesDir, EXIT, plural, UserError } from './args.js';

export default defineCommand({
  name: 'build',
  summary: 'validate, then write the dataset, API, CSV, schemas, index, MUD files, blocklists and site',
  usage: '[options]',
  description: 'Validates every device file, then writes the dataset, per-device API, CSV, schemas, INDEX.md, one MUD file per\ndevice, the household blocklists and the site into the output folder, on every core. The files go into a sibling\nfolder that replaces the output folder once the build has succeeded: nothing changes when a file fails validation.',
  options: {
    out: { type: 'string', value: '<dir>', description: 'the output folder (default dist)' },
    skip: { type: 'string', list: true, value: '<emitter>[,…]', description: 'leave out these outputs' },
  },
  async run({ values }) {
    const { buildTo, EMITTERS } = await import('../build/index.js');
    const names = EMITTERS.map((e) => e.name);
    const skip = new Set(values.skip ?? []);
    const unknown = [...skip].filter((name) => !names.includes(name));
    if (unknown.length) throw new UserError(`build: --skip: no emitter named ${unknown.join(', ')}`, EXIT.usage, `emitters: ${names.join(', ')}`);
    const outDir = resolve(values.out ?? 'dist');
    const { checkOutputDir } = await import('../lib/output-dir.js');
    const { ROOT } = await import('../lib/project.js');
    // Refused before the (long) build runs, and again, under the lock, before anything is replaced.
    checkOutputDir(outDir, { project: ROOT, devices: devicesDir() });
    const { statusLine } = await import('../lib/status-line.js');
    const status = statusLine();
    const progress = status ? (text: string, stage?: boolean) => status.show(`build: ${text}`, stage) : undefined;
    const result = await buildTo(devicesDir(), outDir, EMITTERS.filter((e) => !skip.has(e.name)), { guarded: { devices: devicesDir() }, ...(progress ? { progress } : {}) })
      .finally(() => status?.done());
    if ('errors' in result) {
      process.stderr.write(result.errors.join('\n') + `\nbuild refused: ${plural(result.errors.length, 'error')}; run npm run validate\n`);
      return EXIT.problems;
    }
    process.stderr.write(`built ${result.dataset.meta.deviceCount} devices into ${outDir} (${result.written.length} files)\n`);
    return EXIT.ok;
  },
});
