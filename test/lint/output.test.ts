// How problems reach people: the text line, the GitHub annotation, and the CLI's exit code.
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAnnotation, formatProblem, type Problem } from '../../scripts/lib/problems.js';
import { baseDevice, baseEndpoint, baseVendor, tree, yamlOf } from './helpers.js';

const problem = (patch: Partial<Problem> = {}): Problem => ({
  file: 'devices/acme/widget.yaml', line: 12, col: 5, rule: 'port-range', severity: 'error', message: 'port 0 is outside 1–65535', ...patch,
});

describe('formatProblem', () => {
  it('prints path:line:col: rule: message, then the hint', () => {
    expect(formatProblem(problem({ hint: 'write 443' }))).toBe('devices/acme/widget.yaml:12:5: port-range: port 0 is outside 1–65535\n    hint: write 443');
    expect(formatProblem(problem({ severity: 'warning' }))).toBe('devices/acme/widget.yaml:12:5: port-range: warning: port 0 is outside 1–65535');
  });

  it('escapes control characters so that one problem is one line', () => {
    const out = formatProblem(problem({ file: 'a\nb.yaml', message: 'x\r\n::error::y\u001b[0m', hint: 'h\u2028i' }));
    expect(out).toBe('a\\u000ab.yaml:12:5: port-range: x\\u000d\\u000a::error::y\\u001b[0m\n    hint: h\\u2028i');
  });
});

describe('formatAnnotation', () => {
  it('writes a GitHub workflow command with file, line, col and title', () => {
    expect(formatAnnotation(problem({ hint: 'write 443' })))
      .toBe('::error file=devices/acme/widget.yaml,line=12,col=5,title=port-range::port-range: port 0 is outside 1–65535 (hint: write 443)');
    expect(formatAnnotation(problem({ severity: 'warning' }))).toMatch(/^::warning file=/);
  });

  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    const out = formatAnnotation(problem({ file: 'a,b:c%d\ne.yaml', message: '50% done\r\n::error::forged' }));
    expect(out).toBe('::error file=a%2Cb%3Ac%25d%0Ae.yaml,line=12,col=5,title=port-range::port-range: 50%25 done%0D%0A::error::forged');
    expect(out.split('\n')).toHaveLength(1);
  });
});

const ROOT = new URL('../../', import.meta.url).pathname;

/** Spawns the real CLI (slow: tsx start-up), once per exit-code case. */
function validate(files: Record<string, string>, env: Record<string, string> = {}) {
  const dir = tree(files);
  const run = spawnSync(process.execPath, ['scripts/bin/netneeds.js', 'validate'], {
    cwd: ROOT,
    env: { ...process.env, NETNEEDS_DEVICES: dir, GITHUB_ACTIONS: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, dir };
}

describe('netneeds validate (child process)', () => {
  const vendor = yamlOf(baseVendor(), 'vendor');

  it('exits 1 on errors, reports every file in one run, and annotates under GitHub Actions', () => {
    const bad = yamlOf({ ...baseDevice(), id: 'acme/bad', endpoints: [{ ...baseEndpoint(), service: 'tuya', ports: [0] }] });
    const typo = yamlOf({ ...baseDevice(), id: 'acme/typo', category: 'plugg' });
    const { status, stderr, dir } = validate({ 'acme/_vendor.yaml': vendor, 'acme/bad.yaml': bad, 'acme/typo.yaml': typo }, { GITHUB_ACTIONS: 'true' });
    expect(status).toBe(1);
    const rel = relative(ROOT, dir) + '/';
    const lines = stderr.trim().split('\n');
    expect(lines).toContain(`${rel}acme/bad.yaml:8:13: schema: port 0 is outside 1–65535`);
    expect(lines).toContain(`::error file=${rel}acme/bad.yaml,line=8,col=13,title=schema::schema: port 0 is outside 1–65535`);
    expect(lines.some((l) => l.startsWith(`${rel}acme/typo.yaml:4:11: schema: "plugg" is not one of:`))).toBe(true);
    expect(lines.at(-1)).toBe('3 files checked: 2 errors, 0 warnings');
  });

  it('exits 0 with only warnings, and prints no annotations outside GitHub Actions', () => {
    const warned = yamlOf({ ...baseDevice(), 'home-assistant': { integrations: ['not_a_real_domain'] } });
    const { status, stderr } = validate({ 'acme/_vendor.yaml': vendor, 'acme/widget.yaml': warned });
    expect(status).toBe(0);
    expect(stderr).toMatch(/ha-domain: warning: "not_a_real_domain"/);
    expect(stderr).not.toMatch(/^::/m);
    expect(stderr.trim().split('\n').at(-1)).toBe('2 files checked: 0 errors, 1 warning');
  });
});
