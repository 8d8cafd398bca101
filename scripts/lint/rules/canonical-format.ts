import type { Rule } from '../rule.js';
import { canonicalText, isCanonicalAsIs } from '../../lib/canonical.js';

/** One layout per file keeps diffs about facts, not formatting. */
export const canonicalFormat: Rule = {
  name: 'canonical-format',
  description: 'The file is in canonical form: schema key order, sorted lists, one YAML style (npm run fix writes it). Checked once the file has no other errors.',
  appliesTo: ['device', 'vendor'],
  check({ file, report }) {
    if (!file.doc) return;
    const lone = file.text.search(/\r(?!\n)/);
    if (lone >= 0) {
      report([], 'line breaks are carriage returns (CR, classic Mac): the file must use LF line breaks', { hint: `run: npm run fix -- ${file.path}`, line: file.text.slice(0, lone).split(/\r\n|\r|\n/).length });
      return;
    }
    // A file already in canonical form is recognised without writing it again; only the others are written out.
    if (isCanonicalAsIs(file.doc, file.kind, file.text)) return;
    // Runs last: nothing locates nodes in this document after it, so it may reorder the document itself.
    const expected = canonicalText(file.doc, file.kind, true).split('\n');
    const actual = file.text.replace(/\r\n/g, '\n').split('\n');
    const start = actual[0]?.startsWith('# yaml-language-server:') ? 1 : 0; // the modeline rule owns line 1
    for (let i = 1, j = start; i < expected.length || j < actual.length; i++, j++) {
      if (expected[i] !== actual[j]) {
        report([], `not in canonical form from line ${j + 1}: expected ${JSON.stringify(expected[i] ?? '(end of file)')}`, {
          hint: `run: npm run fix -- ${file.path}`,
          line: j + 1,
        });
        return;
      }
    }
  },
};
