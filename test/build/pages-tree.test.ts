import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemblePages } from '../../scripts/build/pages-tree.js';
import { ROOT } from '../../scripts/lib/project.js';

const work = mkdtempSync(join(tmpdir(), 'netneeds-pages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

describe('the Pages tree', () => {
  const dist = join(work, 'dist');
  for (const path of [
    'site/index.html', 'site/devices/acme/cam/index.html', 'netneeds.json', 'netneeds.csv', 'api/v1/devices/acme/cam.json',
    'schema/device.schema.json', 'schema/bundle.schema.json', 'mud/acme/cam.json', 'blocklists/all/both.hosts', 'INDEX.md', 'types/index.d.ts',
  ]) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), path);
  }

  it('holds the site with the downloads beside it, the schemas also at their $id path, and nothing meant for the repository or npm', () => {
    const out = join(work, 'site-a');
    assemblePages(dist, out);
    expect(files(out)).toEqual([
      'api/v1/devices/acme/cam.json', 'blocklists/all/both.hosts', 'devices/acme/cam/index.html', 'index.html', 'mud/acme/cam.json',
      'netneeds.csv', 'netneeds.json', 'schema/bundle.schema.json', 'schema/device.schema.json',
      'schema/v1/bundle.schema.json', 'schema/v1/device.schema.json',
    ]);
    expect(readFileSync(join(out, 'schema/v1/device.schema.json'), 'utf8')).toBe('schema/device.schema.json');
  });

  it('never writes into a folder that exists, and says what is missing when dist/ is not built', () => {
    const out = join(work, 'site-b');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    expect(() => assemblePages(dist, out)).toThrow(/already exists/);
    expect(files(out)).toEqual(['keep.txt']);
    expect(() => assemblePages(join(work, 'nothing'), join(work, 'site-c'))).toThrow(/not built: .*site.*run npm run build first/);
    expect(readdirSync(work)).not.toContain('site-c');
  });

  it('is what the Pages workflow publishes', () => {
    const workflow = readFileSync(join(ROOT, '.github/workflows/pages.yml'), 'utf8');
    expect(workflow).toMatch(/run: npm run pages:assemble -- dist _site\n/);
    expect(workflow).toMatch(/path: _site\n/);
  });
});
