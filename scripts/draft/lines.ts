// Streams a text file line by line in bounded memory, working on bytes: a parser is given each line as a range
// of the read window and decodes only what it needs. With needles, lines that contain none of them are skipped
// with native Buffer searches instead of being parsed: that is what keeps a 1 GB firewall log fast when the
// device is one host among many.
import { newStats, noteMalformed, type ReadStats } from './events.js';
import { FileWindow, WINDOW_SIZE } from './file-window.js';

/** 'ok': parsed; 'other': a line of something else (another program, a header); a string: why it is malformed. */
export type LineResult = 'ok' | 'other' | string;

/**
 * Parses the line buf[start, end) (without its newline and a carriage return before it). The buffer is refilled
 * between windows: a parser keeps copies (decoded strings), never the buffer or positions in it.
 */
export type LineParser = (buf: Buffer, start: number, end: number) => LineResult;

const NL = 10;

function countLines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NL, from); i >= 0 && i < to; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

class LineScanner {
  readonly stats = newStats();
  private lineNo = 0;
  private readonly needles: Buffer[] | null;
  private readonly next: number[];

  constructor(needleTexts: string[] | null, private readonly onLine: LineParser) {
    this.needles = needleTexts?.map((n) => Buffer.from(n, 'latin1')) ?? null;
    this.next = this.needles?.map(() => -1) ?? [];
  }

  private handle(buf: Buffer, start: number, end: number): void {
    this.stats.records++;
    if (end > start && buf[end - 1] === 13) end--;
    const result = this.onLine(buf, start, end);
    if (result === 'other') this.stats.other++;
    else if (result !== 'ok') noteMalformed(this.stats, `line ${this.lineNo}`, result);
  }

  /** Every line in buf[start, end], unfiltered: the last line of a file that does not end with a newline. */
  all(buf: Buffer, start: number, end: number): void {
    for (let pos = start; pos <= end && pos < buf.length; ) {
      let e = buf.indexOf(NL, pos);
      if (e < 0 || e > end) e = end;
      this.lineNo++;
      this.handle(buf, pos, e);
      pos = e + 1;
    }
  }

  /** The complete lines in buf[start, end]: start follows a newline (buf[start - 1]) and end is the index of one. */
  region(buf: Buffer, start: number, end: number): void {
    const needles = this.needles;
    if (!needles) return this.all(buf, start, end);
    let pos = start;
    if (this.lineNo === 0) {
      // The first line is always read: headers (Zeek #separator, CSV column names) live there.
      const e = buf.indexOf(NL, pos);
      this.lineNo++;
      this.handle(buf, pos, e);
      pos = e + 1;
    }
    const next = this.next.fill(-2);
    while (pos < end) {
      let best = -1;
      for (let k = 0; k < needles.length; k++) {
        // A "\n…" needle marks a line start, so it may begin on the newline just before pos.
        const lineStartNeedle = needles[k]![0] === NL;
        const from = lineStartNeedle ? pos - 1 : pos;
        if (next[k]! !== -1 && next[k]! < from) next[k] = buf.indexOf(needles[k]!, from);
        let at = next[k]!;
        if (at >= 0 && lineStartNeedle) at++;
        if (at >= 0 && at < end && (best < 0 || at < best)) best = at;
      }
      if (best < 0) break;
      const lineStart = buf.lastIndexOf(NL, best - 1) + 1;
      const skipped = countLines(buf, pos, lineStart);
      this.stats.skipped += skipped;
      this.stats.records += skipped;
      this.lineNo += skipped + 1;
      let lineEnd = buf.indexOf(NL, best);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      this.handle(buf, lineStart, lineEnd);
      pos = lineEnd + 1;
    }
    if (pos <= end) {
      const rest = countLines(buf, pos, end) + 1;
      this.stats.skipped += rest;
      this.stats.records += rest;
      this.lineNo += rest;
    }
  }
}

/** buf[0] is always a newline, so the first line after each refill starts after one, as line-start needles expect. */
export async function scanLines(path: string, needleTexts: string[] | null, onLine: LineParser, windowSize = WINDOW_SIZE, progress?: (bytesRead: number) => void): Promise<ReadStats> {
  const scanner = new LineScanner(needleTexts, onLine);
  const window = new FileWindow(path, windowSize, 1, progress);
  window.buf[0] = NL;
  let consumed = 1;
  try {
    // After each refill the unconsumed tail, which holds no newline, starts at buf[1].
    while (window.refill(consumed) > 0) {
      const last = window.buf.lastIndexOf(NL, window.end - 1);
      consumed = 1;
      if (last === 0) continue;
      scanner.region(window.buf, 1, last);
      consumed = last + 1;
    }
    scanner.stats.bytes = window.offset + window.end - 1;
    if (window.end > 1) scanner.all(window.buf, 1, window.end);
  } finally {
    window.close();
  }
  return scanner.stats;
}
