// The Pi-hole statements run in sqlite3 on Pi-hole's gravity tables, and each device's group ends up holding exactly
// its own addresses and the names it does without: nothing more, nothing in the Default group, and the same again
// when the file is loaded twice.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blocklist, renderBlocklists } from '../../scripts/policy/formats/blocklists.js';
import { loadDataset } from '../../scripts/policy/index.js';
import { plan } from '../../scripts/policy/plan.js';
import { writeSyntheticTree } from '../../scripts/bench/synthetic.js';
import { GRAVITY_SCHEMA } from './checkers.js';

const QUERY = [
  `SELECT 'entry', g.name, d.type, d.domain FROM domainlist_by_group m JOIN domainlist d ON d.id = m.domainlist_id JOIN "group" g ON g.id = m.group_id ORDER BY 2, 3, 4;`,
  `SELECT 'client', g.name, c.ip FROM client_by_group m JOIN client c ON c.id = m.client_id JOIN "group" g ON g.id = m.group_id ORDER BY 2, 3;`,
  `SELECT 'group', name, description FROM "group" WHERE id <> 0 ORDER BY name;`,
].join('\n');

function gravityAfter(sql: string, times: number): string[] {
  const r = spawnSync('sqlite3', ['-bail', ':memory:'], { input: `${GRAVITY_SCHEMA}\n${sql.repeat(times)}\n${QUERY}\n`, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n');
}

describe('Pi-hole groups', () => {
  it('give each device its own addresses and wants, for devices that share names, with and without addresses', async () => {
    // Synthetic devices of one vendor draw their names from one small pool, so several block the same name.
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-pihole-'));
    const ids = writeSyntheticTree(dir, { devices: 30, vendors: 1 });
    const dataset = await loadDataset(dir);
    rmSync(dir, { recursive: true, force: true });
    if ('errors' in dataset) throw new Error(dataset.errors.join('\n'));
    const devices = ids.map((id, i) => ({ id, addresses: i % 4 === 3 ? [] : [`192.168.1.${10 + i}`, ...(i % 2 ? [`2001:db8::${i + 1}`] : [])] }));
    const policy = plan(dataset, { devices, profile: 'home-assistant', unknown: 'allow' });
    const sql = renderBlocklists(policy).find((f) => f.name === 'blocklist.pihole.sql')!.content;

    const expected: string[] = [];
    for (const d of policy.devices) {
      const list = blocklist(policy, [d]);
      for (const h of list.hosts) expected.push(`entry|netneeds_${d.tag}|1|${h}`);
      for (const w of list.domains) expected.push(`entry|netneeds_${d.tag}|3|(^|\\.)${w.replace(/\./g, '\\.')}$`);
    }
    const clients = policy.devices.flatMap((d) => [...d.sources.v4, ...d.sources.v6].map((ip) => `client|netneeds_${d.tag}|${ip}`));
    const groups = policy.devices.map((d) => `group|netneeds_${d.tag}|NetNeeds ${d.tag}: ${d.id}`);
    const sorted = (xs: string[]) => [...xs].sort();

    expect(expected.length).toBeGreaterThan(30);
    expect(clients.length).toBeGreaterThan(5);
    const once = gravityAfter(sql, 1);
    const rows = (kind: string) => once.filter((l) => l.startsWith(`${kind}|`));
    expect(sorted(rows('entry'))).toEqual(sorted(expected));
    expect(sorted(rows('client'))).toEqual(sorted(clients));
    expect(sorted(rows('group'))).toEqual(sorted(groups));
    // Some name is wanted by none and blocked for several devices: each of their groups holds it.
    const shared = expected.map((e) => e.split('|').slice(2).join('|')).filter((n, i, all) => all.indexOf(n) !== i);
    expect(shared.length).toBeGreaterThan(0);
    expect(gravityAfter(sql, 2)).toEqual(once);
  }, 120_000);
});
