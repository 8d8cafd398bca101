import { readFileSync } from 'node:fs';
import type { Rule } from '../rule.js';
import { ROOT } from '../../lib/project.js';
import { asArray, isRecord } from '../../lib/walk.js';

interface HaList { attribution: string; domains: Record<string, { name: string; iot_class?: string }> }
let list: HaList | null = null;
export function haIntegrations(): HaList {
  list ??= JSON.parse(readFileSync(ROOT + 'scripts/data/ha-integrations.json', 'utf8')) as HaList;
  return list;
}

/** New integrations appear monthly, so an unknown domain is a warning, never an error. */
export const haDomain: Rule = {
  name: 'ha-domain',
  description: 'Home Assistant integration domains are known to Home Assistant (warning; the list is a snapshot).',
  appliesTo: ['device'],
  check({ data, report }) {
    const ha = data['home-assistant'];
    if (!isRecord(ha)) return;
    const { domains } = haIntegrations();
    asArray(ha.integrations).forEach((domain, i) => {
      if (typeof domain === 'string' && !Object.hasOwn(domains, domain)) {
        const shared = (d: string) => { let n = 0; while (n < d.length && d[n] === domain[n]) n++; return n; };
        const near = Object.keys(domains).filter((d) => d.startsWith(domain.slice(0, 4))).sort((a, b) => shared(b) - shared(a)).slice(0, 3);
        report(['home-assistant', 'integrations', i], `"${domain}" is not a Home Assistant integration domain in the bundled list`, {
          severity: 'warning',
          hint: near.length ? `did you mean ${near.join(', ')}? (a brand-new integration is fine; the list is a snapshot)` : 'use the domain from the integration\'s URL, e.g. xiaomi_miio',
        });
      }
    });
  },
};
