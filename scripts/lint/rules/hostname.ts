import type { Rule } from '../rule.js';
import { checkHostname } from '../../lib/net.js';
import { endpointsOf, haCallsOf } from '../../lib/walk.js';

/** Hostnames reach firewall rules and DNS configs verbatim, so only strict DNS names pass. */
export const hostname: Rule = {
  name: 'hostname',
  description: 'Hosts are valid lower-case DNS names (IDNA A-labels, label ≤ 63, name ≤ 253), with *. only as the leftmost label.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    for (const { value: e, path } of [...endpointsOf(data), ...haCallsOf(data)]) {
      if (typeof e.host !== 'string') continue;
      const finding = checkHostname(e.host);
      if (finding) report([...path, 'host'], finding.message, finding.hint ? { hint: finding.hint } : {});
    }
  },
};
