// The compiled CLI cache of a clone (scripts/bin/compile.js): a command that is still running keeps the folder it
// loads its chunks from, even when another state of the sources compiles meanwhile.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/project.js';

const root = mkdtempSync(join(tmpdir(), 'netneeds-compile-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('compiled CLI cache', () => {
  it('removes only the compiled CLIs too old to be in use, never a recent one', async () => {
    // A clone in miniature: the compiler, its entry points, and esbuild from this checkout (its own folder, so
    // the cache lands in this temporary clone, not in the checkout's).
    for (const dir of ['scripts/bin', 'scripts/cli', 'scripts/lint', 'scripts/build', 'site', 'node_modules']) mkdirSync(join(root, dir), { recursive: true });
    copyFileSync(join(ROOT, 'scripts/bin/compile.js'), join(root, 'scripts/bin/compile.js'));
    writeFileSync(join(root, 'scripts/cli/index.ts'), 'export const runCli = (): number => 0;\n');
    for (const worker of ['scripts/lint/worker.ts', 'scripts/build/worker.ts']) writeFileSync(join(root, worker), 'export {};\n');
    writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
    symlinkSync(join(ROOT, 'node_modules/esbuild'), join(root, 'node_modules/esbuild'));
    const cache = join(root, 'node_modules/.cache/netneeds');
    for (const old of ['cli-1-1', 'cli-2-2']) { mkdirSync(join(cache, old), { recursive: true }); writeFileSync(join(cache, old, 'cli.mjs'), ''); }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(cache, 'cli-2-2'), twoHoursAgo, twoHoursAgo);

    const { compiledCli } = (await import(pathToFileURL(join(root, 'scripts/bin/compile.js')).href)) as { compiledCli: () => Promise<string | null> };
    const entry = await compiledCli();
    expect(entry).toMatch(/\/cli-\d+-3\/cli\.mjs$/);
    expect(existsSync(new URL(entry!))).toBe(true);
    // cli-1-1 may be what a command started a moment ago still runs: it stays. cli-2-2 is two hours old: it goes.
    expect(readdirSync(cache).sort()).toEqual(['cli-1-1', entry!.split('/').at(-2)!].sort());
  }, 60_000);
});
