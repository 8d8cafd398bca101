// Household DNS blocklists: every device's blockable names for each profile, for Pi-hole and AdGuard Home to subscribe to.
import { plan, PROFILES } from '../../policy/plan.js';
import { renderBlocklists } from '../../policy/formats/blocklists.js';
import type { Emitter } from './emitter.js';

export const blocklistPath = (profile: string, name: string) => `blocklists/all/${profile}.${name.replace(/^blocklist\./, '')}`;

export const blocklistsEmitter: Emitter = {
  name: 'blocklists',
  dataset(dataset, out) {
    if (!dataset.devices.length) return;
    for (const profile of PROFILES) {
      const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
      // The generator's own list: linear in the number of names, and never blocking shared infrastructure.
      // One header line for the whole dataset: a line per device would be most of each list at scale (each
      // device's verdicts are in the API); the Pi-hole groups keep theirs, since their names are the devices' tags.
      const covers = `devices: all ${dataset.devices.length} of dataset ${dataset.meta.datasetVersion} (each device's verdicts: api/v1/devices/<vendor>/<model>.json)`;
      for (const f of renderBlocklists(all, undefined, covers)) out.write(blocklistPath(profile, f.name), f.content);
    }
  },
};
