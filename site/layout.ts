import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { toHtml } from 'hast-util-to-html';

/** No inline scripts, no third-party hosts: everything the page loads comes from the site itself. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

export interface PageOptions { title: string; description?: string; depth: number; body: Element[]; scripts?: string[] }

/** Relative link from a page `depth` folders below the site root. */
export const rel = (depth: number, target: string) => ('../'.repeat(depth) || './') + target;

export function page(opts: PageOptions): string {
  const root = (t: string) => rel(opts.depth, t);
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', [
          h('meta', { charset: 'utf-8' }),
          h('meta', { httpEquiv: 'Content-Security-Policy', content: CSP }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { name: 'color-scheme', content: 'light dark' }),
          h('title', `${opts.title} · NetNeeds`),
          ...(opts.description ? [h('meta', { name: 'description', content: opts.description })] : []),
          h('link', { rel: 'stylesheet', href: root('assets/style.css') }),
          ...(opts.scripts ?? []).map((s) => h('script', { src: root(s), defer: true })),
        ]),
        h('body', [
          h('a.skip', { href: '#main' }, 'Skip to content'),
          h('header.site', [
            h('a.brand', { href: root('') }, 'NetNeeds'),
            h('nav', { 'aria-label': 'Site' }, [
              h('a', { href: root('') }, 'Devices'),
              h('a', { href: root('vendors/') }, 'Vendors'),
              h('a', { href: root('downloads/') }, 'Downloads'),
              h('a', { href: root('contribute/') }, 'Contribute'),
            ]),
          ]),
          h('main#main', opts.body),
          h('footer.site', [
            h('p', 'NetNeeds: what smart-home devices need on the network, and what they merely want. Data CC0-1.0, code MIT.'),
          ]),
        ]),
      ]),
    ],
  };
  return toHtml(tree) + '\n';
}
