// The package as users get it: `npm pack` (prepack builds the dataset and the compiled CLI), installed from the
// tarball into an empty project with no network, then the README's import lines in Node and TypeScript
// (nodenext), `npx netneeds policy …` in that empty folder, and `npx netneeds validate` in a fresh clone.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntryPoints } from '../../scripts/bin/compile.js';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const work = mkdtempSync(join(tmpdir(), 'netneeds-pack-'));
const project = join(work, 'consumer');
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

beforeAll(() => {
  const packed = npm(['pack', '--pack-destination', work], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr.slice(-3000)}`);
  const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const installed = npm(['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  if (installed.status !== 0) throw new Error(`npm install from the tarball failed:\n${installed.stderr.slice(-3000)}`);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package', { timeout: 300_000 }, () => {
  it('installs one package for data users: no dependency, no install script', () => {
    expect(readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['netneeds']);
    const lock = JSON.parse(execFileSync('cat', [join(project, 'package-lock.json')], { encoding: 'utf8' })) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(Object.keys(lock.packages).filter((k) => k)).toEqual(['node_modules/netneeds']);
    expect(Object.values(lock.packages).some((p) => p.hasInstallScript)).toBe(false);
  });

  it('the installed CLI has the entry of every worker thread it starts (lint and build of large trees)', () => {
    const lib = readdirSync(join(project, 'node_modules/netneeds/lib'));
    for (const entry of Object.keys(cliEntryPoints(ROOT))) expect(lib).toContain(`${entry}.mjs`);
  });

  it('the README import lines work in Node', () => {
    writeFileSync(join(project, 'readme.mjs'), [
      "import data from 'netneeds/netneeds.json' with { type: 'json' };",
      "import same from 'netneeds';",
      "console.log(JSON.stringify({ devices: data.devices.length, same: same === data || same.devices.length === data.devices.length, s50: data.devices.some((d) => d.id === 'roborock/s50') }));",
    ].join('\n'));
    const out = JSON.parse(execFileSync(process.execPath, ['readme.mjs'], { cwd: project, encoding: 'utf8' })) as { devices: number; same: boolean; s50: boolean };
    expect(out.devices).toBeGreaterThan(10);
    expect(out).toMatchObject({ same: true, s50: true });
  });

  it('the README import lines type-check in TypeScript with module nodenext, the default export typed', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, resolveJsonModule: true, skipLibCheck: false, types: [] }, files: ['readme.ts'] }));
    writeFileSync(join(project, 'readme.ts'), [
      "import data from 'netneeds/netneeds.json' with { type: 'json' };",
      "import dataset from 'netneeds';",
      "import type { Device } from 'netneeds/types';",
      'const first: Device | undefined = dataset.devices[0];',
      'const count: number = data.devices.length + dataset.meta.deviceCount;',
      '// @ts-expect-error the default export is typed, so a missing property is an error',
      'dataset.nothing;',
      'export { first, count };',
    ].join('\n'));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('npx netneeds policy works in an empty folder from the bundled dataset, with no compiler at run time', () => {
    const r = spawnSync('npx', ['--no-install', 'netneeds', 'policy', 'roborock/s50=192.168.1.50', '--for', 'home-assistant', '--home-assistant', '192.168.1.10', '--unknown', 'deny'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toMatch(/using the dataset of netneeds/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^table inet netneeds/m);
    expect(readdirSync(join(project, 'node_modules/netneeds')).sort()).not.toContain('node_modules');
    const help = spawnSync('npx', ['--no-install', 'netneeds', '--version'], { cwd: project, encoding: 'utf8' });
    expect(help.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('npx netneeds validate works in a fresh clone', () => {
    const clone = join(work, 'clone');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${ROOT}`, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const r = spawnSync('npx', ['--no-install', 'netneeds', 'validate', '--quiet'], { cwd: clone, encoding: 'utf8' });
    expect(r.stderr).toMatch(/\d+ files checked: 0 errors/);
    expect(r.status).toBe(0);
  });
});
