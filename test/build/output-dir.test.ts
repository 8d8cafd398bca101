// The build output folder: replaced whole and only when a build made it; the project, devices/, $HOME and / never.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILD_MARKER, replaceOutputDir } from '../../scripts/lib/output-dir.js';
import { execute } from '../../scripts/cli/index.js';
import { UserError } from '../../scripts/lib/errors.js';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const dirs: string[] = [];
const temp = () => { const d = mkdtempSync(join(tmpdir(), 'netneeds-out-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const files = [{ path: 'netneeds.json', content: '{}\n' }, { path: 'api/v1/x.json', content: '[]\n' }];

describe('build output folder', () => {
  it('writes a new folder with a marker, then replaces it whole on the next build, leaving no sibling behind', () => {
    const parent = temp();
    const out = join(parent, 'dist');
    replaceOutputDir(out, files);
    expect(readdirSync(out).sort()).toEqual([BUILD_MARKER, 'api', 'netneeds.json']);
    replaceOutputDir(out, [{ path: 'other.txt', content: 'x' }]);
    expect(readdirSync(out).sort()).toEqual([BUILD_MARKER, 'other.txt']);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('takes an empty folder, refuses a folder with files and no marker, and leaves it as it was', () => {
    const empty = temp();
    replaceOutputDir(empty, files);
    expect(existsSync(join(empty, 'netneeds.json'))).toBe(true);
    const mine = temp();
    writeFileSync(join(mine, 'thesis.tex'), 'years of work');
    expect(() => replaceOutputDir(mine, files)).toThrow(/a build did not make it/);
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
  });

  it('never touches the project, its sources, the devices folder, $HOME, / or a folder above the working folder', () => {
    const devices = join(ROOT, 'devices');
    for (const dir of [ROOT, join(ROOT, '.'), devices, join(devices, 'roborock'), join(ROOT, 'scripts'), join(ROOT, '.git'), homedir(), '/', join(ROOT, '..')]) {
      expect(() => replaceOutputDir(dir, files, { project: ROOT, devices }), dir).toThrow(UserError);
    }
    expect(existsSync(join(devices, 'roborock/s50.yaml'))).toBe(true);
  });

  it('refuses while another live build holds the lock, and takes over the lock of a build that was killed', () => {
    const parent = temp();
    const out = join(parent, 'dist');
    writeFileSync(`${out}.lock`, `${process.pid}\n`);
    expect(() => replaceOutputDir(out, files)).toThrow(/another build \(process \d+\) is writing/);
    writeFileSync(`${out}.lock`, '999999999\n');
    mkdirSync(join(parent, '.dist.build-999999999'));
    writeFileSync(join(parent, '.dist.build-999999999', BUILD_MARKER), '');
    replaceOutputDir(out, files);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('netneeds build --out refuses ., devices and a foreign folder before building, with exit 1 and no stack', async () => {
    const foreign = temp();
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    for (const [out, message] of [['.', /it holds the working folder/], ['devices', /it holds the devices folder|inside the devices folder/], [foreign, /a build did not make it/]] as const) {
      const err: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c) => { err.push(String(c)); return true; });
      let code: number;
      try { code = await execute(['build', '--skip', 'site', '--out', out]); } finally { spy.mockRestore(); }
      expect(code, out).toBe(1);
      expect(err.join(''), out).toMatch(message);
      expect(err.join(''), out).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(ROOT, 'devices/roborock/s50.yaml'))).toBe(true);
  });
});
