import type { Rule } from '../rule.js';
import { groupUsesOf } from '../../lib/walk.js';

export const groupRefs: Rule = {
  name: 'group-refs',
  description: 'Endpoint group references name a group defined in devices/<vendor>/_vendor.yaml, used at most once per device.',
  appliesTo: ['device'],
  check({ data, dataset, report }) {
    const seen = new Set<string>();
    for (const { value: use, path } of groupUsesOf(data)) {
      if (typeof use.group !== 'string') continue;
      if (seen.has(use.group)) report([...path, 'group'], `group "${use.group}" is used twice`, { hint: 'remove the repeat' });
      seen.add(use.group);
      if (!dataset.groups.has(use.group)) {
        const [vendor] = use.group.split('/');
        const known = [...dataset.groups.keys()].filter((g) => g.startsWith(`${vendor}/`));
        report([...path, 'group'], `endpoint group "${use.group}" is not defined`, {
          hint: known.length ? `defined groups of ${vendor}: ${known.join(', ')}` : `define it under groups: in devices/${vendor}/_vendor.yaml`,
        });
      }
    }
  },
};
