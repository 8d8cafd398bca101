import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { enumOf } from '../../scripts/lib/schemas.js';
import { lint } from '../../scripts/lint/index.js';
import { similarDevices, similarity } from '../../scripts/new-device.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const field = (form: { body: { id?: string; attributes: { options?: string[] } }[] }, id: string) => form.body.find((b) => b.id === id)!;

describe('issue forms, pull request template and editor settings', () => {
  it('the new-device form offers exactly the schema enums and has a log field', () => {
    const form = parse(read('.github/ISSUE_TEMPLATE/new-device.yml'));
    expect(field(form, 'category').attributes.options).toEqual(enumOf('device.schema.json', 'properties/category'));
    expect(field(form, 'connectivity').attributes.options).toEqual(enumOf('device.schema.json', 'properties/connectivity/items'));
    expect(field(form, 'evidence-type').attributes.options).toEqual(enumOf('common.schema.json', '$defs/evidence/properties/type'));
    expect(field(form, 'log')).toBeDefined();
  });

  it('the problem form has a `device` field (so ?device=<id> prefills it); blank issues are off', () => {
    expect(field(parse(read('.github/ISSUE_TEMPLATE/problem.yml')), 'device')).toBeDefined();
    expect(parse(read('.github/ISSUE_TEMPLATE/config.yml')).blank_issues_enabled).toBe(false);
    expect(read('.github/PULL_REQUEST_TEMPLATE.md')).toContain('npm run validate');
  });

  it('VS Code maps device and vendor files to their schemas', () => {
    const settings = JSON.parse(read('.vscode/settings.json'));
    expect(settings['yaml.schemas']['./schema/device.schema.json']).toContain('devices/*/*.yaml');
    expect(settings['yaml.schemas']['./schema/vendor.schema.json']).toEqual(['devices/*/_vendor.yaml']);
  });
});

describe('npm run new', () => {
  const run = (dir: string, args: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts/bin/netneeds.js'), 'new', ...args], { cwd: ROOT, env: { ...process.env, NETNEEDS_DEVICES: dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('scaffolds vendor and device files; the skeleton fails validation only on what the contributor must supply', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-new-'));
    const r = run(dir, ['--vendor', 'acme', '--model', 'plug-2', '--category', 'plug', '--name', 'Acme Plug 2', '--model-number', 'AP-2', '--connectivity', 'wifi-2.4ghz']);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'acme', 'plug-2.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/device.schema.json');
    expect(parse(text)).toMatchObject({ id: 'acme/plug-2', name: 'Acme Plug 2', models: ['AP-2'], category: 'plug', connectivity: ['wifi-2.4ghz'] });
    const rules = lint(dir).problems.map((p) => p.rule).sort();
    expect(rules).toEqual(['evidence-date', 'evidence-refs', 'source-url']);
  });

  it('refuses values outside the schema enums, and warns about a similar existing device', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-new-'));
    expect(run(dir, ['--vendor', 'acme', '--model', 'x', '--category', 'toaster']).status).toBe(2);
    expect(run(dir, ['--vendor', 'Acme Inc', '--model', 'x', '--category', 'plug']).stderr).toContain('try acme-inc');
    mkdirSync(join(dir, 'tp-link'));
    writeFileSync(join(dir, 'tp-link', 'hs110.yaml'), 'id: tp-link/hs110\nname: TP-Link HS110 Smart Plug\nmodels: [HS110]\ncategory: plug\nendpoints: []\nevidence: []\n');
    const r = run(dir, ['--vendor', 'tplink', '--model', 'hs-110', '--category', 'plug', '--name', 'TP Link HS-110']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: tp-link/hs110 may be the same device');
    expect(similarDevices(dir, { id: 'other/thing', name: 'Philips Hue Bridge', models: ['HS110'] })).toContainEqual({ id: 'tp-link/hs110', reason: 'same model number HS110' });
    expect(similarity('Roborock S50', 'Roomba 960')).toBeLessThan(0.75);
  });
});
