// npm run fix, in process: rewrites into canonical form once, keeps comments, then leaves files alone.
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/index.js';
import { lint } from '../../scripts/lint/index.js';
import { baseDevice, baseVendor, TODAY, tree, yamlOf } from './helpers.js';

const saved = process.env.NETNEEDS_DEVICES;
afterEach(() => { if (saved === undefined) delete process.env.NETNEEDS_DEVICES; else process.env.NETNEEDS_DEVICES = saved; });

describe('netneeds fix', () => {
  it('makes messy files pass canonical-format, keeps comments, and is idempotent; leaves unreadable files alone', async () => {
    const canonical = yamlOf(baseDevice());
    const messy = canonical.split('\n').slice(1).join('\n') // no modeline
      .replace('name: Acme Widget\ncategory: plug', '# why a plug: see the manual\ncategory: plug # EU\nname: Acme Widget');
    const broken = 'id: acme/broken\nid: acme/broken\n';
    const dir = tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': messy, 'acme/broken.yaml': broken });
    process.env.NETNEEDS_DEVICES = dir;
    expect(await main(['fix'])).toBe(1); // the broken file is refused, and the exit code says so
    const fixed = readFileSync(join(dir, 'acme/widget.yaml'), 'utf8');
    expect(fixed).toContain('# why a plug: see the manual');
    expect(fixed).toContain('category: plug # EU');
    expect(fixed.replace('# why a plug: see the manual\n', '').replace(' # EU', '')).toBe(canonical);
    expect(readFileSync(join(dir, 'acme/broken.yaml'), 'utf8')).toBe(broken);
    expect(lint(dir, { today: TODAY, only: ['acme/widget.yaml'] }).problems).toEqual([]);
    expect(await main(['fix'])).toBe(1); // the broken file is refused, and the exit code says so
    expect(readFileSync(join(dir, 'acme/widget.yaml'), 'utf8')).toBe(fixed);
  });
});

describe('netneeds fix only formats', () => {
  it('never rewrites a file that fails the schema or spells numbers oddly, and exits 1; the other files are still fixed', async () => {
    const canonical = yamlOf(baseDevice());
    const messy = canonical.replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget');
    const leadingZero = canonical.replace('category: plug', 'models: [08]\ncategory: plug').replace('name: Acme Widget\n', '').replace('category: plug', 'name: Acme Widget\ncategory: plug');
    const hexPort = canonical.replace(/ports: \[443\]/, 'ports: [0x1BB]');
    expect(hexPort).toContain('0x1BB');
    const bidi = canonical.replace('name: Acme Widget', 'name: "Acme \\u202Egdiw"');
    const dir = tree({
      'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': messy, 'acme/zero.yaml': leadingZero.replace('acme/widget', 'acme/zero'),
      'acme/hex.yaml': hexPort.replace('acme/widget', 'acme/hex'), 'acme/bidi.yaml': bidi.replace('acme/widget', 'acme/bidi'),
    });
    process.env.NETNEEDS_DEVICES = dir;
    const before = Object.fromEntries(['zero', 'hex', 'bidi'].map((n) => [n, readFileSync(join(dir, `acme/${n}.yaml`), 'utf8')]));
    expect(await main(['fix'])).toBe(1);
    for (const [n, text] of Object.entries(before)) expect(readFileSync(join(dir, `acme/${n}.yaml`), 'utf8'), n).toBe(text);
    expect(readFileSync(join(dir, 'acme/widget.yaml'), 'utf8')).toBe(canonical);
  });

  it('turns classic-Mac CR line breaks into LF without changing a value', async () => {
    const canonical = yamlOf(baseDevice());
    const dir = tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': canonical.replace(/\n/g, '\r') });
    process.env.NETNEEDS_DEVICES = dir;
    const problems = lint(dir, { today: TODAY }).problems;
    expect(problems.map((p) => [p.rule, p.message])).toEqual([['canonical-format', expect.stringMatching(/carriage returns/)]]);
    expect(await main(['fix'])).toBe(0);
    expect(readFileSync(join(dir, 'acme/widget.yaml'), 'utf8')).toBe(canonical);
  });

  it('reports a read-only file, leaves it alone and goes on with the rest', async () => {
    const canonical = yamlOf(baseDevice());
    const messy = canonical.replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget');
    const dir = tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/a.yaml': messy.replace('acme/widget', 'acme/a'), 'acme/b.yaml': messy.replace('acme/widget', 'acme/b') });
    chmodSync(join(dir, 'acme/a.yaml'), 0o444);
    process.env.NETNEEDS_DEVICES = dir;
    expect(await main(['fix'])).toBe(1);
    expect(readFileSync(join(dir, 'acme/a.yaml'), 'utf8')).toBe(messy.replace('acme/widget', 'acme/a'));
    expect(readFileSync(join(dir, 'acme/b.yaml'), 'utf8')).toBe(canonical.replace('acme/widget', 'acme/b'));
    expect(readdirSync(join(dir, 'acme')).sort()).toEqual(['_vendor.yaml', 'a.yaml', 'b.yaml']);
  });
});
