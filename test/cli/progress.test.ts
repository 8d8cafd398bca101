// Long commands show one progress line on stderr when it is a terminal, and nothing of it in a pipe or a CI log.
// script(1) gives the command a real pseudo-terminal; what it prints is what the terminal showed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { baseDevice, baseVendor, tree, yamlOf } from '../lint/helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'scripts/bin/netneeds.js');
const STACK = /\n\s+at .+[(:]\d+/;
const WIPE = '\r\x1b[K';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const command = (args: string[]) => [process.execPath, BIN, ...args].map(quote).join(' ');

/** The command on a terminal (stdout thrown away): what the terminal showed. */
function onTerminal(args: string[], env: Record<string, string>) {
  const r = spawnSync('script', ['-qfec', `${command(args)} >/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, shown: r.stdout };
}

/** The command with stderr to a pipe. */
function piped(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stderr: r.stderr };
}

/** The last progress line drawn is wiped before `after` is printed. */
function wipedBefore(shown: string, progress: RegExp, after: string): void {
  const lastDraw = shown.lastIndexOf(WIPE + shown.match(new RegExp(progress.source, 'g'))!.at(-1)!);
  const end = shown.indexOf(after, lastDraw);
  expect(lastDraw).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(lastDraw);
  expect(shown.slice(lastDraw + WIPE.length, end)).toMatch(new RegExp(`^${progress.source}\r\x1b\\[K`));
}

const smallTree = () => tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': yamlOf(baseDevice()) });

describe.skipIf(!existsSync('/usr/bin/script'))('progress on a terminal', () => {
  it('validate counts the files checked on a terminal, wipes the line before its report, and prints none of it in a pipe', () => {
    const env = { NETNEEDS_DEVICES: smallTree() };
    const tty = onTerminal(['validate'], env);
    expect(tty.code).toBe(0);
    expect(tty.shown).toMatch(/validate: checked [12] of 2 files/);
    wipedBefore(tty.shown, /validate: checked \d+ of \d+ files/, '2 files checked');
    const pipe = piped(['validate'], env);
    expect(pipe.code).toBe(0);
    expect(pipe.stderr).toBe('2 files checked: 0 errors, 0 warnings\n');
  });

  it('build names each step on a terminal, wipes the line before its summary, and prints none of it in a pipe', () => {
    const env = { NETNEEDS_DEVICES: smallTree() };
    const out = mkdtempSync(join(tmpdir(), 'netneeds-progress-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const args = ['build', '--out', join(out, 'dist'), '--skip', 'site,mud,blocklists'];
    const tty = onTerminal(args, env);
    expect(tty.code).toBe(0);
    expect(tty.shown).toMatch(/build: checking [12] of 2 files/);
    for (const step of ['writing the files of 1 devices', 'writing bundle', 'writing csv', 'writing the indexes']) expect(tty.shown).toContain(`${WIPE}build: ${step}`);
    wipedBefore(tty.shown, /build: writing the indexes/, 'built 1 devices');
    const pipe = piped(args, env);
    expect(pipe.code).toBe(0);
    expect(pipe.stderr).toMatch(/^built 1 devices into .+ \(\d+ files\)\n$/);
  });

  it('fix counts the files read on a terminal and prints none of it in a pipe', () => {
    const tty = onTerminal(['fix'], { NETNEEDS_DEVICES: smallTree() });
    expect(tty.code).toBe(0);
    wipedBefore(tty.shown, /fix: read \d+ of 2 files/, '0 files rewritten');
    const pipe = piped(['fix'], { NETNEEDS_DEVICES: smallTree() });
    expect(pipe.stderr).toBe('0 files rewritten\n');
  });

  it('Ctrl+C while a build checks the files ends it at once: the line wiped, exit 130, no stack, nothing left behind', async () => {
    const out = mkdtempSync(join(tmpdir(), 'netneeds-progress-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    // The project's own devices: checking them takes long enough for ^C to land mid-build.
    const child = spawn('script', ['-qfec', command(['build', '--out', join(out, 'dist')]), '/dev/null'], { cwd: ROOT, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let shown = '';
    let sent = false;
    child.stdin.on('error', () => { /* script may close its input first */ });
    child.stdout.on('data', (d: Buffer) => {
      shown += d.toString();
      // ^C typed on the terminal: its line discipline sends SIGINT, as for a user.
      if (!sent && /build: checking \d+ of/.test(shown)) { sent = true; child.stdin.write('\x03'); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(shown).toMatch(/build: checking \d+ of \d+ files(\^C)?\r\x1b\[Knetneeds: interrupted\r?\n$/);
    expect(shown).not.toMatch(STACK);
    expect(readdirSync(out)).toEqual([]); // no dist, no staging folder, no lock
  });
});
