// The real dataset changes while people work on it: tests take whatever device files validate right now.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDataFiles } from '../../scripts/lib/load.js';
import { lint } from '../../scripts/lint/index.js';
import { ROOT } from '../../scripts/lib/project.js';

export interface ValidTree { dir: string; skipped: string[]; cleanup(): void }

/** The devices tree, or a temporary copy without the files (and vendors) that do not validate at the moment. */
export function validDevicesTree(source = join(ROOT, 'devices')): ValidTree {
  const skipped: string[] = [];
  let dir = source;
  let temp: string | undefined;
  for (let round = 0; round < 5; round++) {
    const files = listDataFiles(dir);
    const bad = new Set(lint(dir).problems.filter((p) => p.severity === 'error').map((p) => files.find((rel) => p.file === rel || p.file.endsWith(`/${rel}`))).filter((x) => !!x) as string[]);
    if (bad.size === 0) break;
    if (!temp) { temp = mkdtempSync(join(tmpdir(), 'netneeds-valid-')); cpSync(source, temp, { recursive: true }); dir = temp; }
    for (const rel of bad) {
      const vendorWide = rel.endsWith('/_vendor.yaml');
      rmSync(join(dir, vendorWide ? rel.split('/')[0]! : rel), { recursive: true, force: true });
      skipped.push(vendorWide ? `${rel.split('/')[0]}/*` : rel);
    }
  }
  return { dir, skipped, cleanup: () => { if (temp) rmSync(temp, { recursive: true, force: true }); } };
}
