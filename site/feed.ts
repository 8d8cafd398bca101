// The Atom feed of dataset changes and the sitemap. Both are derived from the data alone (evidence dates, ids),
// never from the clock or from git, so the same commit builds the same files.
import type { Dataset, Device } from '../scripts/build/types.js';
import { siteUrl } from './layout.js';

/** XML text: escaped, and stripped of the characters XML 1.0 cannot hold. */
const xmlText = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

type Xml = { name: string; attrs?: Record<string, string>; children?: (Xml | string)[] };
const el = (name: string, attrs: Record<string, string> | undefined, ...children: (Xml | string)[]): Xml => ({ name, ...(attrs ? { attrs } : {}), children });

function serialize(node: Xml | string, indent = ''): string {
  if (typeof node === 'string') return xmlText(node);
  const attrs = Object.entries(node.attrs ?? {}).map(([k, v]) => ` ${k}="${xmlText(v)}"`).join('');
  const kids = node.children ?? [];
  if (!kids.length) return `${indent}<${node.name}${attrs}/>`;
  if (kids.every((k) => typeof k === 'string')) return `${indent}<${node.name}${attrs}>${kids.map((k) => serialize(k)).join('')}</${node.name}>`;
  return `${indent}<${node.name}${attrs}>\n${kids.map((k) => serialize(k, indent + '  ')).join('\n')}\n${indent}</${node.name}>`;
}

const xml = (root: Xml) => `<?xml version="1.0" encoding="utf-8"?>\n${serialize(root)}\n`;

/** How many entries the feed carries: the devices with the newest evidence. */
export const FEED_ENTRIES = 100;

const TRISTATE = { yes: 'yes', no: 'no', unknown: 'unknown' } as const;

function summary(d: Device): string {
  const ev = d.derived.evidence;
  return `${d.derived.counts.endpoints} internet destinations, ${ev.count} sources (${ev.confidence} confidence). `
    + `Works with Home Assistant offline: ${TRISTATE[d.derived.worksWithHaOffline]}. Vendor app needs the cloud: ${TRISTATE[d.derived.vendorAppNeedsCloud]}.`;
}

/** One entry per device, dated by its newest evidence: a new source or a new device shows up at the top. */
export function atomFeed(ds: Dataset): string {
  const dated = ds.devices.filter((d) => d.derived.evidence.newest)
    .sort((a, b) => (a.derived.evidence.newest! < b.derived.evidence.newest! ? 1 : a.derived.evidence.newest! > b.derived.evidence.newest! ? -1 : a.id < b.id ? -1 : 1))
    .slice(0, FEED_ENTRIES);
  // Evidence dates may be a year or a month (2024, 2024-05): Atom wants a full timestamp.
  const stamp = (date: string) => { const [y, m = '01', d = '01'] = date.split('-'); return `${y}-${m}-${d}T00:00:00Z`; };
  const updated = dated[0] ? stamp(dated[0].derived.evidence.newest!) : '1970-01-01T00:00:00Z';
  return xml(el('feed', { xmlns: 'http://www.w3.org/2005/Atom' },
    el('title', undefined, 'NetNeeds: dataset changes'),
    el('subtitle', undefined, 'Devices whose evidence changed most recently, newest first.'),
    el('id', undefined, siteUrl('feed.xml')),
    el('link', { rel: 'self', href: siteUrl('feed.xml') }),
    el('link', { rel: 'alternate', href: siteUrl('') }),
    el('updated', undefined, updated),
    el('author', undefined, el('name', undefined, 'NetNeeds contributors')),
    ...dated.map((d) => el('entry', undefined,
      el('title', undefined, `${d.name}: evidence of ${d.derived.evidence.newest}`),
      el('id', undefined, `${siteUrl(`devices/${d.id}/`)}#${d.derived.evidence.newest}`),
      el('link', { href: siteUrl(`devices/${d.id}/`) }),
      el('updated', undefined, stamp(d.derived.evidence.newest!)),
      el('summary', undefined, summary(d)),
    )),
  ));
}

/** A sitemap holds at most 50,000 addresses: beyond that, sitemap.xml indexes numbered parts. */
export const SITEMAP_LIMIT = 45_000;

export function sitemaps(paths: string[]): { path: string; content: string }[] {
  const urlset = (part: string[]) => xml(el('urlset', { xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9' }, ...part.map((p) => el('url', undefined, el('loc', undefined, siteUrl(p))))));
  if (paths.length <= SITEMAP_LIMIT) return [{ path: 'sitemap.xml', content: urlset(paths) }];
  const parts: { path: string; content: string }[] = [];
  for (let i = 0; i < paths.length; i += SITEMAP_LIMIT) parts.push({ path: `sitemap-${parts.length + 1}.xml`, content: urlset(paths.slice(i, i + SITEMAP_LIMIT)) });
  const index = xml(el('sitemapindex', { xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9' }, ...parts.map((p) => el('sitemap', undefined, el('loc', undefined, siteUrl(p.path))))));
  return [{ path: 'sitemap.xml', content: index }, ...parts];
}

export const robotsTxt = () => `User-agent: *\nAllow: /\n\nSitemap: ${siteUrl('sitemap.xml')}\n`;
