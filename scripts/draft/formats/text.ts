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

/** Two decimal digits at buf[at], or -1. */
function twoDigitsAt(buf: Buffer, at: number): number {
  const a = buf[at]! - 48;
  const b = buf[at + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * LogClock.syslog for a line given as bytes. A BSD stamp (`Feb 11 00:14:00`, no <PRI>) is all syslog reads
 * of such a line, and consecutive lines mostly repeat it: a stamp equal to the previous one is not read again,
 * and one of the same day as the previous is read from its digits, as LogClock does once it knows the day.
 */
export class LineClock {
  /** The previous BSD stamp's 15 bytes: three words of four, then three bytes. */
  private readonly stamp = new Int32Array(6);
  private known = false;
  private value = NaN;
  /** The day (`Feb 11`: a word and two bytes) of the last stamp LogClock read, and when that day began. */
  private dayWord = 0;
  private dayRest = -1;
  private dayStart = NaN;

  constructor(private readonly clock: LogClock) {}

  timeOf(bytes: WindowBytes, start: number, end: number): number {
    const buf = bytes.buf;
    const c = buf[start]!;
    if (end - start < 15 || c === 60 || (c >= 48 && c <= 57)) return this.clock.syslog(buf.toString('latin1', start, end));
    const view = bytes.view;
    const stamp = this.stamp;
    const w0 = view.getInt32(start, true);
    const w1 = view.getInt32(start + 4, true);
    const w2 = view.getInt32(start + 8, true);
    const b12 = buf[start + 12]!;
    const b13 = buf[start + 13]!;
    const b14 = buf[start + 14]!;
    if (this.known && w0 === stamp[0] && w1 === stamp[1] && w2 === stamp[2] && b12 === stamp[3] && b13 === stamp[4] && b14 === stamp[5]) return this.value;
    stamp[0] = w0;
    stamp[1] = w1;
    stamp[2] = w2;
    stamp[3] = b12;
    stamp[4] = b13;
    stamp[5] = b14;
    this.known = true;
    // hh:mm:ss at byte 7, as LogClock's timeOfDay reads it.
    const h = twoDigitsAt(buf, start + 7);
    const m = twoDigitsAt(buf, start + 10);
    const s = twoDigitsAt(buf, start + 13);
    const clock = buf[start + 9] === 58 && buf[start + 12] === 58 && h >= 0 && m >= 0 && s >= 0 ? h * 3_600_000 + m * 60_000 + s * 1000 : -1;
    const dayRest = buf[start + 4]! | (buf[start + 5]! << 8);
    if (clock >= 0 && w0 === this.dayWord && dayRest === this.dayRest) {
      this.value = this.dayStart + clock;
      return this.value;
    }
    this.value = this.clock.syslog(buf.toString('latin1', start, start + 15));
    if (clock >= 0) {
      this.dayWord = w0;
      this.dayRest = dayRest;
      this.dayStart = this.value - clock;
    }
    return this.value;
  }
}

/**
 * An ASCII text to compare with a line's bytes four at a time. `anchor`: the index of its rarest byte, which a
 * search looks for first (the S of " SRC=" rather than its space).
 */
export class BytePattern {
  readonly bytes: Buffer;
  readonly words: Int32Array;

  constructor(text: string, readonly anchor = 0) {
    this.bytes = Buffer.from(text, 'latin1');
    this.words = new Int32Array(this.bytes.length >> 2);
    for (let k = 0; k < this.words.length; k++) this.words[k] = this.bytes.readInt32LE(k * 4);
  }
}

/**
 * The read window with a DataView over it, so that searches and comparisons read four bytes at a time: byte
 * loops in JavaScript cost about as much per byte as the rest of a log line's parse.
 */
export class WindowBytes {
  buf: Buffer = Buffer.alloc(0);
  view: DataView = new DataView(new ArrayBuffer(0));

  /** Called with each line's buffer: the view is made again only when the reader moved to a new buffer. */
  use(buf: Buffer): void {
    if (buf === this.buf) return;
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Whether buf[at, to) starts with pattern. */
  startsWith(at: number, to: number, pattern: BytePattern): boolean {
    const bytes = pattern.bytes;
    const n = bytes.length;
    if (at + n > to) return false;
    const view = this.view;
    const words = pattern.words;
    for (let k = 0; k < words.length; k++) if (view.getInt32(at + k * 4, true) !== words[k]) return false;
    const buf = this.buf;
    for (let k = words.length * 4; k < n; k++) if (buf[at + k] !== bytes[k]) return false;
    return true;
  }

  /** Where pattern first occurs in buf[from, to), or -1. */
  find(pattern: BytePattern, from: number, to: number): number {
    const anchor = pattern.anchor;
    const last = to - pattern.bytes.length;
    const byte = pattern.bytes[anchor]!;
    for (let i = this.indexOf(byte, from + anchor, last + anchor + 1); i >= 0; i = this.indexOf(byte, i + 1, last + anchor + 1)) {
      if (this.startsWith(i - anchor, to, pattern)) return i - anchor;
    }
    return -1;
  }

  /** Where byte first occurs in buf[from, to), or -1. */
  indexOf(byte: number, from: number, to: number): number {
    const view = this.view;
    const repeated = byte * 0x01010101;
    let i = from;
    for (; i + 4 <= to; i += 4) {
      // A zero byte in x: the lowest flagged byte is exact (a borrow only flags bytes above a zero).
      const x = view.getInt32(i, true) ^ repeated;
      const zero = (x - 0x01010101) & ~x & 0x80808080;
      if (zero !== 0) return i + ((31 - Math.clz32(zero & -zero)) >> 3);
    }
    const buf = this.buf;
    for (; i < to; i++) if (buf[i] === byte) return i;
    return -1;
  }
}

/** Keys longer than this are parsed every time, so that a hostile log cannot fill a memo with huge keys. */
const MAX_KEY = 255;
const MAX_SLOT_BITS = 16;
const POOL_BYTES = 1 << 22;

/**
 * What parse gives for a text, by the bytes of that text, for values a log repeats (addresses, names): a repeated
 * text is neither decoded nor parsed again. Open addressing over the key bytes, kept in a pool; the table starts
 * small (it stays in the CPU cache), doubles while under MAX_SLOT_BITS, and is cleared when full.
 */
export class ByteMemo<T> {
  /** Per slot: hash, offset of the key in the pool (-1: empty), key length. */
  private slots = new Int32Array(3 << 10).fill(-1);
  private values: (T | undefined)[] = new Array<T | undefined>(1 << 10).fill(undefined);
  private mask = (1 << 10) - 1;
  /** Keys start at multiples of four, so they are compared a word at a time. */
  private readonly pool = new Int32Array(POOL_BYTES >> 2);
  private readonly poolBytes = new Uint8Array(this.pool.buffer);
  private used = 0;
  private count = 0;

  /** parse: of the decoded text; never undefined. */
  constructor(private readonly parse: (text: string) => T) {}

  get(bytes: WindowBytes, start: number, end: number): T {
    const length = end - start;
    const buf = bytes.buf;
    if (length > MAX_KEY) return this.parse(buf.toString('latin1', start, end));
    const view = bytes.view;
    // Two independent chains, eight bytes a step: half the multiply latency of one.
    let h1 = 0x811c9dc5 | 0;
    let h2 = length;
    let i = start;
    for (; i + 8 <= end; i += 8) {
      h1 = Math.imul(h1 ^ view.getInt32(i, true), 0x01000193);
      h2 = Math.imul(h2 ^ view.getInt32(i + 4, true), 0x01000193);
    }
    if (i + 4 <= end) {
      h1 = Math.imul(h1 ^ view.getInt32(i, true), 0x01000193);
      i += 4;
    }
    if (length < 4) for (; i < end; i++) h1 = Math.imul(h1 ^ buf[i]!, 0x01000193);
    // The last one to three bytes of a longer key: its last word, over bytes already hashed.
    else if (i < end) h2 = Math.imul(h2 ^ view.getInt32(end - 4, true), 0x01000193);
    // Mixed, so that the low bits that pick the slot depend on every byte (a product's low bits see only low bits).
    let hash = h1 ^ Math.imul(h2, 0x9e3779b1);
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash ^= hash >>> 12;
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (let offset = slots[slot * 3 + 1]!; offset >= 0; slot = (slot + 1) & mask, offset = slots[slot * 3 + 1]!) {
      if (slots[slot * 3] !== hash || slots[slot * 3 + 2] !== length) continue;
      if (this.same(bytes, start, offset, length)) return this.values[slot] as T;
    }
    const value = this.parse(buf.toString('latin1', start, end));
    this.add(buf, start, end, hash, value);
    return value;
  }

  /** Whether buf[start, start + length) holds the key at pool offset `offset` (a multiple of four). */
  private same(bytes: WindowBytes, start: number, offset: number, length: number): boolean {
    const view = bytes.view;
    const pool = this.pool;
    const words = length >> 2;
    const first = offset >> 2;
    for (let k = 0; k < words; k++) if (view.getInt32(start + k * 4, true) !== pool[first + k]) return false;
    const buf = bytes.buf;
    const poolBytes = this.poolBytes;
    for (let b = words * 4; b < length; b++) if (buf[start + b] !== poolBytes[offset + b]) return false;
    return true;
  }

  private add(buf: Buffer, start: number, end: number, hash: number, value: T): void {
    const length = end - start;
    const room = (length + 3) & ~3;
    if (this.count >= (this.mask + 1) >> 1 || this.used + room > POOL_BYTES) this.clear(this.mask + 1 < 1 << MAX_SLOT_BITS && this.used + room <= POOL_BYTES);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    while (slots[slot * 3 + 1]! >= 0) slot = (slot + 1) & mask;
    buf.copy(this.poolBytes, this.used, start, end);
    slots[slot * 3] = hash;
    slots[slot * 3 + 1] = this.used;
    slots[slot * 3 + 2] = length;
    this.values[slot] = value;
    this.used += room;
    this.count++;
  }

  /** grow: keep the entries in a table twice as large; otherwise start again empty. */
  private clear(grow: boolean): void {
    const old = this.slots;
    const oldValues = this.values;
    const size = grow ? (this.mask + 1) * 2 : this.mask + 1;
    this.slots = new Int32Array(3 * size).fill(-1);
    this.values = new Array<T | undefined>(size).fill(undefined);
    this.mask = size - 1;
    if (!grow) {
      this.count = 0;
      this.used = 0;
      return;
    }
    for (let s = 0; s < oldValues.length; s++) {
      if (old[s * 3 + 1]! < 0) continue;
      let slot = old[s * 3]! & this.mask;
      while (this.slots[slot * 3 + 1]! >= 0) slot = (slot + 1) & this.mask;
      this.slots.set(old.subarray(s * 3, s * 3 + 3), slot * 3);
      this.values[slot] = oldValues[s];
    }
  }
}
