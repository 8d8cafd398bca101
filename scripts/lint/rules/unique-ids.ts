import type { Rule } from '../rule.js';
import type { Problem } from '../../lib/problems.js';
import type { NameClaim } from '../index.js';

/**
 * Ids and aliases are the dataset's public names: each may be claimed once, by one file. A file checks its
 * names against every file's path-derived id; aliases claimed by two files are found across the run by
 * `aliasCollisions`, which needs every file's aliases.
 */
export const uniqueIds: Rule = {
  name: 'unique-ids',
  description: 'Device ids and aliases are unique across the dataset.',
  appliesTo: ['device'],
  check({ file, data, dataset, report }) {
    const ownId = file.relPath.replace(/\.ya?ml$/, '');
    const aliases = Array.isArray(data.aliases) ? data.aliases : [];
    aliases.forEach((alias, i) => {
      if (typeof alias !== 'string') return;
      if (alias === data.id || alias === ownId) report(['aliases', i], `alias "${alias}" repeats the device's own id`, { hint: 'remove it' });
      else if (dataset.claims.has(alias)) {
        report(['aliases', i], `alias "${alias}" is the id of devices/${alias}.yaml`, { hint: 'an alias names a former id of this device only; remove it, or merge the two files' });
      }
    });
  },
};

/** Aliases claimed by more than one file: every claimant after the first (in path order) is reported. */
export function aliasCollisions(claims: NameClaim[]): Problem[] {
  const byName = new Map<string, NameClaim[]>();
  for (const c of claims) if (c.kind === 'alias') byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const problems: Problem[] = [];
  for (const claimants of byName.values()) {
    const files = [...new Set(claimants.map((c) => c.relPath))].sort();
    if (files.length < 2) continue;
    const first = claimants.find((c) => c.relPath === files[0])!;
    for (const c of claimants) {
      if (c.relPath === first.relPath) continue;
      problems.push({
        file: c.file, line: c.line, col: c.col, rule: 'unique-ids', severity: 'error',
        message: `alias "${c.name}" is also claimed by ${first.file}`,
        hint: 'an alias names a former id of one device only; keep it on the device that had that id',
      });
    }
  }
  return problems;
}
