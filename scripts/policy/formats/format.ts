import type { Policy } from '../plan.js';
import { PolicyError, safeId } from '../plan.js';

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
  // One line per device: dnsmasq refuses configuration lines (comments included) longer than about 1000 bytes.
  const lines = [
    'NetNeeds allow-list policy (generated; do not edit, regenerate instead)',
    `keeps working: ${policy.functions.join(' + ')}; destinations of unknown need: ${policy.unknown === 'allow' ? 'allowed' : 'refused'}`,
    ...policy.devices.map((d) => `${d.tag} = ${safeId(d.id)}, refused with ${d.refuse}: ${d.counts.required} required, ${d.counts.setupOnly} setup-only, ${d.counts.unknownAllowed} unknown allowed, ${d.counts.unknownDenied} unknown refused, ${d.counts.wants} not required (refused)`),
    ...usage,
  ];
  return lines.map((l) => (l ? `${comment} ${l}` : comment)).join('\n') + '\n';
}

export const portList = (ports: { from: number; to: number }[], rangeSep = '-') =>
  ports.map((r) => (r.from === r.to ? String(r.from) : `${r.from}${rangeSep}${r.to}`));

/** dnsmasq reads configuration lines of at most 1024 bytes, and only the first line for a name counts. */
export function dnsmasqLine(line: string): string {
  if (line.length > 1024) {
    throw new PolicyError(`a dnsmasq line for ${line.split('/')[1]} would be ${line.length} bytes (dnsmasq reads 1024): too many devices share this name; generate fewer devices per policy`);
  }
  return line + '\n';
}
