// Draft throughput and peak memory on real inputs: the captures and logs in ../shared/samples, each replicated
// to about 200 MB in a temporary folder (never in the repository), drafted by a whole `netneeds draft` process.
// A generated 1 GB log with a million distinct destinations of the device measures memory when nothing repeats.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/project.js';

const SAMPLES = join(ROOT, '../shared/samples');
const TARGET_MB = Number(process.env.BENCH_DRAFT_MB ?? 200);
const MEMORY_MB = Number(process.env.BENCH_DRAFT_MEMORY_MB ?? 1000);
/** Whole-process timings vary with what else the machine runs: each figure is the median of this many runs. */
const RUNS = Number(process.env.BENCH_DRAFT_RUNS ?? 5);
/** Another checkout's CLI, for before/after figures on the same inputs (BENCH_DRAFT_MEMORY_MB=0 skips the 1 GB case). */
const BIN = process.env.BENCH_DRAFT_BIN ?? join(ROOT, 'scripts/bin/netneeds.js');

interface Row { name: string; value: number; unit: string; budget?: number; note?: string }

/** Real inputs and the device each was recorded for (see PROVENANCE.tsv). */
const CASES = [
  { label: 'pcap (IoT hub capture)', file: 'pcap/tjoconnor-lockly-hub-01.pcap', device: '192.168.1.128', budget: 300 },
  { label: 'pcap (plug capture)', file: 'pcap/fdekeers-pingpong-wlan1.local.dns.pcap', device: '192.168.1.159', budget: 300 },
  { label: 'filterlog (pfSense)', file: 'filterlog/ai-siem-pfsense-filter.log', device: '192.168.200.38', budget: 150 },
  { label: 'dnsmasq (Pi-hole)', file: 'dnsmasq/bazmonk-full_pihole-v6.log', device: '192.168.1.116', budget: 150 },
  { label: 'netfilter (UFW)', file: 'iptables/hbdevelop1-bootlost-laptop-ufw.log', device: '192.168.1.103', budget: 150 },
] as const;

/** Copies a real input until the copy reaches `bytes`; a pcap keeps one file header and repeats its records. */
export function replicate(source: string, target: string, bytes: number): void {
  const data = readFileSync(source);
  const magic = data.readUInt32LE(0);
  const pcap = magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const body = pcap ? data.subarray(24) : data[data.length - 1] === 10 ? data : Buffer.concat([data, Buffer.from('\n')]);
  const fd = openSync(target, 'w');
  let written = pcap ? writeSync(fd, data.subarray(0, 24)) : 0;
  while (written < bytes) written += writeSync(fd, body);
  closeSync(fd);
}

/** A filterlog of `bytes` in which the device opens connections to `destinations` distinct addresses, round robin. */
export function writeManyDestinations(path: string, bytes: number, destinations: number): void {
  const fd = openSync(path, 'w');
  let written = 0;
  for (let i = 0; written < bytes; ) {
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++, i++) {
      const d = i % destinations;
      const dst = `${[34, 52, 104, 142][d & 3]}.${(d >> 2) & 255}.${(d >> 10) & 255}.${((d >> 18) & 63) + 1}`;
      lines.push(`Mar  3 10:${String((i >> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} fw filterlog[4832]: 5,,,1000000103,igb1,match,pass,in,4,0x0,,64,${i & 65535},0,DF,6,tcp,60,192.168.1.50,${dst},${40000 + (i % 20000)},443,0,S,${i},,64240,,mss`);
    }
    written += writeSync(fd, lines.join('\n') + '\n');
  }
  closeSync(fd);
}

/**
 * NODE_EXTRA_CA_CERTS makes Node read and parse that certificate bundle as it starts, before any of our code runs:
 * ~0.1 s per process where a sandbox or a company proxy sets it, about what the rest of the start costs. A draft
 * opens no TLS connection, so the drafts are timed without it, and the start-up is reported with it as well.
 * BENCH_DRAFT_KEEP_ENV=1 times everything in the environment as it is.
 */
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
const DRAFT_ENV: NodeJS.ProcessEnv = process.env.BENCH_DRAFT_KEEP_ENV === '1' ? process.env : Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Wall and CPU seconds (user + system) and peak resident memory (MB) of one whole process, through /usr/bin/time.
 * On a shared machine the wall time waits for other processes; the CPU time is what the draft itself spent.
 */
function measured(args: string[], env: NodeJS.ProcessEnv = DRAFT_ENV): { seconds: number; cpu: number; peakMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, user, system, kb] = last.split(' ').map(Number);
  if (r.status !== 0 || ![seconds, user, system, kb].every(Number.isFinite)) throw new Error(`draft ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-1500)}`);
  return { seconds: seconds!, cpu: user! + system!, peakMb: kb! / 1024 };
}

export async function draftThroughput(): Promise<Row[]> {
  if (!existsSync(SAMPLES)) { console.log(`  draft: ${SAMPLES} is not there; no draft figures`); return []; }
  const bin = BIN;
  const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-bench-'));
  const rows: Row[] = [];
  try {
    for (const c of CASES) {
      const file = join(dir, c.file.replace('/', '-'));
      replicate(join(SAMPLES, c.file), file, TARGET_MB * 1e6);
      const mb = statSync(file).size / 1e6;
      const args = [bin, 'draft', file, '--device', c.device, '--year', '2024'];
      measured(args); // warms the page cache and the CLI bundle
      const runs = Array.from({ length: RUNS }, () => measured(args));
      const seconds = median(runs.map((r) => r.seconds));
      const cpu = median(runs.map((r) => r.cpu));
      const peak = Math.max(...runs.map((r) => r.peakMb));
      console.log(`  draft ${c.label.padEnd(24)} ${mb.toFixed(0)} MB of ${c.file}: ${(mb / seconds).toFixed(0)} MB/s (runs ${runs.map((r) => (mb / r.seconds).toFixed(0)).join(' ')}), ${cpu.toFixed(2)} CPU s (${(mb / cpu).toFixed(0)} MB per CPU second), peak ${peak.toFixed(0)} MB`);
      rows.push(
        { name: `draft ${c.label} throughput`, value: mb / seconds, unit: 'MB/s', budget: c.budget },
        { name: `draft ${c.label} CPU throughput`, value: mb / cpu, unit: 'MB per CPU s' },
        { name: `draft ${c.label} peak memory`, value: peak, unit: 'MB' },
      );
      rmSync(file);
    }
    // Whole-process figures include the CLI's start: a draft of a one-line input, for reference.
    const tiny = join(dir, 'tiny.log');
    replicate(join(SAMPLES, 'filterlog/crowdsec-pf-logs.log'), tiny, 1);
    const starts = Array.from({ length: RUNS }, () => measured([bin, 'draft', tiny, '--device', '10.0.2.15', '--year', '2024']));
    const start = median(starts.map((r) => r.seconds));
    const startCpu = median(starts.map((r) => r.cpu));
    console.log(`  draft start-up (a one-line input): ${start.toFixed(2)} s, ${startCpu.toFixed(2)} CPU s`);
    rows.push({ name: 'draft start-up', value: start, unit: 's' }, { name: 'draft start-up CPU', value: startCpu, unit: 'CPU s' });
    if (EXTRA_CA !== undefined && DRAFT_ENV !== process.env) {
      const withCa = median(Array.from({ length: RUNS }, () => measured([bin, 'draft', tiny, '--device', '10.0.2.15', '--year', '2024'], process.env).seconds));
      const bare = (env: NodeJS.ProcessEnv) => median(Array.from({ length: RUNS }, () => measured(['-e', '0'], env).seconds));
      console.log(`  NODE_EXTRA_CA_CERTS is set here (${EXTRA_CA}): with it the draft starts in ${withCa.toFixed(2)} s, and an empty Node program takes ${bare(process.env).toFixed(2)} s instead of ${bare(DRAFT_ENV).toFixed(2)} s; the figures above are timed without it`);
      rows.push({ name: 'draft start-up with NODE_EXTRA_CA_CERTS', value: withCa, unit: 's' });
    }
    if (MEMORY_MB <= 0) return rows;
    const many = join(dir, 'many-destinations.log');
    writeManyDestinations(many, MEMORY_MB * 1e6, 1_000_000);
    const mb = statSync(many).size / 1e6;
    const r = measured([bin, 'draft', many, '--device', '192.168.1.50', '--year', '2024']);
    console.log(`  draft ${mb.toFixed(0)} MB filterlog, 1,000,000 distinct destinations: ${r.seconds.toFixed(1)} s (${(mb / r.seconds).toFixed(0)} MB/s), peak ${r.peakMb.toFixed(0)} MB`);
    rows.push({ name: 'draft 1 GB, 1M destinations peak memory', value: r.peakMb, unit: 'MB', note: `budget < 256 MB: ${r.peakMb < 256 ? 'within' : 'OVER'}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await draftThroughput()) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.budget ? ` (budget ${row.budget})` : ''}${row.note ? ` (${row.note})` : ''}`);
}
