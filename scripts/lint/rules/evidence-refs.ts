import type { Rule } from '../rule.js';
import { evidenceItemsOf, evidenceRefsOf } from '../../lib/walk.js';

/** Every fact cites evidence in its own file, and every evidence item backs some fact. */
export const evidenceRefs: Rule = {
  name: 'evidence-refs',
  description: 'Evidence ids are unique; every reference resolves to this file\'s evidence list; no evidence item goes unused.',
  appliesTo: ['device', 'vendor'],
  check({ file, data, report }) {
    const ids = new Map<string, number>();
    for (const { value: item, path } of evidenceItemsOf(data)) {
      if (typeof item.id !== 'string') continue;
      if (ids.has(item.id)) report([...path, 'id'], `evidence id "${item.id}" is used twice in this file`, { hint: 'give each evidence item its own id' });
      else ids.set(item.id, path[1] as number);
    }
    const used = new Set<string>();
    let dangling = 0;
    for (const { value: ref, path } of evidenceRefsOf(data)) {
      used.add(ref);
      if (!ids.has(ref)) {
        dangling++;
        const known = [...ids.keys()];
        report(path, `evidence "${ref}" is not in this file's evidence list`, {
          hint: known.length ? `cite one of: ${known.slice(0, 8).join(', ')}` : 'add an item with this id under evidence:',
        });
      }
    }
    // A vendor file's evidence may back the groups only; devices cite their own copy.
    // A mistyped reference usually leaves its item uncited: one mistake, one message.
    if (dangling > 0) return;
    for (const [id, index] of ids) {
      if (!used.has(id)) {
        report(['evidence', index, 'id'], `evidence "${id}" is not cited by any endpoint, flow or verdict`, {
          hint: file.kind === 'vendor' ? 'cite it from a group endpoint, or remove it' : 'cite it where it backs a fact, or remove it',
        });
      }
    }
  },
};
