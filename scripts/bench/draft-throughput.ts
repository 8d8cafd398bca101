// Draft throughput: a generated ~200 MB filterlog and ~300 MB pcap, each drafted by a whole `netneeds draft`
// process, next to `wc -l` over the same file in the same run. The device is one host in five, as on a home LAN.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/project.js';

const DEVICE = '192.168.1.50';
const TEXT_MB = Number(process.env.BENCH_DRAFT_TEXT_MB ?? 200);
const PCAP_MB = Number(process.env.BENCH_DRAFT_PCAP_MB ?? 300);
/** Whole-process timings vary with what else the machine runs: each figure is the median of this many runs. */
const RUNS = Number(process.env.BENCH_DRAFT_RUNS ?? 3);

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

/** Writes blocks produced by `block` until the file reaches `bytes`. */
function fill(path: string, bytes: number, header: Buffer | null, block: () => Buffer): void {
  const fd = openSync(path, 'w');
  let written = 0;
  if (header) written += writeSync(fd, header);
  while (written < bytes) written += writeSync(fd, block());
  closeSync(fd);
}

function hostOf(rand: () => number, device: boolean): string {
  return device ? DEVICE : `192.168.1.${60 + Math.floor(rand() * 100)}`;
}
/** The device talks to a few dozen destinations, as devices do; other hosts go everywhere. */
const DEVICE_REMOTES = Array.from({ length: 40 }, (_, i) => `52.28.${i}.${10 + i}`);
function remoteFor(rand: () => number, device: boolean): string {
  return device ? DEVICE_REMOTES[Math.floor(rand() * DEVICE_REMOTES.length)]! : remoteOf(rand);
}
function remoteOf(rand: () => number): string {
  return `${[34, 52, 93, 104, 142, 151][Math.floor(rand() * 6)]}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
}

export function writeFilterlog(path: string, bytes: number): void {
  const rand = prng(7);
  fill(path, bytes, null, () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const device = rand() < 0.2;
      const src = hostOf(rand, device);
      const sec = String(i % 60).padStart(2, '0');
      const udp = rand() < 0.3;
      lines.push(udp
        ? `Mar  3 10:${String(i % 60).padStart(2, '0')}:${sec} fw filterlog[48323]: 5,,,1000000103,igb1,match,pass,in,4,0x0,,64,${i},0,none,17,udp,76,${src},${remoteFor(rand, device)},${40000 + (i % 20000)},123,56`
        : `Mar  3 10:${String(i % 60).padStart(2, '0')}:${sec} fw filterlog[48323]: 5,,,1000000103,igb1,match,pass,in,4,0x0,,64,${i},0,DF,6,tcp,60,${src},${remoteFor(rand, device)},${40000 + (i % 20000)},${rand() < 0.8 ? 443 : 8883},0,S,${i},,64240,,mss;nop;wscale`);
    }
    return Buffer.from(lines.join('\n') + '\n');
  });
}

export function writePcap(path: string, bytes: number): void {
  const rand = prng(11);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6); header.writeUInt32LE(65535, 16); header.writeUInt32LE(1, 20);
  let t = Date.UTC(2024, 2, 3) / 1000;
  fill(path, bytes, header, () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 5_000; i++) {
      // Sizes as on a real link: many small packets, some full-size ones.
      const size = rand() < 0.5 ? 60 + Math.floor(rand() * 100) : rand() < 0.5 ? 400 + Math.floor(rand() * 600) : 1514;
      const frame = Buffer.alloc(size);
      const device = rand() < 0.2;
      const out = rand() < 0.5;
      const local = hostOf(rand, device).split('.').map(Number);
      const remote = remoteFor(rand, device).split('.').map(Number);
      frame.writeUInt16BE(0x0800, 12);
      frame[14] = 0x45; frame.writeUInt16BE(size - 14, 16); frame[22] = 64; frame[23] = 6;
      Buffer.from(out ? local : remote).copy(frame, 26);
      Buffer.from(out ? remote : local).copy(frame, 30);
      frame.writeUInt16BE(out ? 40000 + (i % 20000) : 443, 34);
      frame.writeUInt16BE(out ? 443 : 40000 + (i % 20000), 36);
      frame[46] = 5 << 4; frame[47] = 0x18;
      const rec = Buffer.alloc(16);
      t += 0.001;
      rec.writeUInt32LE(Math.floor(t), 0); rec.writeUInt32LE(Math.floor((t % 1) * 1e6), 4); rec.writeUInt32LE(size, 8); rec.writeUInt32LE(size, 12);
      parts.push(rec, frame);
    }
    return Buffer.concat(parts);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-1000)}`);
  return seconds;
}

export async function draftThroughput(workDir: string): Promise<{ name: string; value: number; unit: string; budget?: number }[]> {
  const bin = join(ROOT, 'scripts/bin/netneeds.js');
  const cases = [
    { label: 'filterlog', file: join(workDir, 'draft-bench-filterlog.txt'), write: writeFilterlog, mb: TEXT_MB, budget: 100 },
    { label: 'pcap', file: join(workDir, 'draft-bench.pcap'), write: writePcap, mb: PCAP_MB, budget: 300 },
  ];
  const rows: { name: string; value: number; unit: string; budget?: number }[] = [];
  for (const c of cases) {
    c.write(c.file, c.mb * 1e6);
    const mb = statSync(c.file).size / 1e6;
    const draftArgs = [bin, 'draft', c.file, '--device', DEVICE, '--year', '2024'];
    timed(process.execPath, draftArgs); // warms the page cache and the CLI bundle
    const wcs: number[] = [];
    const drafts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      wcs.push(timed('wc', ['-l', c.file]));
      drafts.push(timed(process.execPath, draftArgs));
    }
    const wc = median(wcs);
    const draft = median(drafts);
    console.log(`  draft ${c.label.padEnd(10)} ${mb.toFixed(0)} MB, median of ${RUNS}: draft ${draft.toFixed(2)} s (${(mb / draft).toFixed(0)} MB/s; runs ${drafts.map((d) => (mb / d).toFixed(0)).join(' ')}), wc -l ${wc.toFixed(2)} s (${(mb / wc).toFixed(0)} MB/s)`);
    rows.push(
      { name: `draft ${c.label} throughput`, value: mb / draft, unit: 'MB/s', budget: c.budget },
      { name: `wc -l ${c.label} throughput`, value: mb / wc, unit: 'MB/s' },
      { name: `draft / wc -l ${c.label} time`, value: draft / wc, unit: '×' },
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? join(ROOT, '.bench');
  for (const row of await draftThroughput(dir)) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.budget ? ` (budget ${row.budget})` : ''}`);
}
