// Streams a text file line by line in bounded memory, working on bytes: lines are decoded only when they
// are parsed. With needles, lines that contain none of them are skipped with native Buffer searches instead
// of being decoded and parsed: that is what keeps a 1 GB firewall log fast when the device is one host among many.
import { createReadStream } from 'node:fs';
import { newStats, noteMalformed, type ReadStats } from './events.js';

/** 'ok': parsed; 'other': a line of something else (another program, a header); a string: why it is malformed. */
export type LineResult = 'ok' | 'other' | string;

const CHUNK = 1 << 22;
const NL = 10;

export async function scanLines(path: string, needleTexts: string[] | null, onLine: (line: string) => LineResult): Promise<ReadStats> {
  const stats = newStats();
  const needles = needleTexts?.map((n) => Buffer.from(n, 'latin1')) ?? null;
  let lineNo = 0;
  let carry: Buffer | null = null;
  const handle = (buf: Buffer, start: number, end: number) => {
    stats.records++;
    if (end > start && buf[end - 1] === 13) end--;
    const result = onLine(buf.toString('latin1', start, end));
    if (result === 'other') stats.other++;
    else if (result !== 'ok') noteMalformed(stats, `line ${lineNo}`, result);
  };
  const countLines = (buf: Buffer, from: number, to: number) => {
    let n = 0;
    for (let i = buf.indexOf(NL, from); i >= 0 && i < to; i = buf.indexOf(NL, i + 1)) n++;
    return n;
  };
  // Lines up to `end` (the index of a newline) are complete.
  const region = (buf: Buffer, end: number, all: boolean) => {
    let pos = 0;
    if (!needles || all) {
      while (pos <= end && pos < buf.length) {
        let e = buf.indexOf(NL, pos);
        if (e < 0 || e > end) e = end;
        lineNo++;
        handle(buf, pos, e);
        pos = e + 1;
      }
      return;
    }
    if (lineNo === 0) {
      // The first line is always read: headers (Zeek #separator, CSV column names) live there.
      const e = buf.indexOf(NL);
      lineNo++;
      handle(buf, 0, e);
      pos = e + 1;
    }
    const next = needles.map(() => -2);
    while (pos < end) {
      let best = -1;
      for (let k = 0; k < needles.length; k++) {
        // A "\n…" needle marks a line start, so it may begin on the newline just before pos.
        const lineStartNeedle = needles[k]![0] === NL;
        const from = lineStartNeedle ? pos - 1 : pos;
        if (next[k]! !== -1 && next[k]! < from) next[k] = buf.indexOf(needles[k]!, Math.max(0, from));
        let at = next[k]!;
        if (at >= 0 && lineStartNeedle) at++;
        if (at >= 0 && at < end && (best < 0 || at < best)) best = at;
      }
      if (best < 0) break;
      const lineStart = best === 0 ? 0 : buf.lastIndexOf(NL, best - 1) + 1;
      const skipped = countLines(buf, pos, lineStart);
      stats.skipped += skipped;
      lineNo += skipped + 1;
      let lineEnd = buf.indexOf(NL, best);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      handle(buf, lineStart, lineEnd);
      pos = lineEnd + 1;
    }
    if (pos <= end) {
      const rest = countLines(buf, pos, end) + 1;
      stats.skipped += rest;
      lineNo += rest;
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    let buf = chunk as Buffer;
    stats.bytes += buf.length;
    if (carry) {
      // Join only the line that straddles the chunk boundary: copying whole chunks costs more than parsing them.
      const first = buf.indexOf(NL);
      if (first < 0) { carry = Buffer.concat([carry, buf]); continue; }
      const joined = Buffer.concat([carry, buf.subarray(0, first + 1)]);
      region(joined, joined.length - 1, false);
      carry = null;
      buf = buf.subarray(first + 1);
    }
    const last = buf.lastIndexOf(NL);
    if (last < 0) { carry = buf; continue; }
    region(buf, last, false);
    carry = last + 1 < buf.length ? buf.subarray(last + 1) : null;
  }
  if (carry && carry.length > 0) region(carry, carry.length, true);
  return stats;
}
