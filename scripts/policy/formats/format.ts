import type { Policy } from '../plan.js';
import { safeId } from '../plan.js';

/** One generated file; `name` is a suffix the caller puts after its own base name (`<base>.<name>`). */
export interface PolicyFile { name: string; content: string }

export interface Format {
  name: string;
  summary: string;
  render(policy: Policy): PolicyFile[];
}

/**
 * The comment block every text format starts with. Only fixed words, enum values, counts and sanitized ids go in:
 * device names and notes never reach a comment, where a line break would end it.
 */
export function header(policy: Policy, comment: string, usage: string[]): string {
  const lines = [
    'NetNeeds allow-list policy (generated; do not edit, regenerate instead)',
    `devices: ${policy.devices.map((d) => `${safeId(d.id)} (${d.tag}, ${d.refuse})`).join(', ')}`,
    `keeps working: ${policy.functions.join(' + ')}; destinations of unknown need: ${policy.unknown === 'allow' ? 'allowed' : 'refused'}`,
    ...policy.devices.map((d) => `${d.tag}: ${d.counts.required} required, ${d.counts.setupOnly} setup-only, ${d.counts.unknownAllowed} unknown allowed, ${d.counts.unknownDenied} unknown refused, ${d.counts.wants} not required (refused)`),
    ...usage,
  ];
  return lines.map((l) => (l ? `${comment} ${l}` : comment)).join('\n') + '\n';
}

export const portList = (ports: { from: number; to: number }[], rangeSep = '-') =>
  ports.map((r) => (r.from === r.to ? String(r.from) : `${r.from}${rangeSep}${r.to}`));
