import type { Rule } from '../rule.js';
import { evidenceItemsOf } from '../../lib/walk.js';

/** Sources must be openable by a reader; plain http is allowed where a site offers nothing better. */
export const sourceUrl: Rule = {
  name: 'source-url',
  description: 'Evidence sources are https URLs with a real host; http is a warning.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: item, path } of evidenceItemsOf(data)) {
      if (typeof item.source !== 'string') continue;
      let url: URL;
      try { url = new URL(item.source); } catch { continue; }
      if (url.username || url.password) report([...path, 'source'], 'source URL carries credentials', { hint: 'remove user:password@' });
      else if (!url.hostname.includes('.') || /^[0-9.]+$/.test(url.hostname) || url.hostname.startsWith('[')) {
        report([...path, 'source'], `source host "${url.hostname}" is not a public site a reader can open`);
      } else if (url.protocol === 'http:') {
        report([...path, 'source'], 'source URL uses http', { severity: 'warning', hint: `use https://${item.source.slice('http://'.length)} if the site serves it` });
      }
    }
  },
};
