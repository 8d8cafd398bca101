import type { Rule } from '../rule.js';
import { isFinding, parseAddress } from '../../lib/net.js';
import { endpointsOf, localFlowsOf } from '../../lib/walk.js';

/** One spelling per address, so that diffs, dedupe and rule output are stable. */
export const ipCanonical: Rule = {
  name: 'ip-canonical',
  description: 'IP literals and CIDR blocks are valid and canonical (RFC 5952 for IPv6), with no host bits set.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    const check = (value: unknown, path: (string | number)[]) => {
      if (typeof value !== 'string') return;
      const parsed = parseAddress(value);
      if (isFinding(parsed)) report(path, parsed.message, parsed.hint ? { hint: parsed.hint } : {});
    };
    for (const { value: e, path } of endpointsOf(data)) check(e.address, [...path, 'address']);
    for (const { value: f, path } of localFlowsOf(data)) check(f.group, [...path, 'group']);
  },
};
