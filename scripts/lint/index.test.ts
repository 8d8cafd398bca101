import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint, RULES } from './index.js';
import type { Rule } from './rule.js';
import { schema } from './rules/schema.js';
import { baseDevice, baseEndpoint, baseVendor, brief, err, lineOf, lintDevice, lintTree, TODAY, tree, yamlOf } from '../../test/lint/helpers.js';

describe('RULES', () => {
  it('have unique names, descriptions, and a test file beside each module', () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of RULES) {
      expect(r.description.length, r.name).toBeGreaterThan(20);
      expect(existsSync(new URL(`./rules/${r.name}.test.ts`, import.meta.url)), r.name).toBe(true);
    }
    expect(names[0]).toBe('schema');
    expect(names.at(-1)).toBe('canonical-format');
  });
});

/** A rule that reports wherever it is told to: to see what the runner lets through. */
const echo = (paths: (string | number)[][]): Rule => ({
  name: 'echo', description: 'test rule', appliesTo: ['device'],
  check({ report }) { for (const p of paths) report(p, `at ${p.join('/')}`); },
});

describe('one mistake, one message', () => {
  const typo = () => {
    const { host, ...rest } = baseEndpoint();
    return { ...baseDevice(), endpoints: [{ hots: host, ...rest }] };
  };

  it('hides other rules\' reports on and below the path of a schema error, and keeps the rest', () => {
    const paths = [['endpoints', 0], ['endpoints', 0, 'hots'], ['endpoints'], ['evidence', 0], ['name'], []];
    const { problems } = lintDevice(typo(), {}, { rules: [schema, echo(paths)] });
    expect(problems.map((p) => `${p.rule} ${p.message}`).sort()).toEqual(['echo at ', 'echo at evidence/0', 'echo at name', 'schema unknown property "hots"']);
  });

  it('without the schema rule, nothing is hidden', () => {
    const { problems } = lintDevice(typo(), {}, { rules: [echo([['endpoints', 0]])] });
    expect(problems.map((p) => p.message)).toEqual(['at endpoints/0']);
  });

  it('a typo\'d host gives the schema message only, not also "endpoint has no destination"', () => {
    const { text, problems } = lintDevice(typo());
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'hots:'))]);
  });

  it('file-level problems still show beside a schema error: modeline and vendor-file', () => {
    const text = yamlOf({ ...baseDevice(), category: 'plugg' }).split('\n').slice(1).join('\n');
    const { problems } = lintTree({ 'acme/widget.yaml': text });
    expect(problems.map((p) => p.rule).sort()).toEqual(['modeline', 'schema', 'vendor-file']);
  });

  it('skips canonical-format while the file has errors, but not for warnings', () => {
    const messy = yamlOf(baseDevice()).replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget');
    expect(lintDevice(messy.replace('category: plug', 'category: plugg')).problems.map((p) => p.rule)).toEqual(['schema']);
    expect(lintDevice(messy.replace('https://', 'http://')).problems.map((p) => p.rule)).toEqual(['canonical-format', 'source-url']);
  });
});

describe('lint', () => {
  it('sorts problems by file, line, column and rule', () => {
    const bad = (id: string) => yamlOf({ ...baseDevice(), id, category: 'plugg', endpoints: [{ ...baseEndpoint(), host: 'API.acme.example.com' }] });
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/b.yaml': bad('acme/b'), 'acme/a.yaml': bad('acme/a') });
    expect(problems.map((p) => `${p.file}:${p.line} ${p.rule}`)).toEqual(['acme/a.yaml:4 schema', 'acme/a.yaml:6 hostname', 'acme/b.yaml:4 schema', 'acme/b.yaml:6 hostname']);
  });

  it('says so when a file is not a mapping, and when a folder holds no files', () => {
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': '- just\n- a list\n' });
    expect(problems.map((p) => [p.rule, p.line, p.message])).toEqual([['schema', 1, 'the file must hold a YAML mapping']]);
    expect(lint(tree({}) + '/missing', { today: TODAY })).toMatchObject({ problems: [], checked: 0 });
  });

  it('checks only the files asked for, while reading vendor files for groups', () => {
    const device = { ...baseDevice(), endpoints: [{ group: 'acme/cloud', evidence: ['capture'] }, baseEndpoint()] };
    const broken = yamlOf({ ...baseDevice(), id: 'acme/broken', category: 'plugg' });
    const brokenVendor = yamlOf({ ...baseVendor(), id: 'acme', website: 'nope' }, 'vendor');
    const { problems, checked } = lintTree({ 'acme/_vendor.yaml': brokenVendor, 'acme/broken.yaml': broken, 'acme/widget.yaml': yamlOf(device) }, { only: ['acme/widget.yaml'] });
    expect(checked).toBe(1);
    expect(problems).toEqual([]); // the vendor file's own error and acme/broken.yaml are not this run's business
  });

  it('uses today\'s date unless told otherwise', () => {
    const future = { ...baseDevice(), evidence: [{ id: 'capture', type: 'paper', date: '2999-01-01', source: 'https://example.org/x' }] };
    const dir = tree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': yamlOf(future) });
    expect(lint(dir, { displayBase: dir }).problems.map((p) => p.rule)).toEqual(['evidence-date']);
  });
});
