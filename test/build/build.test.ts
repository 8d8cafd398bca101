import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { BUILD_MARKER } from '../../scripts/lib/output-dir.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { build, buildTo, EMITTERS } from '../../scripts/build/index.js';
import { apiEmitter } from '../../scripts/build/emit/api.js';
import { bundleEmitter } from '../../scripts/build/emit/bundle.js';
import { csvEmitter } from '../../scripts/build/emit/csv.js';
import { markdownEmitter } from '../../scripts/build/emit/markdown.js';
import { blocklist } from '../../scripts/policy/formats/blocklists.js';
import { blocklistPath } from '../../scripts/build/emit/blocklists.js';
import { plan, PROFILES } from '../../scripts/policy/plan.js';
import { writeSyntheticTree } from '../../scripts/bench/synthetic.js';
import { ROOT } from '../../scripts/lib/project.js';
import { canonicalText } from '../../scripts/lib/canonical.js';
import { parseDocument } from 'yaml';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import { visit } from 'unist-util-visit';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `netneeds-${name}-`));

/** A copy of the seed vendor with one device whose free-text fields are hostile. */
function hostileTree(): string {
  const dir = tmp('hostile');
  cpSync(join(ROOT, 'devices/roborock/_vendor.yaml'), join(dir, 'roborock/_vendor.yaml'));
  const seed = readFileSync(join(ROOT, 'devices/roborock/s50.yaml'), 'utf8');
  const hostile = seed
    .replace('id: roborock/s50', 'id: roborock/s50\naliases: [roborock/old-s50]')
    .replace(/^name: .*$/m, `name: "=HYPERLINK(\\"http://x.invalid\\") | [a](javascript:alert(1)) <img src=x onerror=alert(1)>"`);
  writeFileSync(join(dir, 'roborock/s50.yaml'), canonicalText(parseDocument(hostile), 'device'));
  return dir;
}

describe('build', () => {
  it('is deterministic: two builds of the same tree are byte-identical', async () => {
    const dir = tmp('synthetic');
    writeSyntheticTree(dir, { devices: 20, seed: 7 });
    // Pin the commit: in a working tree, someone may commit between the two builds.
    process.env.NETNEEDS_COMMIT = '0123456789abcdef0123456789abcdef01234567';
    const a = await build(dir);
    const b = await build(dir);
    delete process.env.NETNEEDS_COMMIT;
    if ('errors' in a || 'errors' in b) throw new Error('build refused');
    expect(a.files.map((f) => f.path)).toEqual(b.files.map((f) => f.path));
    for (let i = 0; i < a.files.length; i++) expect(Buffer.from(a.files[i]!.content).equals(Buffer.from(b.files[i]!.content)), a.files[i]!.path).toBe(true);
    const now = new Date().toISOString().slice(0, 10);
    const stamped = a.files.filter((f) => String(f.content).includes(now)).map((f) => f.path);
    expect(stamped).toEqual([]);
  });

  it('writes the same files from worker threads as in one thread, and the same to disk as in memory', async () => {
    const dir = tmp('threads');
    writeSyntheticTree(dir, { devices: 40, vendors: 3, seed: 11 });
    process.env.NETNEEDS_COMMIT = '0123456789abcdef0123456789abcdef01234567';
    try {
      const one = await build(dir, EMITTERS, { workers: 1 });
      const two = await build(dir, EMITTERS, { workers: 2 });
      const out = join(tmp('threads-out'), 'dist');
      const disk = await buildTo(dir, out, EMITTERS, { workers: 2 });
      if ('errors' in one || 'errors' in two || 'errors' in disk) throw new Error('build refused');
      expect(two.files.map((f) => f.path)).toEqual(one.files.map((f) => f.path));
      for (let i = 0; i < one.files.length; i++) expect(Buffer.from(two.files[i]!.content).equals(Buffer.from(one.files[i]!.content)), one.files[i]!.path).toBe(true);
      expect(disk.written.map((f) => f.path).sort()).toEqual(one.files.map((f) => f.path));
      for (const f of one.files) expect(readFileSync(join(out, f.path)).equals(Buffer.from(f.content)), f.path).toBe(true);
      // The downloads page counts what the worker threads wrote too.
      expect(String(one.files.find((f) => f.path === 'site/downloads/index.html')!.content)).toContain('40 files');
    } finally {
      delete process.env.NETNEEDS_COMMIT;
    }
  }, 180_000);

  it('a failed build leaves the previous output in place', async () => {
    const dir = hostileTree();
    const out = join(tmp('keep'), 'dist');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, BUILD_MARKER), ''); // a build made it, so a build may replace it
    writeFileSync(join(out, 'previous.txt'), 'kept');
    const file = join(dir, 'roborock/s50.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('address: 18.194.236.76', 'address: 10.0.0.7'));
    const result = await buildTo(dir, out);
    expect('errors' in result).toBe(true);
    expect(readFileSync(join(out, 'previous.txt'), 'utf8')).toBe('kept');
  });

  it('refuses invalid data and says where', async () => {
    const dir = hostileTree();
    const file = join(dir, 'roborock/s50.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('address: 18.194.236.76', 'address: 10.0.0.7'));
    const result = await build(dir);
    expect('errors' in result && result.errors.join('\n')).toMatch(/s50\.yaml:\d+:\d+: public-address: 10\.0\.0\.7 is a private address/);
  });

  it('builds the real dataset with every emitter, validated against the bundle schema', async () => {
    const result = await build(join(ROOT, 'devices'), EMITTERS);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    const paths = new Set(result.files.map((f) => f.path));
    for (const p of [
      'netneeds.json', 'netneeds.csv', 'INDEX.md', 'schema/bundle.schema.json', 'types/index.d.ts', 'api/v1/devices.json', 'site/index.html',
      'mud/roborock/s50.json', 'blocklists/all/both.hosts', 'site/policy/index.html', 'site/assets/builder.js', 'site/404.html', 'site/sitemap.xml',
      'site/robots.txt', 'site/feed.xml',
    ]) {
      expect(paths.has(p), p).toBe(true);
    }
    // Rules are made on demand (CLI, policy builder): per device, the build publishes its page, its JSON and one MUD file.
    expect([...paths].filter((p) => p.startsWith('rules/') || /^blocklists\/(?!all\/)/.test(p))).toEqual([]);
    expect([...paths].filter((p) => p.startsWith('mud/')).length).toBe(result.dataset.devices.length);
    expect(result.dataset.devices.find((d) => d.id === 'roborock/s50')).toBeDefined();
  });
});

describe('household blocklists', () => {
  it('publish exactly what the blocklist() of the generator lists, for every profile', async () => {
    const dir = tmp('blocklists');
    writeSyntheticTree(dir, { devices: 60, vendors: 2, seed: 5 });
    const result = await build(dir);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    for (const profile of PROFILES) {
      const all = plan(result.dataset, { devices: result.dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
      const expected = blocklist(all);
      expect(expected.hosts.length).toBeGreaterThan(0);
      const published = result.files.find((f) => f.path === blocklistPath(profile, 'domains.txt'));
      expect(published, profile).toBeDefined();
      const listed = String(published!.content).split('\n').filter((l) => l && !l.startsWith('#')).sort();
      expect(listed).toEqual([...expected.hosts, ...expected.domains].sort());
    }
  });
});

describe('emitters treat device strings as data', () => {
  it('csv: quotes every field and defuses formulas', async () => {
    const result = await build(hostileTree(), [csvEmitter]);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    const rows = parseCsv(String(result.files[0]!.content), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(result.dataset.devices[0]!.endpoints.length);
    expect(rows[0]!.device_name!.startsWith("'=HYPERLINK")).toBe(true);
  });

  it('markdown: a name cannot break the table or inject a link', async () => {
    const result = await build(hostileTree(), [markdownEmitter]);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    const md = String(result.files[0]!.content);
    const row = md.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(9); // 7 cells between 8 unescaped pipes
    // Read it back as a markdown renderer would: the hostile name must stay text.
    const tree = remark().use(remarkGfm).parse(md);
    const kinds: string[] = [];
    const urls: string[] = [];
    visit(tree, (node) => { kinds.push(node.type); if (node.type === 'link') urls.push((node as { url: string }).url); });
    expect(kinds).not.toContain('html');
    expect(urls).toEqual(['https://netneeds.github.io/devices/roborock/s50/']);
  });

  it('an endpoint with any-destination is kind any with destination *, in the schema-checked bundle and the CSV', async () => {
    const dir = hostileTree();
    const file = join(dir, 'roborock/s50.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const evidence = String(doc.getIn(['evidence', 0, 'id']));
    doc.addIn(['endpoints'], doc.createNode({
      'any-destination': true, protocol: 'udp', ports: ['16500-65000'], service: 'rtp', purpose: 'media', party: 'unknown',
      needs: { 'vendor-app': 'unknown', 'home-assistant': 'unknown' }, evidence: [evidence],
    }));
    writeFileSync(file, canonicalText(doc, 'device'));
    const result = await build(dir, [bundleEmitter, csvEmitter]);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    const endpoints = result.dataset.devices[0]!.endpoints;
    expect(endpoints[endpoints.length - 1]).toMatchObject({ destination: '*', kind: 'any', protocol: 'udp', ports: [{ from: 16500, to: 65000 }] });
    expect(endpoints[endpoints.length - 1]!.ipVersion).toBeUndefined();
    const rows = parseCsv(String(result.files.find((f) => f.path === 'netneeds.csv')!.content), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.kind === 'any').map((r) => [r.destination, r.ports])).toEqual([['*', '16500-65000']]);
  });

  it('api: one file per device, and the old id answers with aliasOf', async () => {
    const result = await build(hostileTree(), [apiEmitter, bundleEmitter]);
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    const byPath = new Map(result.files.map((f) => [f.path, JSON.parse(String(f.content))]));
    expect(byPath.get('api/v1/devices/roborock/s50.json').device.id).toBe('roborock/s50');
    expect(byPath.get('api/v1/devices/roborock/old-s50.json').aliasOf).toBe('roborock/s50');
    expect(byPath.get('api/v1/devices.json').devices).toHaveLength(1);
  });
});
