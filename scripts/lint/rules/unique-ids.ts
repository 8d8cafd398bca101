import type { Rule } from '../rule.js';

/** Ids and aliases are the dataset's public names: each may be claimed once, by one file. */
export const uniqueIds: Rule = {
  name: 'unique-ids',
  description: 'Device ids and aliases are unique across the dataset.',
  appliesTo: ['device'],
  check({ file, data, dataset, report }) {
    const check = (name: unknown, path: (string | number)[], what: string) => {
      if (typeof name !== 'string') return;
      const claims = dataset.claims.get(name) ?? [];
      const first = claims[0];
      if (claims.length > 1 && first && !(first.file === file && first.path.join('/') === path.join('/'))) {
        report(path, `${what} "${name}" is already used by ${first.file.path}`, {
          hint: what === 'alias' ? 'an alias names a former id of this device only; remove it' : 'pick another model slug',
        });
      }
    };
    check(data.id, ['id'], 'id');
    const aliases = Array.isArray(data.aliases) ? data.aliases : [];
    aliases.forEach((alias, i) => {
      if (alias === data.id) report(['aliases', i], `alias "${alias}" repeats the device's own id`, { hint: 'remove it' });
      else check(alias, ['aliases', i], 'alias');
    });
  },
};
