// Every device × profile × format, at the paths the build once published them under (rules/, blocklists/, mud/),
// plus the all-device blocklists: what the checker tests run the real tools on. The site no longer publishes them.
import type { OutputFile } from '../../scripts/build/emit/emitter.js';
import type { Dataset } from '../../scripts/build/types.js';
import { renderBlocklists } from '../../scripts/policy/formats/blocklists.js';
import { FORMATS } from '../../scripts/policy/formats/index.js';
import { mudPath } from '../../scripts/policy/formats/mud.js';
import { plan, PROFILES, type Profile } from '../../scripts/policy/plan.js';

function path(id: string, profile: Profile, format: string, name: string): string {
  if (format === 'mud') return mudPath(id, profile);
  if (format === 'blocklist') return `blocklists/${id}/${profile}.${name.replace(/^blocklist\./, '')}`;
  return `rules/${id}/${profile}.${name}`;
}

export function everyPolicyFile(dataset: Dataset): OutputFile[] {
  const files: OutputFile[] = [];
  for (const profile of PROFILES) {
    for (const device of dataset.devices) {
      const policy = plan(dataset, { devices: [{ id: device.id }], profile, unknown: 'allow' });
      for (const f of FORMATS) for (const file of f.render(policy)) files.push({ path: path(device.id, profile, f.name, file.name), content: file.content });
    }
    if (dataset.devices.length) {
      const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
      for (const f of renderBlocklists(all)) files.push({ path: `blocklists/all/${profile}.${f.name.replace(/^blocklist\./, '')}`, content: f.content });
    }
  }
  return files;
}
