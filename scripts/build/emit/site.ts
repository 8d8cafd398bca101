import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  contributePage, devicePage, devicePath, downloadsPage, indexPage, SEARCH_DATA, searchData, vendorPage, vendorsPage,
  type DeviceDownloads,
} from '../../../site/pages.js';
import type { Emitter, OutputFile } from './emitter.js';

const ASSETS = fileURLToPath(new URL('../../../site/assets/', import.meta.url));

/** Rules and MUD files other emitters wrote for each device, keyed by device id. */
function deviceDownloads(earlier: readonly OutputFile[]): Map<string, DeviceDownloads> {
  const out = new Map<string, DeviceDownloads>();
  const entry = (id: string) => out.get(id) ?? out.set(id, { rules: [] }).get(id)!;
  for (const f of earlier) {
    const rules = /^rules\/([^/]+\/[^/]+)\/[^/]+$/.exec(f.path);
    if (rules) entry(rules[1]!).rules.push(f.path);
    const mud = /^mud\/([^/]+\/[^/]+)\.json$/.exec(f.path);
    if (mud) entry(mud[1]!).mud = f.path;
  }
  for (const d of out.values()) d.rules.sort();
  return out;
}

/** The static site, rendered from the same model as every other output; it runs after the emitters whose files it links. */
export const siteEmitter: Emitter = {
  name: 'site',
  emit(ds, earlier) {
    const downloads = deviceDownloads(earlier);
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
