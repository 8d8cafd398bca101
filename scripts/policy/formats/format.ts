import ipaddr from 'ipaddr.js';
import type { DevicePlan, Policy } from '../plan.js';
import { PolicyError, safeId } from '../plan.js';
import { oncePer } from '../../lib/memo.js';

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
const summaries = new WeakMap<Policy, Map<string, string>>();

/** The device lines as comments, once per policy and comment marker: every text file of a policy repeats them. */
function deviceComments(policy: Policy, comment: string): string {
  let byComment = summaries.get(policy);
  if (!byComment) { byComment = new Map(); summaries.set(policy, byComment); }
  let text = byComment.get(comment);
  if (text === undefined) {
    text = policy.devices.map((d) => `${comment} ${d.tag} = ${safeId(d.id)}, refused with ${d.refuse}, IPv6 ${d.ipv6 === 'open' ? 'by policy' : 'closed'}: ${d.counts.required} required, ${d.counts.setupOnly} setup-only, ${d.counts.unknownAllowed} unknown allowed, ${d.counts.unknownDenied} unknown refused, ${d.counts.wants} not required (refused)\n`).join('');
    byComment.set(comment, text);
  }
  return text;
}

export function header(policy: Policy, comment: string, usage: string[], devicesLine?: string): string {
  // One line per device: dnsmasq refuses configuration lines (comments included) longer than about 1000 bytes.
  // A list that names no device by tag may say which devices it covers in one line instead.
  const commented = (lines: string[]) => lines.map((l) => (l ? `${comment} ${l}\n` : `${comment}\n`)).join('');
  const settings = [
    'NetNeeds allow-list policy (generated; do not edit, regenerate instead)',
    `keeps working: ${policy.functions.join(' + ')}; destinations of unknown need: ${policy.unknown === 'allow' ? 'allowed' : 'refused'}; not-required verdicts acted on: ${policy.trust === 'tested' ? 'tested only' : policy.trust === 'documented' ? 'tested or documented' : 'tested, documented or community-listed'}`,
    `any-destination endpoints: ${policy.anyDestination === 'allow' ? 'allowed (never DNS, DoT or DoH)' : 'refused'}; mode: ${policy.mode === 'log' ? 'log only (refuses nothing; logs what enforce mode would refuse)' : 'enforce'}`,
  ];
  const devices = devicesLine === undefined ? deviceComments(policy, comment) : commented([devicesLine]);
  return commented(settings) + devices + commented(usage);
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

/** The log prefix of refusals in log-only mode; `netneeds draft` reads the lines that follow it. */
export const logPrefix = (d: DevicePlan) => `netneeds ${d.tag} refused: `;

/**
 * The last step of every guide: conversations opened before the rules were loaded keep flowing until their
 * conntrack entries go, so a test of the block would mislead.
 */
export const conntrackFlush = oncePer((policy: Policy): string[] => {
  const lines = ['Last, end the conversations the devices opened before these rules (they would keep flowing):'];
  for (const d of policy.devices) {
    const addresses = [...d.sources.v4, ...d.sources.v6];
    if (addresses.length === 0) lines.push(`  conntrack -D -s <address of ${d.tag}>; conntrack -D -d <address of ${d.tag}>`);
    for (const a of addresses) {
      const slash = a.indexOf('/');
      if (slash < 0) { lines.push(`  conntrack -D -s ${a}; conntrack -D -d ${a}`); continue; }
      const ip = a.slice(0, slash);
      const len = Number(a.slice(slash + 1));
      const mask = ip.includes(':') ? ipaddr.IPv6.subnetMaskFromPrefixLength(len).toRFC5952String() : ipaddr.IPv4.subnetMaskFromPrefixLength(len).toString();
      lines.push(`  conntrack -D -s ${ip} --mask-src ${mask}; conntrack -D -d ${ip} --mask-dst ${mask}`);
    }
  }
  return lines;
});
