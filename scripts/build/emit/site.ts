import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../lib/project.js';
import {
  atomFeed, builderScript, contributePage, verdictsPage, devicePage, devicePath, downloadsPage, indexPage, listPage, listPath, notFoundPage, pageCount,
  policyPage, robotsTxt, SEARCH_DATA, searchData, sitemaps, vendorPage, vendorsPage,
} from '../../../site/pages.js';
import { badgeMarksCss, stackLabelsCss } from '../../../site/components.js';
import type { Device } from '../types.js';
import type { Emitter } from './emitter.js';

const ASSETS = ROOT + 'site/assets/';

/** The static site, rendered from the same model as every other output: device pages on every core, the rest once. */
export const siteEmitter: Emitter = {
  name: 'site',
  device(d, context, out) {
    out.write(`site/${devicePath(d.id)}index.html`, devicePage(context, d));
  },
  async dataset(ds, out) {
    for (const name of readdirSync(ASSETS).sort()) {
      out.write(`site/assets/${name}`, name === 'style.css' ? readFileSync(ASSETS + name, 'utf8') + badgeMarksCss() + stackLabelsCss() : readFileSync(ASSETS + name));
    }
    out.write('site/assets/builder.js', await builderScript());
    out.write('site/index.html', indexPage(ds));
    for (let n = 2; n <= pageCount(ds); n++) out.write(`site/${listPath(n)}index.html`, listPage(ds, n));
    out.write(`site/${SEARCH_DATA}`, searchData(ds));
    // Imported here, not at the top: the policy command imports the build, which imports this emitter.
    const { default: policyCommand } = await import('../../cli/policy.js');
    out.write('site/policy/index.html', policyPage(ds, Object.keys(policyCommand.options)));
    out.write('site/vendors/index.html', vendorsPage(ds));
    const byVendor = new Map<string, Device[]>();
    for (const d of ds.devices) (byVendor.get(d.vendor) ?? byVendor.set(d.vendor, []).get(d.vendor)!).push(d);
    for (const v of ds.vendors) out.write(`site/vendors/${v.id}/index.html`, vendorPage(ds, v.id, byVendor.get(v.id) ?? []));
    out.write('site/contribute/index.html', contributePage(ds));
    out.write('site/verdicts/index.html', verdictsPage(ds));
    out.write('site/404.html', notFoundPage(ds));
    out.write('site/feed.xml', atomFeed(ds));
    out.write('site/robots.txt', robotsTxt());
    const paths = [
      '', ...Array.from({ length: pageCount(ds) - 1 }, (_, i) => listPath(i + 2)), 'policy/', 'vendors/', 'downloads/', 'contribute/', 'verdicts/',
      ...ds.vendors.map((v) => `vendors/${v.id}/`), ...ds.devices.map((d) => devicePath(d.id)),
    ];
    for (const s of sitemaps(paths)) out.write(`site/${s.path}`, s.content);
  },
  finish(ds, written, out) {
    out.write('site/downloads/index.html', downloadsPage(ds, written));
  },
};
