import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticTree } from '../../scripts/bench/synthetic.js';
import { lint } from '../../scripts/lint/index.js';
import { lintParallel } from '../../scripts/lint/parallel.js';

// The CLI lints large trees in worker threads; it must find exactly what the single-process linter finds.
describe('parallel lint', () => {
  it('reports the same problems as the single-process run, cross-slice alias collisions included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-parallel-'));
    const ids = writeSyntheticTree(dir, { devices: 420, seed: 3 });
    const edit = (id: string, from: string | RegExp, to: string) => {
      const file = join(dir, `${id}.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
    };
    // Two files in different slices claim one alias; others carry single-file mistakes.
    edit(ids[10]!, /^name: /m, 'aliases: [vendor0/gone]\nname: ');
    edit(ids[11]!, /^name: /m, 'aliases: [vendor0/gone]\nname: ');
    edit(ids[12]!, /ports: \[(\d+)\]/, 'ports: [70000]');
    edit(ids[13]!, /host: ([a-z0-9]+)\./, 'host: UPPER.');
    edit(ids[14]!, /^category: .*$/m, 'category: toaster');
    const single = lint(dir, { today: '2026-01-01' });
    const parallel = await lintParallel(dir, { today: '2026-01-01' });
    expect(parallel.checked).toBe(single.checked);
    expect(parallel.problems).toEqual(single.problems);
    expect(single.problems.map((p) => p.rule).sort()).toEqual(['canonical-format', 'canonical-format', 'hostname', 'schema', 'schema', 'unique-ids']);
  });
});
