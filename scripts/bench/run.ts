// npm run bench: budgets measured as whole processes on generated data; prints figures and ratios, asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../lib/project.js';
import { writeSyntheticTree } from './synthetic.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = resolve(ROOT, '.bench');
const devices = join(work, 'devices');
const dist = join(work, 'dist');
const bin = join(ROOT, 'scripts/bin/netneeds.js');

interface Row { name: string; value: number; unit: string; budget?: number; note?: string }
const rows: Row[] = [];

function median(xs: number[]) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; }

function timeProcess(label: string, args: string[], env: Record<string, string> = {}, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`${label} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
    times.push(seconds);
  }
  const m = median(times);
  console.log(`  ${label.padEnd(34)} ${m.toFixed(2)} s   (runs: ${times.map((t) => t.toFixed(2)).join(', ')})`);
  return m;
}

async function optional<T>(modulePath: string, exportName: string): Promise<T | null> {
  if (!existsSync(join(ROOT, modulePath))) return null;
  const mod = (await import(join(ROOT, modulePath))) as Record<string, unknown>;
  return (mod[exportName] as T | undefined) ?? null;
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  console.log(`generating ${DEVICES} synthetic device files in ${devices}`);
  const ids = writeSyntheticTree(devices, { devices: DEVICES });
  const env = { NETNEEDS_DEVICES: devices };

  console.log(`timing (median of ${RUNS} whole-process runs):`);
  const parse = timeProcess('bare YAML.parse of every file', [join(ROOT, 'scripts/bench/bare-parse.mjs'), devices]);
  const validate = timeProcess('netneeds validate (all files)', [bin, 'validate', '--quiet'], env);
  const buildCore = timeProcess('netneeds build --skip rules', [bin, 'build', '--skip', 'rules', '--out', dist], env);
  // Ready-made rules are ~60 files per device (every format × profile): at this scale the build is file-system bound.
  const build = timeProcess('netneeds build (everything)', [bin, 'build', '--out', dist], env, Number(process.env.BENCH_FULL_BUILD_RUNS ?? 1));
  const one = timeProcess('netneeds validate (one file)', [bin, 'validate', join(devices, `${ids[0]}.yaml`)], env);
  rows.push(
    { name: 'bare YAML.parse', value: parse, unit: 's' },
    { name: 'validate / bare parse', value: validate / parse, unit: '×', budget: 1.5 },
    { name: 'build --skip rules / bare parse', value: buildCore / parse, unit: '×', budget: 2.5 },
    { name: 'build (with ready-made rules) / bare parse', value: build / parse, unit: '×', budget: 2.5 },
    { name: 'single-file validate', value: one, unit: 's', budget: 0.5 },
  );

  const siteBudget = await optional<(distDir: string) => Promise<Row[]>>('scripts/bench/site-budget.ts', 'siteBudget');
  if (siteBudget) rows.push(...(await siteBudget(dist)));
  const policyScale = await optional<(devicesDir: string) => Promise<Row[]>>('scripts/bench/policy-scale.ts', 'policyScale');
  if (policyScale) rows.push(...(await policyScale(devices)));
  const draftThroughput = await optional<() => Promise<Row[]>>('scripts/bench/draft-throughput.ts', 'draftThroughput');
  if (draftThroughput) rows.push(...(await draftThroughput()));

  console.log('\nresults:');
  for (const r of rows) {
    const value = r.unit === '×' ? r.value.toFixed(2) : r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(3);
    const budget = r.budget === undefined ? '' : `  budget ${r.unit === 'MB/s' ? '≥' : '≤'} ${r.budget}${r.unit}  ${(r.unit === 'MB/s' ? r.value >= r.budget : r.value <= r.budget) ? 'within' : 'OVER'}`;
    console.log(`  ${r.name.padEnd(40)} ${value.padStart(10)} ${r.unit}${budget}${r.note ? `  (${r.note})` : ''}`);
  }
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}

await main();
