// npm run fix, in process: rewrites into canonical form once, keeps comments, then leaves files alone.
import { readFileSync } from 'node:fs';
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
