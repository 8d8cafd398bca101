import { BASIS_OF_TYPE } from '../../lib/verdict-basis.js';
import { evidenceItemsOf, type Rec } from '../../lib/walk.js';
import type { Rule } from '../rule.js';
import { definiteVerdictsOf, evidenceTypes } from './verdict-strength.js';

export const MAX_QUOTE_WORDS = 25;

/**
 * Tested or documented evidence behind a definite verdict quotes its passage, so a reviewer can check it without opening
 * the page. A community blocklist's passage is the listed name itself.
 */
export const evidenceQuote: Rule = {
  name: 'evidence-quote',
  description: `Tested or documented evidence behind a required, not-required or setup-only verdict has a quote: of at most ${MAX_QUOTE_WORDS} words.`,
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    const types = evidenceTypes(data);
    const carrying = new Set<string>();
    for (const v of definiteVerdictsOf(data)) {
      for (const id of v.evidence) {
        const t = types.get(id);
        if (t && (BASIS_OF_TYPE[t] === 'tested' || BASIS_OF_TYPE[t] === 'documented')) carrying.add(id);
      }
    }
    for (const { value: item, path } of evidenceItemsOf(data as Rec)) {
      if (typeof item.quote === 'string') {
        const words = item.quote.trim().split(/\s+/).length;
        if (words > MAX_QUOTE_WORDS) {
          report([...path, 'quote'], `quote has ${words} words; at most ${MAX_QUOTE_WORDS}`, { hint: 'keep only the passage that carries the claim; explain in note:' });
        }
      } else if (typeof item.id === 'string' && carrying.has(item.id)) {
        report([...path, 'id'], `evidence "${item.id}" backs a definite verdict but has no quote`, {
          hint: `add quote: with the source's own words that carry the verdict (at most ${MAX_QUOTE_WORDS} words)`,
        });
      }
    }
  },
};
