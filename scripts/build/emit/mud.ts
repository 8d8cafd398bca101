// One MUD file per device (RFC 8520): a MUD URL must resolve, so this is the one policy published as a file.
// Every other policy is generated on demand, by `netneeds policy` or by the site's policy builder.
import { plan } from '../../policy/plan.js';
import { mudFile, mudPath } from '../../policy/formats/mud.js';
import type { Emitter } from './emitter.js';

/** Keeps the vendor app and Home Assistant working; destinations of unknown need stay allowed. */
export const MUD_PROFILE = 'both';

export const mudEmitter: Emitter = {
  name: 'mud',
  device(device, { meta }, out) {
    const policy = plan({ meta, vendors: [], devices: [device] }, { devices: [{ id: device.id }], profile: MUD_PROFILE, unknown: 'allow' });
    // Compact JSON: the generator indents for reading, but 10,000 indented profiles would be a third of the published tree.
    out.write(mudPath(device.id, MUD_PROFILE), JSON.stringify(mudFile(policy, policy.devices[0]!)) + '\n');
  },
};
