import type { Rule } from '../rule.js';
import { parsePortItem } from '../../lib/net.js';
import { asArray, portCarriersOf } from '../../lib/walk.js';

/** Well-known services and where they live; a mismatch is usually a typo, sometimes a real oddity (hence a warning). */
export const WELL_KNOWN: Record<string, { protocols: string[]; ports: number[] }> = {
  ntp: { protocols: ['udp'], ports: [123] },
  dns: { protocols: ['udp', 'tcp', 'tcp+udp'], ports: [53] },
  https: { protocols: ['tcp', 'udp', 'tcp+udp'], ports: [443] },
  http: { protocols: ['tcp'], ports: [80] },
  mqtt: { protocols: ['tcp'], ports: [1883] },
  mqtts: { protocols: ['tcp'], ports: [8883] },
  mdns: { protocols: ['udp'], ports: [5353] },
  ssdp: { protocols: ['udp'], ports: [1900] },
  stun: { protocols: ['udp', 'tcp', 'tcp+udp'], ports: [3478, 19302] },
  miio: { protocols: ['udp'], ports: [54321] },
  coap: { protocols: ['udp'], ports: [5683] },
  xmpp: { protocols: ['tcp'], ports: [5222, 5223] },
  dhcp: { protocols: ['udp'], ports: [67, 68] },
};

export const portService: Rule = {
  name: 'port-service',
  description: 'Well-known services use their usual protocol and port (NTP on UDP 123, DNS on 53, ...); a mismatch is a warning.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of portCarriersOf(data)) {
      const known = typeof e.service === 'string' ? WELL_KNOWN[e.service] : undefined;
      if (!known) continue;
      if (typeof e.protocol === 'string' && e.protocol !== 'unknown' && !known.protocols.includes(e.protocol)) {
        report([...path, 'protocol'], `${e.service} normally runs over ${known.protocols.join(' or ')}, not ${e.protocol}`, {
          severity: 'warning', hint: 'check the log; if the device really does this, say so in note:',
        });
        continue;
      }
      const ports = asArray(e.ports).map(parsePortItem).filter((r) => r !== null);
      if (ports.some((r) => r.from < 1 || r.to > 65535 || r.from > r.to)) continue; // port-range owns that mistake
      if (ports.length > 0 && !ports.some((r) => known.ports.some((p) => r.from <= p && p <= r.to))) {
        report([...path, 'ports'], `${e.service} normally uses port ${known.ports.join(' or ')}`, {
          severity: 'warning', hint: 'check the service name; an unusual port deserves a note:',
        });
      }
    }
  },
};
