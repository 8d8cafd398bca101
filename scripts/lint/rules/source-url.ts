import type { Rule } from '../rule.js';
import { evidenceItemsOf } from '../../lib/walk.js';

/**
 * Hosts that rewrite other sites' pages (corporate proxies, translation and cache front-ends): a reader outside the
 * network that stored the copy cannot open them, and the copy may differ from the source.
 */
const PROXY_HOSTS = [/\.rproxy\.goskope\.com$/, /\.translate\.goog$/, /^webcache\.googleusercontent\.com$/, /^translate\.google\.[a-z.]+$/, /\.proxy\./];

/** Code and Home Assistant's documentation on GitHub are cited at a commit, so the quoted line stays where it was read. */
const PINNED = /^\/[^/]+\/[^/]+\/(?:blob|tree|raw|commit)\/[0-9a-f]{7,40}(?:\/|$)/;

/** Sources must be openable by a reader; plain http is allowed where a site offers nothing better. */
export const sourceUrl: Rule = {
  name: 'source-url',
  description: 'Evidence sources are https URLs with a real host, not a proxy; code and integration documentation on GitHub are pinned to a commit; http is a warning.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: item, path } of evidenceItemsOf(data)) {
      if (typeof item.source !== 'string') continue;
      let url: URL;
      try { url = new URL(item.source); } catch { continue; }
      if (url.username || url.password) report([...path, 'source'], 'source URL carries credentials', { hint: 'remove user:password@' });
      else if (!url.hostname.includes('.') || /^[0-9.]+$/.test(url.hostname) || url.hostname.startsWith('[')) {
        report([...path, 'source'], `source host "${url.hostname}" is not a public site a reader can open`);
      } else if (PROXY_HOSTS.some((p) => p.test(url.hostname))) {
        report([...path, 'source'], `source host "${url.hostname}" is a proxy or cache that readers cannot open`, { hint: 'cite the page at its own address' });
      } else if ((item.type === 'source-code' || item.type === 'integration-documentation') && url.hostname === 'github.com' && !PINNED.test(url.pathname)) {
        report([...path, 'source'], `${item.type} on GitHub must be cited at a commit`, { hint: 'use the blob/<commit>/… address (press y on the GitHub page), so the quoted line stays where it was read' });
      } else if (url.protocol === 'http:') {
        report([...path, 'source'], 'source URL uses http', { severity: 'warning', hint: `use https://${item.source.slice('http://'.length)} if the site serves it` });
      }
    }
  },
};
