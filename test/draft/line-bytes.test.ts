import { describe, expect, it } from 'vitest';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteMemo, BytePattern, LineClock, portIn, WindowBytes } from '../../scripts/draft/formats/text.js';
import { normalizeIp, portNumber } from '../../scripts/draft/events.js';
import { LogClock } from '../../scripts/draft/time.js';

// The byte-level helpers the busiest readers parse with, checked against the string operations they replace.
let seed = 7;
const random = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
const ALPHABET = ' ]:=SRCYNK.,01239abcXyz\u00e9\r';
const randomText = (length: number) => Array.from({ length }, () => ALPHABET[random(ALPHABET.length)]).join('');

function window(text: string): WindowBytes {
  const bytes = new WindowBytes();
  bytes.use(Buffer.from(text, 'latin1'));
  return bytes;
}

describe('WindowBytes', () => {
  it('indexOf and find give what String.prototype.indexOf gives within the range, never past its end', () => {
    const patterns = ([[' SRC=', 1], [' SYN ', 2], ['IN=', 1], [']: ', 0], ['0123', 3]] as const).map(([p, anchor]) => ({ p, pattern: new BytePattern(p, anchor) }));
    const got: (number | boolean)[] = [];
    const expected: (number | boolean)[] = [];
    for (let round = 0; round < 3000; round++) {
      const text = randomText(1 + random(60));
      const bytes = window(text);
      const from = random(text.length + 1);
      const to = from + random(text.length - from + 1);
      const slice = text.slice(from, to);
      for (const c of [' ', ']', 'S', '\r']) {
        const at = slice.indexOf(c);
        got.push(bytes.indexOf(c.charCodeAt(0), from, to));
        expected.push(at < 0 ? -1 : from + at);
      }
      for (const { p, pattern } of patterns) {
        const at = slice.indexOf(p);
        got.push(bytes.find(pattern, from, to), bytes.startsWith(from, to, pattern));
        expected.push(at < 0 ? -1 : from + at, slice.startsWith(p));
      }
    }
    expect(got).toEqual(expected);
  });
});

describe('ByteMemo', () => {
  it('gives the parse of each text however many texts it has seen (it grows, then starts again)', () => {
    const memo = new ByteMemo((text) => `<${text}>`);
    const texts = Array.from({ length: 100_000 }, (_, i) => `host-${i % 50_000}.example.${i % 7 === 0 ? 'COM' : 'com'}`);
    const buf = Buffer.from(texts.join('\n'), 'latin1');
    const bytes = new WindowBytes();
    bytes.use(buf);
    let start = 0;
    const wrong: string[] = [];
    for (const text of texts) {
      if (memo.get(bytes, start, start + text.length) !== `<${text}>`) wrong.push(text);
      start += text.length + 1;
    }
    expect(wrong).toEqual([]);
  });

  it('keeps no key longer than 255 bytes, and still parses it', () => {
    let parsed = 0;
    const memo = new ByteMemo((text) => { parsed++; return text.length; });
    const bytes = window('x'.repeat(1000));
    expect(memo.get(bytes, 0, 1000)).toBe(1000);
    expect(memo.get(bytes, 0, 1000)).toBe(1000);
    expect(parsed).toBe(2);
    expect(memo.get(bytes, 0, 10)).toBe(10);
    expect(memo.get(bytes, 0, 10)).toBe(10);
    expect(parsed).toBe(3);
  });

  it('tells apart keys of every length that differ in one byte anywhere, and parses each once', () => {
    const texts: string[] = [];
    for (let length = 0; length <= 40; length++) {
      const base = 'k'.repeat(length);
      texts.push(base);
      for (let at = 0; at < length; at++) texts.push(`${base.slice(0, at)}q${base.slice(at + 1)}`);
    }
    let parsed = 0;
    const memo = new ByteMemo((text) => { parsed++; return `<${text}>`; });
    // Twice over, at other offsets of a buffer (keys start anywhere in a line).
    const buf = Buffer.from(`${texts.join(' ')} ${texts.join(' ')}`, 'latin1');
    const bytes = new WindowBytes();
    bytes.use(buf);
    const wrong: string[] = [];
    let start = 0;
    for (const text of [...texts, ...texts]) {
      if (memo.get(bytes, start, start + text.length) !== `<${text}>`) wrong.push(text);
      start += text.length + 1;
    }
    expect(wrong).toEqual([]);
    expect(parsed).toBe(texts.length);
  });

  it('normalizeIp through the memo is normalizeIp', () => {
    const memo = new ByteMemo(normalizeIp);
    for (const text of ['192.168.1.10', '192.168.01.10', '2001:DB8::1', '::ffff:192.0.2.1', '[fe80::1]', 'NODATA', '', '192.168.1.10']) {
      expect(memo.get(window(text), 0, text.length)).toBe(normalizeIp(text));
    }
  });
});

describe('portIn', () => {
  it('is portNumber of the text', () => {
    for (const text of ['0', '80', '00443', '65535', '65536', '123456', '', '1e3', '0x1F', ' 5', '-1', '8a']) {
      expect(portIn(Buffer.from(text, 'latin1'), 0, text.length)).toBe(portNumber(text));
    }
  });
});

describe('LineClock', () => {
  it('gives LogClock.syslog of the line, for repeated and changing stamps, with and without <PRI>', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-lineclock-'));
    const file = join(dir, 'log');
    writeFileSync(file, '');
    utimesSync(file, new Date('2024-02-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));
    const lines = [
      'Feb 11 00:14:00 host a', 'Feb 11 00:14:00 host b', 'Feb 11 00:14:01 host c', 'Dec 31 23:59:59 host d',
      '<134>Jul  3 10:00:00 host e', '<134>1 2022-09-06T18:37:34+02:00 host f', '2024-01-02T10:00:00Z host g',
      'Feb 11 0', 'Xyz 11 00:14:00 host h', 'Feb 11 00:14:00', 'Feb 11 24:99:00 host i', 'Feb 11 00:14:00 host a',
    ];
    const reference = new LogClock(file);
    const clock = new LineClock(new LogClock(file));
    for (const line of lines) {
      const buf = Buffer.from(`\n${line}\n`, 'latin1');
      const bytes = new WindowBytes();
      bytes.use(buf);
      expect(clock.timeOf(bytes, 1, 1 + line.length), line).toEqual(reference.syslog(line));
    }
  });

  it('gives LogClock.syslog for any sequence of days and times, valid or not (the same day is read from its digits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-lineclock-'));
    const file = join(dir, 'log');
    writeFileSync(file, '');
    const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)]!;
    const lines = Array.from({ length: 5000 }, () => `${pick(['Feb', 'Dec', 'Xyz'])} ${pick(['11', ' 3', '1x', '31', '00', '30'])} ${pick(['00', '23', '24', '0x', '9'])}${pick([':', ' '])}${pick(['14', '59', '99'])}:${pick(['00', '01', 'a1'])} host x`);
    const reference = new LogClock(file, 2023);
    const clock = new LineClock(new LogClock(file, 2023));
    const got: number[] = [];
    const expected: number[] = [];
    for (const line of lines) {
      const bytes = new WindowBytes();
      bytes.use(Buffer.from(`\n${line}\n`, 'latin1'));
      got.push(clock.timeOf(bytes, 1, 1 + line.length));
      expected.push(reference.syslog(line));
    }
    expect(got).toEqual(expected);
  });
});
