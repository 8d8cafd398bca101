// npm run bench: budgets measured as whole processes on generated data; prints figures and ratios, asserts nothing.
// On a shared machine the load changes from one minute to the next, so every measured command runs right after a bare
// parse of the same files, and each ratio is taken pair by pair; the figure is the median of those ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../lib/project.js';
import { pagesTree } from '../build/pages-tree.js';
import { writeSyntheticTree } from './synthetic.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The scale check builds this many devices once more (0 skips it): CPU per device should not grow with the tree. */
const SCALE_DEVICES = Number(process.env.BENCH_SCALE_DEVICES ?? 30_000);
const work = resolve(ROOT, '.bench');
const bin = join(ROOT, 'scripts/bin/netneeds.js');

interface Row { name: string; value: number; unit: string; budget?: number; note?: string; atLeast?: boolean }
const rows: Row[] = [];

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

interface Usage { wall: number; cpu: number; maxRssMb: number }

/** One whole process under /usr/bin/time: wall and CPU seconds (every thread), peak resident memory. */
function measure(label: string, args: string[], env: Record<string, string> = {}): Usage {
  const r = spawnSync('/usr/bin/time', ['-f', 'netneeds-bench %e %U %S %M', process.execPath, ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  const line = /netneeds-bench ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !line) throw new Error(`${label} failed (${r.status}):\n${(r.stderr ?? '').slice(-2000)}`);
  return { wall: Number(line[1]), cpu: Number(line[2]) + Number(line[3]), maxRssMb: Number(line[4]) / 1024 };
}

/** Bare parse, then the command, RUNS times; the ratio of each pair. */
function paired(label: string, args: string[], env: Record<string, string>, parseArgs: string[]): { ratios: number[]; runs: Usage[]; parses: Usage[] } {
  const ratios: number[] = [];
  const runs: Usage[] = [];
  const parses: Usage[] = [];
  for (let i = 0; i < RUNS; i++) {
    const p = measure('bare parse', parseArgs);
    const m = measure(label, args, env);
    parses.push(p);
    runs.push(m);
    ratios.push(m.wall / p.wall);
  }
  console.log(`  ${label.padEnd(34)} ${runs.map((r, i) => `${r.wall.toFixed(1)} s / ${parses[i]!.wall.toFixed(1)} s = ${ratios[i]!.toFixed(2)}×`).join('; ')}; peak ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB`);
  return { ratios, runs, parses };
}

/** Bytes and files of what GitHub Pages publishes from dist/ (scripts/build/pages-tree.ts). */
function published(dist: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const { from } of pagesTree(dist)) {
    if (statSync(from).isDirectory()) { const t = tree(from); bytes += t.bytes; files += t.files; } else { bytes += statSync(from).size; files++; }
  }
  return { bytes, files };
}

function tree(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { const t = tree(path); bytes += t.bytes; files += t.files; } else { bytes += statSync(path).size; files++; }
  }
  return { bytes, files };
}

async function optional<T>(modulePath: string, exportName: string): Promise<T | null> {
  if (!existsSync(join(ROOT, modulePath))) return null;
  const mod = (await import(join(ROOT, modulePath))) as Record<string, unknown>;
  return (mod[exportName] as T | undefined) ?? null;
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const devices = join(work, 'devices');
  const dist = join(work, 'dist');
  console.log(`generating ${DEVICES} synthetic device files in ${devices}`);
  const ids = writeSyntheticTree(devices, { devices: DEVICES });
  const env = { NETNEEDS_DEVICES: devices };
  const parseArgs = [join(ROOT, 'scripts/bench/bare-parse.mjs'), devices];
  measure('warm-up', [bin, 'validate', join(devices, `${ids[0]}.yaml`)], env); // builds the CLI bundle and fills the page cache

  console.log(`timing: ${RUNS} pairs of (bare parse, command); each ratio is one pair's`);
  const validate = paired('netneeds validate (all files)', [bin, 'validate', '--quiet'], env, parseArgs);
  const build = paired('netneeds build (everything)', [bin, 'build', '--out', dist], env, parseArgs);
  const one = measure('netneeds validate (one file)', [bin, 'validate', join(devices, `${ids[0]}.yaml`)], env);
  const pages = published(dist);
  rows.push(
    { name: 'bare YAML.parse (median)', value: median(build.parses.map((p) => p.wall)), unit: 's' },
    { name: 'validate / bare parse (median of pairs)', value: median(validate.ratios), unit: '×', budget: 1.5 },
    { name: 'build / bare parse (median of pairs)', value: median(build.ratios), unit: '×', budget: 2.5, note: `pairs ${build.ratios.map((r) => r.toFixed(2)).join(', ')}` },
    { name: 'build CPU / bare parse CPU', value: median(build.runs.map((r, i) => r.cpu / build.parses[i]!.cpu)), unit: '×', note: 'all threads: what the build costs, not how long it takes' },
    { name: 'build peak memory', value: Math.max(...build.runs.map((r) => r.maxRssMb)), unit: 'MB', budget: 1536 },
    { name: 'published tree (Pages)', value: pages.bytes / 1e6, unit: 'MB', budget: 300, note: 'what the Pages workflow publishes: site, dataset, CSV, API, schemas, MUD, blocklists' },
    { name: 'published files (Pages)', value: pages.files, unit: 'files', budget: 60_000 },
    { name: 'single-file validate', value: one.wall, unit: 's', budget: 0.5 },
  );

  const siteBudget = await optional<(distDir: string) => Promise<Row[]>>('scripts/bench/site-budget.ts', 'siteBudget');
  if (siteBudget) rows.push(...(await siteBudget(dist)));
  const policyScale = await optional<(devicesDir: string) => Promise<Row[]>>('scripts/bench/policy-scale.ts', 'policyScale');
  if (policyScale) rows.push(...(await policyScale(devices)));

  if (SCALE_DEVICES > DEVICES) {
    // The same build at a larger scale, once: CPU per device should stay flat, and it must fit Node's default heap.
    rmSync(dist, { recursive: true, force: true });
    const big = join(work, 'devices-scale');
    console.log(`scale: generating ${SCALE_DEVICES} devices`);
    writeSyntheticTree(big, { devices: SCALE_DEVICES });
    rmSync(devices, { recursive: true, force: true });
    const large = measure(`build (${SCALE_DEVICES} devices)`, [bin, 'build', '--out', dist], { NETNEEDS_DEVICES: big });
    const perSmall = median(build.runs.map((r) => r.cpu)) / DEVICES;
    const perLarge = large.cpu / SCALE_DEVICES;
    console.log(`  build (${SCALE_DEVICES} devices): ${large.wall.toFixed(1)} s, CPU ${large.cpu.toFixed(1)} s, peak ${large.maxRssMb.toFixed(0)} MB`);
    rows.push(
      { name: `build CPU per device, ${SCALE_DEVICES} / ${DEVICES}`, value: perLarge / perSmall, unit: '×', budget: 1.2 },
      { name: `build peak memory at ${SCALE_DEVICES}`, value: large.maxRssMb, unit: 'MB', note: 'completed under the default heap' },
    );
  }

  const draftThroughput = process.env.BENCH_SKIP_DRAFT ? null : await optional<() => Promise<Row[]>>('scripts/bench/draft-throughput.ts', 'draftThroughput');
  if (draftThroughput) rows.push(...(await draftThroughput()));

  console.log('\nresults:');
  for (const r of rows) {
    const value = Number.isNaN(r.value) ? 'n/a' : r.unit === '×' ? r.value.toFixed(2) : r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(3);
    const atLeast = r.unit === 'MB/s' || r.atLeast;
    const budget = r.budget === undefined ? '' : `  budget ${atLeast ? '≥' : '≤'} ${r.budget}${r.unit}  ${(atLeast ? r.value >= r.budget : r.value <= r.budget) ? 'within' : 'OVER'}`;
    console.log(`  ${r.name.padEnd(44)} ${value.padStart(10)} ${r.unit}${budget}${r.note ? `  (${r.note})` : ''}`);
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2) + '\n');
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}

await main();
