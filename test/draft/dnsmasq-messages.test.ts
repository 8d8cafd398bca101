// The dnsmasq reader reads each distinct message once (a memo keyed by its bytes): here random lines, with
// messages repeated, malformed, longer than the memo keeps, and with names in any case, are read by it and by its
// rules written plainly, line by line, and the two must agree on every event and every count.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeIp, normalizeMac, type DraftEvent } from '../../scripts/draft/events.js';
import { dnsmasq } from '../../scripts/draft/formats/dnsmasq.js';
import { LogClock } from '../../scripts/draft/time.js';

let seed = 5;
const random = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % n;
const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)]!;

/** The reader's rules: the verb after the first "]: "; a lookup names its client; an answer goes to whoever asked for the head of its CNAME chain. */
function plainRead(lines: string[], clock: LogClock): { events: DraftEvent[]; malformed: number; other: number } {
  const events: DraftEvent[] = [];
  let malformed = 0;
  let other = 0;
  const askedBy = new Map<string, string>();
  let chainHead: string | undefined;
  const word = (m: string, from: number) => m.slice(from).split(' ')[0]!;
  for (const line of lines) {
    const tag = line.indexOf(']: ');
    const m = tag < 0 ? '' : line.slice(tag + 3);
    const verb = /^(query\[|reply |cached |cached-stale |DHCPACK\()/.exec(m)?.[1];
    if (!verb) { other++; continue; }
    const time = clock.syslog(line);
    const words = m.split(' ');
    if (verb === 'query[') {
      const client = words.length > 3 && words[1] !== '' && words[2] === 'from' ? normalizeIp(words[3]!) : null;
      if (!client) { malformed++; continue; }
      const name = words[1]!.toLowerCase();
      askedBy.set(name, client);
      chainHead = name;
      events.push({ kind: 'query', time, client, name });
    } else if (verb === 'DHCPACK(') {
      const s1 = m.indexOf(' ', 8);
      const ip = s1 < 0 ? null : normalizeIp(word(m, s1 + 1));
      const s2 = s1 < 0 ? -1 : m.indexOf(' ', s1 + 1);
      const mac = s2 < 0 ? null : normalizeMac(word(m, s2 + 1));
      if (!ip || !mac) { malformed++; continue; }
      events.push({ kind: 'lease', time, ip, mac });
    } else {
      if (!(words.length > 3 && words[1] !== '' && words[2] === 'is')) { malformed++; continue; }
      const name = words[1]!.toLowerCase();
      const asker = askedBy.get(name);
      if (asker !== undefined) chainHead = name;
      const address = normalizeIp(words[3]!);
      if (!address) continue;
      const head = asker !== undefined ? name : chainHead ?? name;
      events.push({ kind: 'dns', time, client: asker ?? askedBy.get(head), name: head, address });
    }
  }
  return { events, malformed, other };
}

describe('dnsmasq messages', () => {
  it('are read as the plain rules read them, for random lines', async () => {
    const names = ['a.example.com', 'B.Example.COM', 'cdn.example.net', `${'x'.repeat(300)}.com`, 'c'];
    const values = ['1.2.3.4', '2001:db8::1', '<CNAME>', 'NXDOMAIN', 'NODATA-IPv6', '192.168.1.5', '999.1.1.1', ''];
    const message = () => pick([
      () => `query[${pick(['A', 'AAAA', 'HTTPS'])}] ${pick(names)} from ${pick(['192.168.1.116', '192.168.1.7', 'fe80::1', 'nope', ''])}${pick(['', ' ', ' x'])}`,
      () => `${pick(['reply', 'cached', 'cached-stale', 'config', 'forwarded'])} ${pick(names)} ${pick(['is', 'is', 'to', 'iz', ''])} ${pick(values)}${pick(['', ' ', ' x'])}`,
      () => `DHCPACK(eth0) ${pick(['192.168.1.50', 'x', ''])} ${pick(['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'zz', ''])}${pick(['', ' host', ' '])}`,
      () => pick(['query[A]', 'reply', 'reply  x is 1.2.3.4', 'query[A]  from 1.2.3.4', 'cached x is', 'DHCPACK(', 'DHCPACK(eth0)']),
    ])();
    const lines = Array.from({ length: 20_000 }, () => `${pick(['May  8 01:57:00', 'May  8 01:57:01', '<30>May  9 02:00:00', '2024-05-08T01:57:00Z'])} ${pick(['dnsmasq[71314]', 'pihole-FTL[5]', 'x]'])}: ${message()}`);
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-dnsmasq-'));
    const file = join(dir, 'log');
    writeFileSync(file, lines.join('\n') + '\n');
    const events: DraftEvent[] = [];
    const stats = await dnsmasq.read(file, { emit: (e) => events.push({ ...e }) }, { filter: { needles: null, ips: new Set(), macs: new Set() }, year: 2024 });
    const want = plainRead(lines, new LogClock(file, 2024));
    expect(events.map((e) => JSON.stringify(e))).toEqual(want.events.map((e) => JSON.stringify(e)));
    expect([stats.malformed, stats.other]).toEqual([want.malformed, want.other]);
    expect([want.events.length, want.malformed, want.other].every((n) => n > 1000)).toBe(true);
  });
});
