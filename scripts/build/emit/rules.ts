// Ready-made policy files for every device and profile (unknown destinations allowed, refusal as the data
// advises, addresses left for the user to add), plus blocklists across all devices per profile.
import type { Dataset, Device } from '../types.js';
import type { Emitter, OutputFile } from './emitter.js';
import { plan, PROFILES, type Profile } from '../../policy/plan.js';
import { FORMATS } from '../../policy/formats/index.js';
import { mudPath } from '../../policy/formats/mud.js';
import { renderBlocklists } from '../../policy/formats/blocklists.js';

/** Where each format's files go: rules/, blocklists/ and mud/ mirror the device ids. */
export function publishedPath(id: string, profile: Profile, format: string, name: string): string {
  if (format === 'mud') return mudPath(id, profile);
  if (format === 'blocklist') return `blocklists/${id}/${profile}.${name.replace(/^blocklist\./, '')}`;
  return `rules/${id}/${profile}.${name}`;
}

export function deviceFiles(dataset: Dataset, device: Device, profile: Profile): OutputFile[] {
  const policy = plan(dataset, { devices: [{ id: device.id }], profile, unknown: 'allow' });
  return FORMATS.flatMap((f) => f.render(policy).map((file) => ({ path: publishedPath(device.id, profile, f.name, file.name), content: file.content })));
}

export const rulesEmitter: Emitter = {
  name: 'rules',
  emit(dataset) {
    const files: OutputFile[] = [];
    for (const profile of PROFILES) {
      for (const device of dataset.devices) files.push(...deviceFiles(dataset, device, profile));
      if (dataset.devices.length) {
        const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
        for (const f of renderBlocklists(all)) files.push({ path: `blocklists/all/${profile}.${f.name.replace(/^blocklist\./, '')}`, content: f.content });
      }
    }
    return files;
  },
};
