import { SITE_URL } from '../../lib/project.js';
import type { Device } from '../types.js';
import type { Emitter } from './emitter.js';
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
  device(d, { meta }, out) {
    // The API is compact JSON (one file per device adds up to a third of the published tree at 10,000 devices);
    // only index.json, the entry point people read, is indented.
    out.write(deviceApiPath(d.id), json({ meta, device: d }, 0));
    // A renamed device keeps answering at its old id, pointing at the new one.
    for (const alias of d.aliases) out.write(deviceApiPath(alias), json({ meta, aliasOf: d.id, device: d }, 0));
  },
  dataset(dataset, out) {
    for (const v of dataset.vendors) out.write(`${API_BASE}/vendors/${v.id}.json`, json({ meta: dataset.meta, vendor: v }, 0));
    out.write(`${API_BASE}/devices.json`, json({ meta: dataset.meta, devices: dataset.devices.map(summary) }, 0));
    out.write(`${API_BASE}/index.json`, json({
      meta: dataset.meta,
      links: {
        devices: `${SITE_URL}/${API_BASE}/devices.json`,
        device: `${SITE_URL}/${API_BASE}/devices/{vendor}/{model}.json`,
        vendor: `${SITE_URL}/${API_BASE}/vendors/{vendor}.json`,
        bundle: `${SITE_URL}/netneeds.json`,
        csv: `${SITE_URL}/netneeds.csv`,
        schema: `${SITE_URL}/schema/bundle.schema.json`,
      },
    }));
  },
};
