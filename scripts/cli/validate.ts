import type { Problem } from '../lib/problems.js';
import { defineCommand, devicesDir, EXIT, JSON_OPTION, plural } from './args.js';
import { resolveNamedFiles } from './files.js';

export default defineCommand({
  name: 'validate',
  summary: 'check the device files (all of them, or the ones named)',
  usage: '[<file>…] [options]',
  description: 'Checks every file under the devices folder, or only the files named, against the schema and every lint rule.\nMessages go to stderr as path:line:col: rule: message.',
  positionals: { name: 'file' },
  options: {
    quiet: { type: 'boolean', short: 'q', description: 'print errors only, no warnings' },
    json: JSON_OPTION,
  },
  async run({ values, positionals }) {
    const { lintParallel } = await import('../lint/parallel.js');
    const { formatAnnotation, formatProblem } = await import('../lib/problems.js');
    const dir = devicesDir();
    const named = positionals.length ? resolveNamedFiles(positionals, dir) : undefined;
    const { statusLine } = await import('../lib/status-line.js');
    const status = statusLine();
    const onFile = status ? (checked: number, total: number) => status.show(`validate: checked ${checked} of ${total} files`) : undefined;
    const result = named && named.only.length === 0 ? { problems: [] as Problem[], checked: 0 }
      : await lintParallel(dir, { ...(named ? { only: named.only } : {}), ...(onFile ? { onFile } : {}) }).finally(() => status?.done());
    if (named?.problems.length) result.problems = [...named.problems, ...result.problems];
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const warnings = result.problems.length - errors;
    const shown = values.quiet ? result.problems.filter((p) => p.severity === 'error') : result.problems;
    if (values.json) process.stdout.write(JSON.stringify({ checked: result.checked, errors, warnings, problems: shown }, null, 2) + '\n');
    const annotate = process.env.GITHUB_ACTIONS === 'true';
    const out: string[] = [];
    for (const p of shown) {
      out.push(formatProblem(p));
      if (annotate) out.push(formatAnnotation(p));
    }
    if (out.length && !values.json) process.stderr.write(out.join('\n') + '\n');
    process.stderr.write(`${plural(result.checked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    return errors > 0 ? EXIT.problems : EXIT.ok;
  },
});
