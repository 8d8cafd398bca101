import { resolve } from 'node:path';
import type { Problem } from '../lib/problems.js';
import { defineCommand, devicesDir, EXIT, plural } from './args.js';
import { resolveNamedFiles } from './files.js';

/** Control, format (bidi, zero-width) and other invisible characters, apart from tab and line feed. */
const INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/gu;

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
    const { lintAsync } = await import('../lint/index.js');
    const { schema } = await import('../lint/rules/schema.js');
    const { numberFormat } = await import('../lint/rules/number-format.js');
    const { canonicalText, sameData } = await import('../lib/canonical.js');
    const { formatProblem } = await import('../lib/problems.js');
    const { writeFileAtomic } = await import('../lib/atomic.js');
    const { describeFailure } = await import('./index.js');
    const dir = devicesDir();
    const named = positionals.length ? resolveNamedFiles(positionals, dir) : undefined;
    for (const p of named?.problems ?? []) process.stderr.write(formatProblem(p) + '\n');
    let refused = named?.problems.length ?? 0;
    let changed = 0;
    const only = named?.only;
    // Only a file that reads as the schema says is rewritten: formatting a value the schema refuses (models: [08])
    // would change what the contributor wrote before they are told.
    const rules = [schema, numberFormat];
    const { statusLine } = await import('../lib/status-line.js');
    const status = statusLine();
    const onFile = status ? (checked: number, total: number) => status.show(`fix: read ${checked} of ${total} files`) : undefined;
    let result;
    try {
      result = only?.length === 0 ? { files: [], problems: [] } : await lintAsync(dir, { ...(only ? { only } : {}), rules, keepDocuments: true, crossFileAliases: false, ...(onFile ? { onFile } : {}) });
    } finally {
      status?.done();
    }
    const firstError = new Map<string, Problem>();
    for (const p of result.problems) if (p.severity === 'error' && !firstError.has(p.file)) firstError.set(p.file, p);
    for (const file of result.files) {
      if (only && !only.includes(file.relPath)) continue;
      const error = firstError.get(file.path);
      if (!file.doc || error) {
        refused++;
        const where = error ? `${error.line}:${error.col}: ${error.message}` : 'unreadable';
        process.stderr.write(`${file.path}: not rewritten: ${where}\n    hint: fix what npm run validate -- ${file.path} reports first; fix only formats files that read correctly\n`);
        continue;
      }
      const text = canonicalText(file.doc, file.kind);
      const original = file.text.replace(/\r(?!\n)/g, '\n');
      if (text === file.text) continue;
      if (!sameData(text, original)) {
        refused++;
        process.stderr.write(`${file.path}: not rewritten: formatting it would change a value (a bug in netneeds fix; please report it)\n`);
        continue;
      }
      const invisible = [...text.matchAll(INVISIBLE)].find((m) => !original.includes(m[0]));
      if (invisible) {
        refused++;
        process.stderr.write(`${file.path}: not rewritten: it would write U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, an invisible character the file holds only escaped\n    hint: remove the escaped character; names and notes must not hide characters\n`);
        continue;
      }
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
