import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { lint, RULES } from './lint/index.js';
import { lintParallel } from './lint/parallel.js';
import { formatAnnotation, formatProblem } from './lib/problems.js';
import { canonicalText } from './lib/canonical.js';
import { build, EMITTERS, writeOutput } from './build/index.js';

export { lintWorker } from './lint/worker.js';

export interface Command { summary: string; run(args: string[]): Promise<number> | number }

function devicesDir(): string { return resolve(process.env.NETNEEDS_DEVICES ?? 'devices'); }

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

export async function runBuild(args: string[]): Promise<number> {
  const outIndex = args.indexOf('--out');
  const outDir = resolve(outIndex >= 0 ? args[outIndex + 1]! : 'dist');
  const skipIndex = args.indexOf('--skip');
  const skip = skipIndex >= 0 ? new Set(args[skipIndex + 1]!.split(',')) : new Set<string>();
  const unknown = [...skip].filter((name) => !EMITTERS.some((e) => e.name === name));
  if (unknown.length) { process.stderr.write(`--skip: no emitter named ${unknown.join(', ')} (emitters: ${EMITTERS.map((e) => e.name).join(', ')})\n`); return 2; }
  const result = await build(devicesDir(), EMITTERS.filter((e) => !skip.has(e.name)));
  if ('errors' in result) {
    process.stderr.write(result.errors.join('\n') + `\nbuild refused: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; run npm run validate\n`);
    return 1;
  }
  writeOutput(outDir, result.files);
  process.stderr.write(`built ${result.dataset.meta.deviceCount} devices into ${outDir} (${result.files.length} files)\n`);
  return 0;
}

export const commands: Record<string, Command> = {
  validate: { summary: 'check device files: npm run validate [-- files…]', run: runValidate },
  fix: { summary: 'rewrite files into canonical form: npm run fix [-- files…]', run: runFix },
  build: { summary: 'validate, then write the dataset, API, CSV, schemas, index, rules and site to dist/ (--out DIR, --skip rules,…)', run: runBuild },
  draft: { summary: 'draft a device file from a firewall log or capture: npm run draft -- <log>… --device <ip|mac> --into devices/<vendor>/<model>.yaml', run: (args) => import('./draft/command.js').then((m) => m.runDraft(args)) },
  new: { summary: 'scaffold a device file: npm run new -- --vendor <slug> --model <slug> --category <category>', run: (args) => import('./new-device.js').then((m) => m.runNew(args)) },
  'import-mud': {
    summary: 'MUD profiles → draft device files: npm run import:mud -- <file.json>… --id vendor/model',
    async run(args) { return (await import('./import/mud/index.js')).runImportMud(args); },
  },
  policy: {
    summary: 'firewall rules, DNS blocklists and MUD files for devices: npm run policy -- <vendor>/<model>[=<address>] …',
    async run(args) { return (await import('./policy/cli.js')).runPolicy(args); },
  },
  rules: {
    summary: 'list the lint rules',
    run() { for (const r of RULES) process.stdout.write(`${r.name.padEnd(18)} ${r.description}\n`); return 0; },
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`usage: netneeds <command> [args]\n\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`).join('\n')}\n`);
    return name && name !== '--help' ? 2 : 0;
  }
  return command.run(args);
}
