import { SITE_URL } from '../../lib/project.js';
import type { Device } from '../types.js';
import type { Emitter, OutputFile } from './emitter.js';
import { json } from './emitter.js';

export const API_BASE = 'api/v1';
export const deviceApiPath = (id: string) => `${API_BASE}/devices/${id}.json`;

function summary(d: Device) {
  return {
    id: d.id, name: d.name, vendor: d.vendor, category: d.category, models: d.models, aliases: d.aliases,
    worksWithHaOffline: d.derived.worksWithHaOffline, vendorAppNeedsCloud: d.derived.vendorAppNeedsCloud,
    endpoints: d.derived.counts.endpoints, confidence: d.derived.evidence.confidence, newestEvidence: d.derived.evidence.newest ?? null,
    url: `${SITE_URL}/${deviceApiPath(d.id)}`,
  };
}

/** A static per-device API in the manner of endoflife.date: one JSON file per device, plus indexes. */
export const apiEmitter: Emitter = {
  name: 'api',
  emit(dataset) {
    const files: OutputFile[] = [];
    for (const d of dataset.devices) {
      files.push({ path: deviceApiPath(d.id), content: json({ meta: dataset.meta, device: d }) });
      // A renamed device keeps answering at its old id, pointing at the new one.
      for (const alias of d.aliases) files.push({ path: deviceApiPath(alias), content: json({ meta: dataset.meta, aliasOf: d.id, device: d }) });
    }
    for (const v of dataset.vendors) {
      files.push({ path: `${API_BASE}/vendors/${v.id}.json`, content: json({ meta: dataset.meta, vendor: v }) });
    }
    files.push({ path: `${API_BASE}/devices.json`, content: json({ meta: dataset.meta, devices: dataset.devices.map(summary) }) });
    files.push({
      path: `${API_BASE}/index.json`,
      content: json({
        meta: dataset.meta,
        links: {
          devices: `${SITE_URL}/${API_BASE}/devices.json`,
          device: `${SITE_URL}/${API_BASE}/devices/{vendor}/{model}.json`,
          vendor: `${SITE_URL}/${API_BASE}/vendors/{vendor}.json`,
          bundle: `${SITE_URL}/netneeds.json`,
          csv: `${SITE_URL}/netneeds.csv`,
          schema: `${SITE_URL}/schema/bundle.schema.json`,
        },
      }),
    });
    return files;
  },
};
