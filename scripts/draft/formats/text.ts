import { scanLines, type LineParser, type LineResult } from '../lines.js';
import { LogClock } from '../time.js';
import { portNumber, type ReadOptions, type ReadStats } from '../events.js';

/**
 * Reads a line-based log, each line decoded to a string. `needles`: whether lines without a device needle may be
 * skipped unparsed, or extra needles (such as "\n#" for header lines) that must be read as well.
 */
export async function readLines(path: string, options: ReadOptions, needles: boolean | string[], makeParser: (clock: LogClock) => (line: string) => LineResult): Promise<ReadStats> {
  return readLineBytes(path, options, needles, (clock) => {
    const parse = makeParser(clock);
    return (buf, start, end) => parse(buf.toString('latin1', start, end));
  });
}

/** readLines for parsers that read the bytes of each line themselves and decode only the fields they keep: the busiest formats. */
export async function readLineBytes(path: string, options: ReadOptions, needles: boolean | string[], makeParser: (clock: LogClock) => LineParser): Promise<ReadStats> {
  const clock = new LogClock(path, options.year);
  const device = needles === false ? null : options.filter.needles;
  const stats = await scanLines(path, device && Array.isArray(needles) ? [...device, ...needles] : device, makeParser(clock), undefined, options.progress);
  if (clock.yearFrom) stats.yearFrom = clock.yearFrom;
  return stats;
}

/** Share of the sample's non-empty lines that pass a test: a format's sniff score. */
export function lineShare(text: string, test: (line: string) => boolean): number {
  const lines = text.split('\n').slice(0, 200).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return 0;
  return lines.filter(test).length / lines.length;
}

/** The value after `key` up to the next space (`SRC=1.2.3.4 ` → 1.2.3.4), or undefined. */
export function valueAfter(line: string, key: string, from = 0): string | undefined {
  const i = line.indexOf(key, from);
  if (i < 0) return undefined;
  const start = i + key.length;
  const end = line.indexOf(' ', start);
  return line.slice(start, end < 0 ? undefined : end);
}

/** The bytes of an ASCII text, to look for in a line. */
export const bytesOf = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Where pattern first occurs in buf[from, to), or -1: a search that never reads past the line. */
export function indexIn(buf: Uint8Array, pattern: Uint8Array, from: number, to: number): number {
  const first = pattern[0]!;
  const n = pattern.length;
  for (let i = from, last = to - n; i <= last; i++) {
    if (buf[i] !== first) continue;
    let k = 1;
    while (k < n && buf[i + k] === pattern[k]) k++;
    if (k === n) return i;
  }
  return -1;
}

/** Whether buf[at, to) starts with pattern. */
export function startsWithBytes(buf: Uint8Array, at: number, to: number, pattern: Uint8Array): boolean {
  const n = pattern.length;
  if (at + n > to) return false;
  for (let k = 0; k < n; k++) if (buf[at + k] !== pattern[k]) return false;
  return true;
}

/** portNumber of the text buf[start, end): decimal digits are read in place. */
export function portIn(buf: Buffer, start: number, end: number): number | undefined {
  if (end - start < 1 || end - start > 5) return undefined;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return portNumber(buf.toString('latin1', start, end));
    n = n * 10 + d;
  }
  return n <= 65535 ? n : undefined;
}

/**
 * LogClock.syslog for a line given as bytes. A BSD stamp (`Feb 11 00:14:00`, no <PRI>) is all syslog reads
 * of such a line, and consecutive lines mostly repeat it: a stamp equal to the previous one is not read again.
 */
export class LineClock {
  private readonly stamp = Buffer.alloc(15);
  private known = false;
  private value = NaN;

  constructor(private readonly clock: LogClock) {}

  timeOf(buf: Buffer, start: number, end: number): number {
    const c = buf[start]!;
    if (end - start < 15 || c === 60 || (c >= 48 && c <= 57)) return this.clock.syslog(buf.toString('latin1', start, end));
    if (this.known && startsWithBytes(buf, start, end, this.stamp)) return this.value;
    buf.copy(this.stamp, 0, start, start + 15);
    this.known = true;
    this.value = this.clock.syslog(buf.toString('latin1', start, start + 15));
    return this.value;
  }
}

/** Keys longer than this are parsed every time, so that a hostile log cannot fill a memo with huge keys. */
const MAX_KEY = 255;
const SLOT_BITS = 16;
const POOL_BYTES = 1 << 22;

/**
 * What parse gives for a text, by the bytes of that text, for values a log repeats (addresses, names): a repeated
 * text is neither decoded nor parsed again. Open addressing over the key bytes kept in a pool; cleared when full.
 */
export class ByteMemo<T> {
  private readonly slots = 1 << SLOT_BITS;
  private readonly hashes = new Int32Array(this.slots);
  private readonly offsets = new Int32Array(this.slots).fill(-1);
  private readonly lengths = new Int32Array(this.slots);
  private readonly values = new Array<T | undefined>(this.slots).fill(undefined);
  private readonly pool = new Uint8Array(POOL_BYTES);
  private used = 0;
  private count = 0;

  /** parse: of the decoded text; never undefined. */
  constructor(private readonly parse: (text: string) => T) {}

  get(buf: Buffer, start: number, end: number): T {
    const length = end - start;
    if (length > MAX_KEY) return this.parse(buf.toString('latin1', start, end));
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const mask = this.slots - 1;
    const pool = this.pool;
    let slot = hash & mask;
    for (let offset = this.offsets[slot]!; offset >= 0; slot = (slot + 1) & mask, offset = this.offsets[slot]!) {
      if (this.hashes[slot] !== hash || this.lengths[slot] !== length) continue;
      let k = 0;
      while (k < length && pool[offset + k] === buf[start + k]) k++;
      if (k === length) return this.values[slot] as T;
    }
    const value = this.parse(buf.toString('latin1', start, end));
    if (this.count >= this.slots >> 1 || this.used + length > POOL_BYTES) {
      this.offsets.fill(-1);
      this.values.fill(undefined);
      this.count = 0;
      this.used = 0;
      slot = hash & mask;
    }
    buf.copy(pool, this.used, start, end);
    this.offsets[slot] = this.used;
    this.lengths[slot] = length;
    this.hashes[slot] = hash;
    this.values[slot] = value;
    this.used += length;
    this.count++;
    return value;
  }
}
