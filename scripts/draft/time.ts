// Timestamps as logs write them. BSD syslog leaves out the year: it is taken from --year or from the
// file's modification time (a December line in a file written in January belongs to the year before).
import { statSync } from 'node:fs';

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export class LogClock {
  private key = '';
  private value = NaN;
  /** Never found in a line, so the first stamp computes its day. */
  private dayKey = '\n';
  private dayStart = NaN;
  private readonly fileYear: number;
  private readonly fileMonth: number;
  /** Set once a year had to be supplied for a BSD timestamp. */
  yearFrom: string | undefined;

  constructor(path: string, private readonly year?: number) {
    const mtime = statSync(path).mtime;
    this.fileYear = mtime.getUTCFullYear();
    this.fileMonth = mtime.getUTCMonth();
  }

  /** Time of a syslog line: RFC 5424 (`<134>1 2022-09-06T18:37:34+02:00 …`), ISO 8601 at the start, or BSD `Feb 11 00:14:00`, with or without `<PRI>`. */
  syslog(line: string): number {
    let start = 0;
    if (line.charCodeAt(0) === 60 /* < */) {
      // <PRI> is followed by RFC 5424's version and a space ("<134>1 2022-…"), or directly by a BSD stamp ("<134>Jul  3 …").
      const gt = line.indexOf('>');
      if (gt < 0 || gt > 5) return NaN;
      start = gt + 1;
      const c = line.charCodeAt(start);
      if (c >= 49 && c <= 57 && line.charCodeAt(start + 1) === 32) start += 2;
    }
    const c = line.charCodeAt(start);
    if (c >= 48 && c <= 57) {
      const sp = line.indexOf(' ', start);
      return Date.parse(line.slice(start, sp < 0 ? undefined : sp));
    }
    return this.bsdAt(line, start);
  }

  /** A BSD stamp at line[start]; the common `Mmm dd hh:mm:ss` shape without slicing, one date computation per day. */
  private bsdAt(line: string, start: number): number {
    const clock = timeOfDay(line, start + 7);
    if (clock < 0) return this.bsd(line.slice(start, start + 15));
    if (!line.startsWith(this.dayKey, start)) {
      this.dayKey = line.slice(start, start + 6);
      this.dayStart = this.bsd(`${this.dayKey} 00:00:00`);
    }
    return this.dayStart + clock;
  }

  /** `Mmm dd hh:mm:ss`, read as UTC: a draft keeps dates, and the log does not say its zone. */
  bsd(stamp: string): number {
    if (stamp === this.key) return this.value;
    const month = MONTHS[stamp.slice(0, 3)];
    const day = Number(stamp.slice(4, 6));
    const [h, m, s] = stamp.slice(7, 15).split(':').map(Number);
    let value = NaN;
    if (month !== undefined && day >= 1 && day <= 31 && h !== undefined && m !== undefined && s !== undefined) {
      let year = this.year;
      if (year === undefined) {
        year = month > this.fileMonth ? this.fileYear - 1 : this.fileYear;
        this.yearFrom = 'the file modification time (pass --year to set it)';
      }
      value = Date.UTC(year, month, day, h, m, s);
    }
    this.key = stamp;
    this.value = value;
    return value;
  }
}

function twoDigits(line: string, at: number): number {
  const a = line.charCodeAt(at) - 48;
  const b = line.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Milliseconds into the day of `hh:mm:ss` at line[at], or -1 when it is not written that way. */
function timeOfDay(line: string, at: number): number {
  if (line.charCodeAt(at + 2) !== 58 || line.charCodeAt(at + 5) !== 58) return -1;
  const h = twoDigits(line, at);
  const m = twoDigits(line, at + 3);
  const s = twoDigits(line, at + 6);
  return h < 0 || m < 0 || s < 0 ? -1 : h * 3_600_000 + m * 60_000 + s * 1000;
}

/** Seconds since the epoch with a fraction (Zeek `ts`, conntrack timestamps). */
export function epochSeconds(text: string): number {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 && n < 1e11 ? n * 1000 : NaN;
}

/** ISO-like date-time as tools print it (`2024-01-02 10:00:00.123`, `2024-01-02T10:00:00Z`); zone-less is read as UTC. */
export function isoTime(text: string): number {
  const t = text.trim().replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
}

export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
export function minuteOf(time: number): string {
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
