import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { toHtml, type Options } from 'hast-util-to-html';
import type { DatasetMeta } from '../scripts/build/types.js';
import { SITE_URL } from '../scripts/lib/project.js';

/**
 * No inline scripts, no third-party hosts: everything a page loads comes from the site itself, and a page that
 * runs no script (every device page) allows none.
 */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";
export const CSP_WITHOUT_SCRIPTS = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/** Written as is: constants with no quote or ampersand in them, so the serializer's escaping of every ' is not needed. */
const cspMeta = (csp: string) => `<meta charset=utf-8><meta http-equiv=Content-Security-Policy content="${csp}">`;
const CSP_META = cspMeta(CSP);
const CSP_META_WITHOUT_SCRIPTS = cspMeta(CSP_WITHOUT_SCRIPTS);

export type Section = 'devices' | 'policy' | 'vendors' | 'downloads' | 'contribute';
export interface PageOptions {
  title: string; description?: string; depth: number; body: Element[]; scripts?: string[];
  meta: DatasetMeta; section?: Section;
  /** The page's folder below the site root ('' for the home page): its canonical URL. Absent for pages served at any path (404). */
  path?: string;
  /** Links from the site's root path instead of relative ones: for a page served at any address (404). */
  absoluteRoot?: string;
  /** Extra head elements. */
  head?: Element[];
  /** Announce the feed of dataset changes (true unless a page repeated thousands of times leaves it to the others). */
  feedLink?: boolean;
}

/** The published address of a page or file below the site root. */
export const siteUrl = (path: string) => `${SITE_URL}/${path}`;

const NAV: [Section, string, string][] = [
  ['devices', '', 'Devices'], ['policy', 'policy/', 'Policy builder'], ['vendors', 'vendors/', 'Vendors'], ['downloads', 'downloads/', 'Downloads'], ['contribute', 'contribute/', 'Contribute'],
];

/** Relative link from a page `depth` folders below the site root. */
export const rel = (depth: number, target: string) => ('../'.repeat(depth) || './') + target;

/**
 * Serializer options: optional tags and attribute quotes left out where HTML allows it (the parsed page is the
 * same), which takes a fifth off every page at no cost to readers.
 */
const HTML: Options = { omitOptionalTags: true, preferUnquoted: true, characterReferences: { useShortestReferences: true } };

/** Serializes a fragment; every string in it is escaped by the serializer. */
export const html = (nodes: ElementContent | ElementContent[]): string => toHtml({ type: 'root', children: Array.isArray(nodes) ? nodes : [nodes] }, HTML);

/** The parts every page shares at one depth: serialized once per build, not once per page. */
const chrome = new Map<string, { header: string; footer: string }>();

function pageChrome(opts: PageOptions, root: (t: string) => string): { header: string; footer: string } {
  const key = JSON.stringify([opts.absoluteRoot ?? opts.depth, opts.section ?? '', opts.meta.datasetVersion, opts.meta.schemaVersion, opts.meta.sourceCommit, opts.meta.repository]);
  let parts = chrome.get(key);
  if (!parts) {
    parts = {
      header: html([
        h('a.skip', { href: '#main' }, 'Skip to content'),
        h('header.site', [
          h('a.brand', { href: root('') }, [h('span.logo', { 'aria-hidden': 'true' }, '⇄'), 'NetNeeds']),
          h('nav', { 'aria-label': 'Site' }, NAV.map(([id, path, label]) =>
            h('a', { href: root(path), 'aria-current': id === opts.section ? 'page' : undefined }, label))),
        ]),
      ]),
      footer: html(h('footer.site', [
        h('p', 'NetNeeds: what smart-home and IoT devices need on the network, and what they merely want, with the evidence for every claim.'),
        h('p', [
          `Dataset ${opts.meta.datasetVersion} · schema ${opts.meta.schemaVersion} · commit ${opts.meta.sourceCommit.slice(0, 12)} · data ${opts.meta.license.data}, code ${opts.meta.license.code} · `,
          h('a', { href: opts.meta.repository }, 'Source on GitHub'),
        ]),
      ])),
    };
    chrome.set(key, parts);
  }
  return parts;
}

export function page(opts: PageOptions): string {
  const root = (t: string) => (opts.absoluteRoot !== undefined ? opts.absoluteRoot + t : rel(opts.depth, t));
  const head = html([
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'color-scheme', content: 'light dark' }),
    h('title', `${opts.title} · NetNeeds`),
    ...(opts.description ? [h('meta', { name: 'description', content: opts.description })] : []),
    ...(opts.path !== undefined ? [h('link', { rel: 'canonical', href: siteUrl(opts.path) })] : []),
    // OpenGraph: the card a chat or social site shows for a shared link.
    h('meta', { property: 'og:site_name', content: 'NetNeeds' }),
    h('meta', { property: 'og:type', content: 'website' }),
    h('meta', { property: 'og:title', content: opts.title }),
    ...(opts.description ? [h('meta', { property: 'og:description', content: opts.description })] : []),
    ...(opts.path !== undefined ? [h('meta', { property: 'og:url', content: siteUrl(opts.path) })] : []),
    h('meta', { name: 'twitter:card', content: 'summary' }),
    ...(opts.feedLink === false ? [] : [h('link', { rel: 'alternate', type: 'application/atom+xml', title: 'NetNeeds dataset changes', href: root('feed.xml') })]),
    ...(opts.head ?? []),
    h('link', { rel: 'stylesheet', href: root('assets/style.css') }),
    h('link', { rel: 'icon', type: 'image/svg+xml', href: root('assets/favicon.svg') }),
    ...(opts.scripts ?? []).map((s) => h('script', { src: root(s), defer: true })),
  ]);
  const { header, footer } = pageChrome(opts, root);
  // The html, head and body tags are written here: the parts between them are serialized apart.
  return `<!doctype html><html lang=en><head>${opts.scripts?.length ? CSP_META : CSP_META_WITHOUT_SCRIPTS}${head}</head><body>${header}${html(h('main#main', opts.body))}${footer}</body></html>\n`;
}
