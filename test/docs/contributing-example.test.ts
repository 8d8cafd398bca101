import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../scripts/lint/index.js';
import { ROOT } from '../../scripts/lib/project.js';

// The commented example in CONTRIBUTING.md is what newcomers copy: it must stay a valid, canonical file.
describe('CONTRIBUTING.md example', () => {
  const markdown = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  const example = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];

  it('contains a device file', () => {
    expect(example).toMatch(/^# yaml-language-server: \$schema=/);
  });

  it('passes every lint rule, canonical formatting included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-contributing-'));
    mkdirSync(join(dir, 'roborock'));
    copyFileSync(join(ROOT, 'devices/roborock/_vendor.yaml'), join(dir, 'roborock/_vendor.yaml'));
    writeFileSync(join(dir, 'roborock/s50.yaml'), example!);
    const { problems } = lint(dir);
    expect(problems).toEqual([]);
  });

  it('documents the fields it uses with comments', () => {
    expect(example!.split('\n').filter((l) => l.includes('#')).length).toBeGreaterThan(15);
  });
});
