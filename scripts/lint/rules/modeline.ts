import type { Rule } from '../rule.js';
import { MODELINES } from '../../lib/canonical.js';

/** The first line tells editors which schema to validate against, so contributors see mistakes as they type. */
export const modeline: Rule = {
  name: 'modeline',
  description: 'The first line is the yaml-language-server $schema modeline for the file kind.',
  appliesTo: ['device', 'vendor'],
  check({ file, report }) {
    const first = file.text.split(/\r\n|\r|\n/, 1)[0]!;
    const expected = MODELINES[file.kind];
    if (first !== expected) {
      report([], first.startsWith('# yaml-language-server:') ? 'the schema modeline points at the wrong schema' : 'the first line is not the schema modeline', {
        hint: `make line 1 read: ${expected} (npm run fix does it)`,
        line: 1,
      });
    }
  },
};
