import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../scripts/lint/index.js';
import { buildDataset } from '../../scripts/build/model.js';
import { ROOT } from '../../scripts/lib/project.js';

// The README shows the seed device's table "as it now appears": it must not drift from the data.
describe('README seed table', () => {
  it('lists every destination of roborock/s50 with its current verdicts', () => {
    const { files, problems } = lint(join(ROOT, 'devices'), { only: ['roborock/s50.yaml'] });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const device = buildDataset(files).devices.find((d) => d.id === 'roborock/s50')!;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const direct = device.endpoints.filter((e) => !e.group);
    expect(direct.length).toBeGreaterThanOrEqual(7);
    for (const e of direct) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${e.destination} |`));
      expect(row, e.destination).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      expect(cells.slice(-3, -1)).toEqual([e.needs['vendor-app'].verdict, e.needs['home-assistant'].verdict]);
    }
  });
});
