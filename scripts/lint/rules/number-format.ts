import { isMap, isScalar, isSeq } from 'yaml';
import type { Rule } from '../rule.js';
import type { PathSegment } from '../../lib/load.js';

const PLAIN_DECIMAL = /^(0|-?[1-9][0-9]*)$/;

/**
 * YAML reads 0o777, 0x1F, 443.0, 1e3, +5 and 08 as numbers a reader does not see: a port written 0x1F is 31.
 * Every number is written in plain decimal, so the file says what the data holds (and fix never rewrites a value).
 */
export const numberFormat: Rule = {
  name: 'number-format',
  description: 'Numbers are written in plain decimal: no 0x, 0o, leading zeros, signs, exponents or .0 (quote text that looks like a number).',
  appliesTo: ['device', 'vendor'],
  check({ file, report }) {
    const walk = (node: unknown, path: PathSegment[]): void => {
      if (isMap(node)) {
        for (const pair of node.items) if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item, [...path, i]));
      } else if (isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number') {
        const source = node.source ?? String(node.value);
        if (PLAIN_DECIMAL.test(source)) return;
        const plain = Number.isInteger(node.value) && Number.isFinite(node.value) ? String(node.value) : null;
        report(path, `${source} is read as the number ${String(node.value)}`, {
          hint: plain !== null ? `write ${plain}, or "${source}" in quotes if it is text` : `write "${source}" in quotes if it is text`,
        });
      }
    };
    walk(file.doc?.contents, []);
  },
};
