// Streams a text file line by line in bounded memory. With needles, lines that contain none of them are
// skipped with one indexOf per needle per chunk instead of being sliced and parsed: that is what keeps a
// 1 GB firewall log fast when the device is one host among many.
import { createReadStream } from 'node:fs';
import { newStats, noteMalformed, type ReadStats } from './events.js';

/** 'ok': parsed; 'other': a line of something else (another program, a header); a string: why it is malformed. */
export type LineResult = 'ok' | 'other' | string;

const CHUNK = 1 << 22;

export async function scanLines(path: string, needles: string[] | null, onLine: (line: string) => LineResult): Promise<ReadStats> {
  const stats = newStats();
  let lineNo = 0;
  let carry = '';
  const handle = (line: string) => {
    stats.records++;
    const result = onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (result === 'other') stats.other++;
    else if (result !== 'ok') noteMalformed(stats, `line ${lineNo}`, result);
  };
  const countLines = (text: string, from: number, to: number) => {
    let n = 0;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  // Lines up to `end` (exclusive, at a newline) are complete.
  const region = (text: string, end: number) => {
    if (!needles) {
      for (let s = 0; s < end; ) {
        let e = text.indexOf('\n', s);
        if (e < 0 || e > end) e = end;
        lineNo++;
        handle(text.slice(s, e));
        s = e + 1;
      }
      return;
    }
    const next = needles.map(() => -2);
    let pos = 0;
    if (lineNo === 0) {
      // The first line is always read: headers (Zeek #separator, CSV column names) live there.
      const e = text.indexOf('\n');
      lineNo++;
      handle(text.slice(0, e < 0 || e > end ? end : e));
      pos = e < 0 || e > end ? end : e + 1;
    }
    while (pos < end) {
      let best = -1;
      for (let k = 0; k < needles.length; k++) {
        // A "\n…" needle marks a line start, so it may begin on the newline just before pos.
        const from = needles[k]!.charCodeAt(0) === 10 ? pos - 1 : pos;
        if (next[k]! !== -1 && next[k]! < from) next[k] = text.indexOf(needles[k]!, Math.max(0, from));
        let at = next[k]!;
        if (at >= 0 && needles[k]!.charCodeAt(0) === 10) at++;
        if (at >= 0 && at < end && (best < 0 || at < best)) best = at;
      }
      if (best < 0) break;
      const lineStart = best === 0 ? 0 : text.lastIndexOf('\n', best - 1) + 1;
      const skippedLines = countLines(text, pos, lineStart);
      stats.skipped += skippedLines;
      lineNo += skippedLines + 1;
      let lineEnd = text.indexOf('\n', best);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      handle(text.slice(lineStart, lineEnd));
      pos = lineEnd + 1;
    }
    if (pos < end) {
      const rest = countLines(text, pos, end) + 1;
      stats.skipped += rest;
      lineNo += rest;
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    const buf = chunk as Buffer;
    stats.bytes += buf.length;
    // latin1 maps bytes one to one: cheap, and a non-ASCII host name is rejected later anyway.
    const text = carry + buf.toString('latin1');
    const last = text.lastIndexOf('\n');
    if (last < 0) { carry = text; continue; }
    region(text, last);
    carry = text.slice(last + 1);
  }
  if (carry.length > 0) { needles = null; region(carry, carry.length); }
  return stats;
}
