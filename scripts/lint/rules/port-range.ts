import type { Rule } from '../rule.js';
import { parsePortItem } from '../../lib/net.js';
import { asArray, portCarriersOf } from '../../lib/walk.js';

export const portRange: Rule = {
  name: 'port-range',
  description: 'Ports (and source ports) are 1–65535, ranges run low to high, and no port is listed twice.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of portCarriersOf(data)) for (const key of ['ports', 'source-ports'] as const) {
      const items = asArray(e[key]);
      const seen: { from: number; to: number; i: number }[] = [];
      items.forEach((item, i) => {
        const range = parsePortItem(item);
        if (!range) return;
        const at = [...path, key, i];
        if (range.from < 1 || range.from > 65535 || range.to < 1 || range.to > 65535) {
          report(at, `port ${item} is outside 1–65535`);
        } else if (range.from > range.to) {
          report(at, `port range "${item}" runs high to low`, { hint: `write "${range.to}-${range.from}"` });
        } else if (range.from === range.to && typeof item === 'string') {
          report(at, `port range "${item}" is a single port`, { hint: `write ${range.from}` });
        } else {
          const overlap = seen.find((s) => range.from <= s.to && s.from <= range.to);
          if (overlap) report(at, `port ${item} overlaps ${items[overlap.i]} in the same list`, { hint: 'merge them' });
          seen.push({ ...range, i });
        }
      });
    }
  },
};
