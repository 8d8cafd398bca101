import { scanLines, type LineResult } from '../lines.js';
import { LogClock } from '../time.js';
import type { ReadOptions, ReadStats } from '../events.js';

/** Reads a line-based log; `needles` says whether lines without a device needle may be skipped unparsed. */
export async function readLines(path: string, options: ReadOptions, needles: boolean, makeParser: (clock: LogClock) => (line: string) => LineResult): Promise<ReadStats> {
  const clock = new LogClock(path, options.year);
  const stats = await scanLines(path, needles ? options.filter.needles : null, makeParser(clock));
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
