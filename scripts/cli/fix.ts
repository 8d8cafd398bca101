import { resolve } from 'node:path';
import { defineCommand, devicesDir, EXIT, plural } from './args.js';
import { resolveNamedFiles } from './files.js';

export default defineCommand({
  name: 'fix',
  summary: 'rewrite device files into canonical form (formatting only)',
  usage: '[<file>…] [options]',
  description: 'Puts every device file (or the files named) into canonical form: key order, sorted lists, quoting.\nEach file is written atomically.',
  positionals: { name: 'file' },
  options: {
    quiet: { type: 'boolean', short: 'q', description: 'print only refusals and errors' },
  },
  async run({ values, positionals }) {
    const { lint } = await import('../lint/index.js');
    const { canonicalText } = await import('../lib/canonical.js');
    const { formatProblem } = await import('../lib/problems.js');
    const { writeFileAtomic } = await import('../lib/atomic.js');
    const { describeFailure } = await import('./index.js');
    const dir = devicesDir();
    const named = positionals.length ? resolveNamedFiles(positionals, dir) : undefined;
    for (const p of named?.problems ?? []) process.stderr.write(formatProblem(p) + '\n');
    let refused = named?.problems.length ?? 0;
    let changed = 0;
    const only = named?.only;
    const { files } = only?.length === 0 ? { files: [] } : lint(dir, only ? { only, rules: [], keepDocuments: true } : { rules: [], keepDocuments: true });
    for (const file of files) {
      if (only && !only.includes(file.relPath)) continue;
      if (!file.doc) {
        refused++;
        process.stderr.write(`${file.path}: not rewritten: ${file.problems[0]?.message ?? 'unreadable'}\n`);
        continue;
      }
      const text = canonicalText(file.doc, file.kind);
      if (text === file.text) continue;
      try {
        writeFileAtomic(resolve(dir, file.relPath), text);
        changed++;
        if (!values.quiet) process.stderr.write(`fixed ${file.path}\n`);
      } catch (e) {
        refused++;
        process.stderr.write(`${file.path}: not rewritten: ${describeFailure(e).message.replace(/^netneeds: /, '')}\n`);
      }
    }
    process.stderr.write(`${plural(changed, 'file')} rewritten${refused ? `, ${refused} refused` : ''}\n`);
    return refused ? EXIT.problems : EXIT.ok;
  },
});
