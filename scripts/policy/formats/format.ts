import ipaddr from 'ipaddr.js';
import type { DevicePlan, Policy } from '../plan.js';
import { allowedNames, PolicyError, safeId } from '../plan.js';
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

/** Lines as comments, each ending in a newline; an empty line is the comment marker alone. */
export function commentLines(comment: string, lines: string[]): string {
  const out = new Lines();
  for (const l of lines) out.add(l ? `${comment} ${l}` : comment);
  return out.text();
}

export function header(policy: Policy, comment: string, usage: string[], devicesLine?: string): string {
  // One line per device: dnsmasq refuses configuration lines (comments included) longer than about 1000 bytes.
  // A list that names no device by tag may say which devices it covers in one line instead.
  const commented = (lines: string[]) => commentLines(comment, lines);
  const settings = [
    'NetNeeds allow-list policy (generated; do not edit, regenerate instead)',
    `keeps working: ${policy.functions.join(' + ')}; destinations of unknown need: ${policy.unknown === 'allow' ? 'allowed' : 'refused'}; not-required verdicts acted on: ${policy.trust === 'tested' ? 'tested only' : policy.trust === 'documented' ? 'tested or documented' : 'tested, documented or community-listed'}`,
    `any-destination endpoints: ${policy.anyDestination === 'allow' ? 'allowed (never DNS, DoT or DoH)' : 'refused'}; mode: ${policy.mode === 'log' ? 'log only (refuses nothing; logs what enforce mode would refuse)' : 'enforce'}`,
  ];
  const devices = devicesLine === undefined ? deviceComments(policy, comment) : commented([devicesLine]);
  return commented(settings) + devices + commented(usage);
}

/**
 * Text written line by line, each line ending in a newline. A policy of 10,000 devices writes files of hundreds of
 * thousands of lines: kept apart until the end, every line would outlive young-generation collections and be copied
 * by each; joined as they come into chunks large enough for V8 to allocate outside the young generation (over 128 KiB),
 * they die young, and the chunks are never copied.
 */
export class Lines {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private pendingSize = 0;
  /** Lines written so far. */
  count = 0;

  add(line: string): void {
    this.pending.push(line);
    this.count++;
    this.pendingSize += line.length + 1;
    if (this.pendingSize > CHUNK_SIZE) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.pending.push('');
    this.chunks.push(this.pending.join('\n'));
    this.pending = [];
    this.pendingSize = 0;
  }

  /** Everything written, each line followed by a newline. */
  text(): string {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
  }
}

const CHUNK_SIZE = 160 * 1024;

export const portList = (ports: { from: number; to: number }[], rangeSep = '-') =>
  ports.map((r) => (r.from === r.to ? String(r.from) : `${r.from}${rangeSep}${r.to}`));

/** dnsmasq reads configuration lines of at most 1024 bytes, and only the first line for a name counts. */
function dnsmasqLine(line: string): string {
  if (line.length > 1024) {
    throw new PolicyError(`a dnsmasq line for ${line.split('/')[1]} would be ${line.length} bytes (dnsmasq reads 1024): too many devices share this name; generate fewer devices per policy`);
  }
  return line;
}

/**
 * The dnsmasq lines that put the addresses of every allowed name into its sets (`<option>=/<name>/<set>,<set>`), the
 * sets of its carriers sorted. `setsOf` gives the sets of one name.
 */
export function dnsmasqSetLines(policy: Policy, option: string, setsOf: (name: string) => string[]): string {
  const out = new Lines();
  for (const { name, carriers } of allowedNames(policy)) {
    let sets = setsOf(name);
    if (carriers.length > 1) sets = [...new Set(carriers.flatMap(setsOf))];
    if (sets.length > 1) sets = sets.length === 2 ? (sets[0]! < sets[1]! ? sets : sets[0] === sets[1] ? [sets[0]!] : [sets[1]!, sets[0]!]) : [...new Set(sets)].sort();
    out.add(dnsmasqLine(`${option}=/${name}/${sets.join(',')}`));
  }
  return out.text();
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
