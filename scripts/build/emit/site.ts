import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { devicePage, devicePath, indexPage, vendorPage, vendorsPage } from '../../../site/pages.js';
import type { Emitter, OutputFile } from './emitter.js';

const asset = (name: string) => readFileSync(fileURLToPath(new URL(`../../../site/assets/${name}`, import.meta.url)));

/** The static site, rendered from the same model as every other output. */
export const siteEmitter: Emitter = {
  name: 'site',
  emit(ds) {
    const files: OutputFile[] = [
      { path: 'site/index.html', content: indexPage(ds) },
      { path: 'site/vendors/index.html', content: vendorsPage(ds) },
      { path: 'site/assets/style.css', content: asset('style.css') },
    ];
    for (const d of ds.devices) files.push({ path: `site/${devicePath(d.id)}index.html`, content: devicePage(ds, d) });
    for (const v of ds.vendors) files.push({ path: `site/vendors/${v.id}/index.html`, content: vendorPage(ds, v.id) });
    return files;
  },
};
