// Household DNS blocklists: every device's blockable names for each profile, for Pi-hole and AdGuard Home to subscribe to.
import { plan, PROFILES, type Policy } from '../../policy/plan.js';
import { renderBlocklists, type Blocklist } from '../../policy/formats/blocklists.js';
import type { Emitter } from './emitter.js';

export const blocklistPath = (profile: string, name: string) => `blocklists/all/${profile}.${name.replace(/^blocklist\./, '')}`;

/**
 * The same list as the generator's blocklist(): every want, less those that would block an allowed name (the name
 * itself or one below it). Here in linear time, from the set of allowed names and their parents, because this list
 * spans every device. TODO(issue 10): use blocklist() once it is linear itself.
 */
export function householdBlocklist(policy: Policy): Blocklist {
  const covered = new Set<string>();
  for (const d of policy.devices) {
    for (const a of d.allow) {
      for (const name of [...a.to.hosts, ...a.to.domains]) {
        for (let at = 0; at >= 0; at = name.indexOf('.', at) + 1 || -1) {
          const suffix = name.slice(at);
          if (covered.has(suffix)) break;
          covered.add(suffix);
        }
      }
    }
  }
  const keep = (names: string[]) => [...new Set(names)].sort().filter((n) => !covered.has(n));
  return { hosts: keep(policy.devices.flatMap((d) => d.wants.hosts)), domains: keep(policy.devices.flatMap((d) => d.wants.domains)) };
}

export const blocklistsEmitter: Emitter = {
  name: 'blocklists',
  dataset(dataset, out) {
    if (!dataset.devices.length) return;
    for (const profile of PROFILES) {
      const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
      for (const f of renderBlocklists(all, householdBlocklist(all))) out.write(blocklistPath(profile, f.name), f.content);
    }
  },
};
