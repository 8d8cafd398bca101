// The command-line layer, run as a user runs it (the bin, a child process): help on stdout, errors on stderr
// as `netneeds: …` without a stack, the documented exit codes, unknown and valueless options refused.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { baseDevice, baseVendor, tree, yamlOf } from '../lint/helpers.js';
import { COMMAND_NAMES, execute } from '../../scripts/cli/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'scripts/bin/netneeds.js');

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command line in this process: what main() prints and returns, failures included. */
async function inProcess(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => { out.push(String(c)); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => { err.push(String(c)); return true; });
  try {
    const code = await execute(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const STACK = /\n\s+at .+[(:]\d+/;

describe('netneeds command line', () => {
  it('prints help on stdout with exit 0 for --help, -h and help <command>, and the usage on stderr with exit 2 for no command', async () => {
    const main = run(['--help']);
    expect(main.code).toBe(0);
    expect(main.stderr).toBe('');
    for (const name of COMMAND_NAMES) expect(main.stdout).toContain(`  ${name} `);
    expect(main.stdout).toMatch(/exit codes:[\s\S]*\n {2}2 {4}the command line is wrong/);
    expect(run(['help']).stdout).toBe(main.stdout);
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(main.stdout);
    for (const name of COMMAND_NAMES) {
      const long = await inProcess([name, '--help']);
      expect(long.code, name).toBe(0);
      expect(long.stdout, name).toMatch(new RegExp(`^usage: netneeds ${name} `));
      expect(long.stdout, name).toContain('-h, --help');
    }
    const policy = run(['policy', '--help']).stdout;
    expect(run(['policy', '-h']).stdout).toBe(policy);
    expect(run(['help', 'policy']).stdout).toBe(policy);
  });

  it('prints the version from package.json', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('refuses an unknown command, an unknown option and an option without its value, on stderr with exit 2 and no stack', async () => {
    const cases: [string[], RegExp][] = [
      [['valdate'], /^netneeds: unknown command "valdate" \(did you mean validate\?\)/],
      [['validate', '--quite'], /^netneeds: validate: unknown option --quite \(did you mean --quiet\?\)/],
      [['build', '--out'], /^netneeds: build: --out needs a value \(<dir>\)/],
      [['build', '--skip'], /^netneeds: build: --skip needs a value/],
      [['build', '--skip', 'nothing'], /^netneeds: build: --skip: no emitter named nothing/],
      [['build', '--out', 'a', '--out', 'b'], /^netneeds: build: --out is given 2 times/],
      [['build', 'extra'], /^netneeds: build: unexpected argument "extra"/],
      [['fix', '--quiet=yes'], /^netneeds: fix: --quiet takes no value/],
      [['policy'], /^netneeds: policy: give at least one device/],
      [['policy', 'roborock/s50', '--for', 'everyone'], /^netneeds: policy: --for takes home-assistant, vendor-app, both; not "everyone"/],
      [['policy', 'roborock/s50', '--format', 'pf'], /^netneeds: policy: --format takes .*; not "pf"/],
      [['policy', 'roborock/s50', '--out', ''], /^netneeds: policy: --out needs a value, not an empty string/],
      [['policy', 'roborock/s50=0.0.0.0/0'], /^netneeds: policy: address of roborock\/s50 0\.0\.0\.0\/0 is a network/],
      [['policy', 'roborock/s50=a=b'], /^netneeds: policy: "roborock\/s50=a=b" has more than one "="/],
      [['draft', 'x.log'], /^netneeds: draft: give --device/],
      [['draft', '--device'], /^netneeds: draft: --device needs a value/],
      [['import-mud'], /^netneeds: import-mud: give at least one MUD profile/],
      [['new', '--vendor', 'Acme Corp'], /^netneeds: new: --vendor must be a lower-case slug \(try acme-corp\)/],
      [['help', 'nothing'], /^netneeds: unknown command "nothing"/],
      [['--verbose'], /^netneeds: unknown option --verbose; the command comes first/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).not.toMatch(STACK);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(2);
    }
    const real = run(['validate', '--quite']);
    expect(real).toEqual({ code: 2, stdout: '', stderr: 'netneeds: validate: unknown option --quite (did you mean --quiet?)\n    hint: see netneeds validate --help\n' });
  });

  it('validate --json reports on stdout; named files that are missing, folders or outside devices/ are located errors', async () => {
    const dir = tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': yamlOf(baseDevice()), 'acme/x.yaml/keep': '' });
    const ok = await inProcess(['validate', '--json', join(dir, 'acme/widget.yaml')], { NETNEEDS_DEVICES: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ checked: 1, errors: 0 });
    const bad = await inProcess(['validate', '--json', join(dir, 'acme/nope.yaml'), join(dir, 'acme/x.yaml'), '/etc/passwd'], { NETNEEDS_DEVICES: dir });
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { checked: number; errors: number; problems: { file: string; rule: string; message: string }[] };
    expect(report.errors).toBe(3);
    expect(report.problems.map((p) => [p.rule, p.message])).toEqual([
      ['file-path', 'no such file'],
      ['file-path', 'is a folder, not a device file'],
      ['file-path', expect.stringMatching(/^is not inside the devices folder/)],
    ]);
  });

  it('policy --json gives the report and the files on stdout', async () => {
    const r = await inProcess(['policy', 'roborock/s50=192.168.1.50', '--format', 'nftables,blocklist', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { devices: { id: string }[]; files: { name: string; content: string }[] };
    expect(report.devices.map((d) => d.id)).toEqual(['roborock/s50']);
    expect(report.files.map((f) => f.name)).toContain('netneeds.nft');
    expect(report.files.every((f) => f.content.length > 0)).toBe(true);
    const pub = await inProcess(['policy', 'roborock/s50=8.8.8.8', '--json']);
    expect(pub.code).toBe(0);
    expect(pub.stderr).toMatch(/warning: address of roborock\/s50 8\.8\.8\.8 is a public address/);
  });

  it('an unreadable input or output path is a message, not a stack', async () => {
    const r = await inProcess(['policy', 'roborock/s50=192.168.1.50', '--out', '/proc/netneeds-test']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^netneeds: \/proc\/netneeds-test: /m);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('ends cleanly on Ctrl+C at a prompt of new, writing nothing (exit 130)', async () => {
    const dir = tree({});
    // `script` gives the command a terminal, so `new` asks; ^C on that terminal is SIGINT, as for a user.
    const child = spawn('script', ['-qefc', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} new`, '/dev/null'], { cwd: ROOT, env: { ...process.env, NETNEEDS_DEVICES: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    child.stdin.on('error', () => { /* script may close its input first */ });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('vendor (slug')) { sent = true; child.stdin.write('\x03'); }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toContain('netneeds: interrupted');
    expect(out).not.toMatch(STACK);
    expect(code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('builds everything from a clone through the bin, the site and its bundled policy builder included', () => {
    // The bin runs the compiled CLI; a package it bundles wrongly shows only here, not in the in-process tests.
    const out = mkdtempSync(join(tmpdir(), 'netneeds-cli-build-'));
    try {
      const r = run(['build', '--out', join(out, 'dist')]);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(out, 'dist/site/assets/builder.js'), 'utf8').length).toBeGreaterThan(10_000);
      expect(readdirSync(out)).toEqual(['dist']); // no staging folder or lock left beside it
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
