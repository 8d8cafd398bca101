import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../lib/project.js';
import {
  collectDeviceDownloads, contributePage, devicePage, devicePath, downloadsPage, indexPage, SEARCH_DATA, searchData, vendorPage, vendorsPage,
} from '../../../site/pages.js';
import type { Emitter, OutputFile } from './emitter.js';

const ASSETS = ROOT + 'site/assets/';

/** The static site, rendered from the same model as every other output; it runs after the emitters whose files it links. */
export const siteEmitter: Emitter = {
  name: 'site',
  emit(ds, earlier) {
    const downloads = collectDeviceDownloads(earlier, ds.devices.map((d) => d.id));
    const files: OutputFile[] = [
      { path: 'site/index.html', content: indexPage(ds) },
      { path: `site/${SEARCH_DATA}`, content: searchData(ds) },
      { path: 'site/vendors/index.html', content: vendorsPage(ds) },
      { path: 'site/downloads/index.html', content: downloadsPage(ds, earlier) },
      { path: 'site/contribute/index.html', content: contributePage(ds) },
      ...readdirSync(ASSETS).sort().map((name) => ({ path: `site/assets/${name}`, content: readFileSync(ASSETS + name) })),
    ];
    for (const d of ds.devices) files.push({ path: `site/${devicePath(d.id)}index.html`, content: devicePage(ds, d, downloads.get(d.id)) });
    for (const v of ds.vendors) files.push({ path: `site/vendors/${v.id}/index.html`, content: vendorPage(ds, v.id) });
    return files;
  },
};
