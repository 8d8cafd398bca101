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
      for (const f of renderBlocklists(all)) out.write(blocklistPath(profile, f.name), f.content);
    }
  },
};
