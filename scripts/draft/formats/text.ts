import { scanLines, type LineResult } from '../lines.js';
import { LogClock } from '../time.js';
import type { ReadOptions, ReadStats } from '../events.js';

/**
 * Reads a line-based log. `needles`: whether lines without a device needle may be skipped unparsed, or
 * extra needles (such as "\n#" for header lines) that must be read as well.
 */
export async function readLines(path: string, options: ReadOptions, needles: boolean | string[], makeParser: (clock: LogClock) => (line: string) => LineResult): Promise<ReadStats> {
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

/**
 * `line.slice(from).split(' ', limit)` without its cost: String.prototype.split with a limit costs several times
 * what a few indexOf calls do, and a DNS log has a line to split per lookup and per answer.
 */
export function wordsFrom(line: string, from: number, limit: number): string[] {
  const words: string[] = [];
  for (let p = from; words.length < limit; ) {
    const space = line.indexOf(' ', p);
    if (space < 0) { words.push(line.slice(p)); break; }
    words.push(line.slice(p, space));
    p = space + 1;
  }
  return words;
}
