// The netfilter reader finds its fields in the bytes of a line; here, random lines built from the fields it reads
// (in any order, repeated, missing, glued to a rule prefix) are read by it and by the rules it implements written
// plainly with string searches, and the two must agree line by line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeIp, normalizeMac, protocolOf, type DraftEvent } from '../../scripts/draft/events.js';
import { netfilter } from '../../scripts/draft/formats/netfilter.js';
import { portNumber } from '../../scripts/draft/events.js';

let seed = 11;
const random = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)]!;

const TOKENS = [
  'IN=eth0', 'IN=', 'OUT=eth1', '[UFW BLOCK]', '[WAN_OUT-2000-A]IN=eth0', 'XIN=eth0', 'SRC=192.168.1.50', 'SRC=10.0.0.7', 'SRC=fe80::1',
  'SRC=nope', 'DST=93.184.216.34', 'DST=192.168.1.50', 'DST=', 'PROTO=TCP', 'PROTO=UDP', 'PROTO=ICMP', 'PROTO=2', 'PROTO=6', 'PROTO=',
  'SPT=443', 'SPT=51000', 'SPT=x1', 'DPT=53', 'DPT=65536', 'DPT=', 'MAC=01:00:5e:00:00:01:88:44:77:21:e3:d3:08:00', 'MAC=aa:bb',
  'SYN', 'ACK', 'SYN/ACK', 'LEN=60', 'TTL=64', 'ID=0', 'DF', 'URGP=0', 'RES=0x00', 'WINDOW=64240', '', 'SRC=', 'PROTO', 'SPTX=1',
];

/** What the reader should emit for a line, by its rules: the first " SRC=" with an IN= field before it; the other fields after it. */
function expected(line: string): DraftEvent | 'other' | 'malformed' {
  const at = line.indexOf(' SRC=');
  if (at < 0 || !/[ \]]IN=/.test(line.slice(0, at))) return 'other';
  const after = (key: string, from: number) => { const i = line.indexOf(key, from); if (i < 0) return undefined; const s = i + key.length; const e = line.indexOf(' ', s); return line.slice(s, e < 0 ? undefined : e); };
  const src = normalizeIp(after(' SRC=', at)!);
  const dstText = after(' DST=', at);
  const dst = dstText === undefined ? null : normalizeIp(dstText);
  if (!src || !dst) return 'malformed';
  const protoText = after(' PROTO=', at);
  if (protoText === undefined) return 'malformed';
  const protocol = protocolOf(protoText);
  if (!protocol) return 'other';
  const macText = after(' MAC=', 0);
  const mac = macText === undefined ? '' : macText;
  const srcMac = mac.length >= 35 ? normalizeMac(mac.slice(18, 35)) ?? undefined : undefined;
  const dstMac = mac.length >= 17 ? normalizeMac(mac.slice(0, 17)) ?? undefined : undefined;
  const time = Date.UTC(2024, 2, 3, 10, 0, 1);
  if (protocol === 'icmp' || protocol === 'icmpv6') return { kind: 'flow', time, src, dst, protocol, sport: undefined, dport: undefined, role: 'packet', srcMac, dstMac };
  const sport = portNumber(after(' SPT=', at));
  const dport = portNumber(after(' DPT=', at));
  if (sport === undefined || dport === undefined) return 'malformed';
  const role = protocol === 'tcp' && line.includes(' SYN ') ? (line.includes(' ACK ') ? 'synack' : 'syn') : 'packet';
  return { kind: 'flow', time, src, dst, protocol, sport, dport, role, srcMac, dstMac };
}

describe('netfilter fields', () => {
  it('are read as the plain rules read them, for random lines', async () => {
    // Most lines follow the order netfilter writes, with fields dropped, swapped or replaced; the rest are any tokens.
    const usual = ['[UFW BLOCK]', 'IN=eth0', 'OUT=', 'MAC=01:00:5e:00:00:01:88:44:77:21:e3:d3:08:00', 'SRC=192.168.1.50', 'DST=93.184.216.34', 'LEN=60', 'PROTO=TCP', 'SPT=51000', 'DPT=443', 'WINDOW=64240', 'SYN', 'URGP=0'];
    const fields = () => {
      if (random(4) === 0) return Array.from({ length: 1 + random(14) }, () => pick(TOKENS));
      const out = usual.filter(() => random(12) !== 0).map((t) => (random(10) === 0 ? pick(TOKENS) : t));
      if (random(4) === 0) { const i = random(out.length); const j = random(out.length); [out[i], out[j]] = [out[j]!, out[i]!]; }
      return out;
    };
    const lines = Array.from({ length: 8000 }, () => `Mar  3 10:00:01 fw kernel: ${fields().join(' ')}${pick(['', ' ', ' SYN', ' ACK '])}`);
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-netfilter-'));
    const file = join(dir, 'log');
    writeFileSync(file, lines.join('\n') + '\n');
    const events: DraftEvent[] = [];
    const stats = await netfilter.read(file, { emit: (e) => events.push({ ...e }) }, { filter: { needles: null, ips: new Set(), macs: new Set() }, year: 2024 });
    const want = lines.map(expected);
    const wantEvents = want.filter((w): w is DraftEvent => typeof w !== 'string');
    expect(events.map((e) => JSON.stringify(e))).toEqual(wantEvents.map((e) => JSON.stringify(e)));
    expect(stats.other).toBe(want.filter((w) => w === 'other').length);
    expect(stats.malformed).toBe(want.filter((w) => w === 'malformed').length);
    expect(wantEvents.length).toBeGreaterThan(1500);
    expect(want.filter((w) => w === 'other').length).toBeGreaterThan(300);
    expect(want.filter((w) => w === 'malformed').length).toBeGreaterThan(300);
  });
});
