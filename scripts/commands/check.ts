import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { lint } from '../lint/index.js';
import { lintParallel } from '../lint/parallel.js';
import { formatAnnotation, formatProblem } from '../lib/problems.js';
import { canonicalText } from '../lib/canonical.js';

export function devicesDir(): string { return resolve(process.env.NETNEEDS_DEVICES ?? 'devices'); }

/** Accepts paths as a contributor types them (devices/x/y.yaml, ./devices/..., absolute) and returns them below devices/. */
export function toRelPaths(args: string[], dir = devicesDir()): string[] {
  return args.map((a) => {
    const abs = resolve(a);
    if (!abs.startsWith(dir + '/')) throw new Error(`${a} is not inside ${dir}`);
    return abs.slice(dir.length + 1);
  });
}

export async function runValidate(args: string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('--'));
  const quiet = args.includes('--quiet');
  const only = files.length ? toRelPaths(files) : undefined;
  const result = await lintParallel(devicesDir(), only ? { only } : {});
  const annotate = process.env.GITHUB_ACTIONS === 'true';
  const shown = quiet ? result.problems.filter((p) => p.severity === 'error') : result.problems;
  const out: string[] = [];
  for (const p of shown) {
    out.push(formatProblem(p));
    if (annotate) out.push(formatAnnotation(p));
  }
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  if (out.length) process.stderr.write(out.join('\n') + '\n');
  process.stderr.write(`${result.checked} file${result.checked === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  return errors > 0 ? 1 : 0;
}

export function runFix(args: string[]): number {
  const dir = devicesDir();
  const only = args.length ? toRelPaths(args) : undefined;
  const { files } = lint(dir, only ? { only, rules: [], keepDocuments: true } : { rules: [], keepDocuments: true });
  let changed = 0;
  for (const file of files) {
    if (only && !only.includes(file.relPath)) continue;
    if (!file.doc) { process.stderr.write(`${file.path}: not rewritten: ${file.problems[0]?.message ?? 'unreadable'}\n`); continue; }
    const text = canonicalText(file.doc, file.kind);
    if (text !== file.text) { writeFileSync(resolve(dir, file.relPath), text); changed++; process.stderr.write(`fixed ${file.path}\n`); }
  }
  process.stderr.write(`${changed} file${changed === 1 ? '' : 's'} rewritten\n`);
  return 0;
}

