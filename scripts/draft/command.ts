// What `netneeds draft` (scripts/cli/draft.ts) does with its inputs: checks where it writes, reads them, collects
// the device's traffic, and reports what it kept, what it left out and why.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { statusLine } from '../lib/status-line.js';
import type { EvidenceType } from '../lib/source-types.js';
import type { DeviceFilter, Format, ReadStats } from './events.js';
import { detectFormat, formatByName, FORMATS } from './formats/index.js';
import { Collector, type DraftData } from './collect.js';
import { NamePrivacy } from './privacy.js';

// Packet captures say the most about a device, DNS logs the least: the evidence item takes the strongest type.
const TYPE_RANK: EvidenceType[] = ['packet-capture', 'firewall-log', 'dns-log'];

export interface DraftInput { path: string; format: Format; stats?: ReadStats }

export interface DraftRun { data: DraftData; inputs: DraftInput[]; evidenceType: EvidenceType }

/** Reads every input and collects what concerns the device. With a MAC, a first pass learns its addresses from DHCP and frames. */
export interface CollectOptions {
  format?: string;
  year?: number;
  exclude?: string[];
  /** The contributor's own dynamic-DNS names: never drafted, and their address is left out. */
  ddns?: string[];
  /** Told which input is being read and how far, for a progress line. */
  progress?: (input: number, bytesRead: number) => void;
}

export async function collectDraft(paths: string[], device: { ips: string[]; macs: string[] }, opts: CollectOptions = {}): Promise<DraftRun> {
  const inputs: DraftInput[] = paths.map((path) => {
    const format = opts.format ? formatByName(opts.format) : detectFormat(path);
    if (!format) throw new Error(opts.format ? `unknown format ${opts.format}; one of: ${FORMATS.map((f) => f.name).join(', ')}` : `${path}: format not recognised; pass --format (${FORMATS.map((f) => f.name).join(', ')})`);
    return { path, format };
  });
  const progressFor = (n: number) => (opts.progress ? { progress: (bytes: number) => opts.progress!(n, bytes) } : {});
  const ips = new Set(device.ips);
  if (device.macs.length > 0) {
    const learner = new Collector({ ips, macs: device.macs }, new Set(), true);
    const filter: DeviceFilter = { needles: null, ips: new Set(), macs: new Set() };
    for (const [n, input] of inputs.entries()) await input.format.read(input.path, learner, { filter, ...(opts.year ? { year: opts.year } : {}), ...progressFor(n) });
    for (const ip of learner.ips) ips.add(ip);
  }
  const collector = new Collector({ ips, macs: device.macs }, new Set(opts.exclude ?? []), false, new NamePrivacy(opts.ddns ?? []));
  // IPv6 text has several spellings, so an IPv6 device turns the cheap substring filter off.
  const needles = [...ips].some((ip) => ip.includes(':')) ? null : [...ips, ...device.macs];
  const filter: DeviceFilter = { needles: needles && needles.length > 0 ? needles : null, ips, macs: new Set(device.macs) };
  for (const [n, input] of inputs.entries()) input.stats = await input.format.read(input.path, collector, { filter, ...(opts.year ? { year: opts.year } : {}), ...progressFor(n) });
  const evidenceType = TYPE_RANK.find((t) => inputs.some((i) => i.format.evidenceType === t)) ?? 'packet-capture';
  return { data: await collector.result(inputs.every((i) => i.format.evidenceType === 'dns-log')), inputs, evidenceType };
}

/** What the evidence note says of an input: its format and size, never its file name (which may name the contributor). */
export function describeInput(input: DraftInput): string {
  const s = input.stats!;
  return `a ${input.format.name} input (${s.records} ${input.format.unit}${s.malformed ? `, ${s.malformed} malformed skipped` : ''})`;
}

/** The report printed to the contributor: what was read, what was written, what was left out and why. */
export function draftReport(run: DraftRun): string {
  const out: string[] = [];
  for (const input of run.inputs) {
    const s = input.stats!;
    out.push(`${input.path}: ${input.format.name}, ${s.records} ${input.format.unit}, ${(s.bytes / 1e6).toFixed(1)} MB`);
    const used = s.records - s.skipped - s.other - s.malformed;
    out.push(`  ${s.records} read = ${used} used + ${s.skipped} skipped unparsed (cannot concern the device) + ${s.other} of other kinds + ${s.malformed} malformed`);
    if (s.malformed) {
      out.push(`  ${s.malformed} malformed ${input.format.unit} counted and skipped:`);
      for (const ex of s.malformedExamples) out.push(`    ${ex.at}: ${ex.reason}`);
    }
    if (s.yearFrom) out.push(`  timestamps carry no year: it was taken from ${s.yearFrom}`);
  }
  const d = run.data;
  const l = d.leftOut;
  out.push(`device addresses: ${d.deviceAddresses.join(', ') || 'none found'}`);
  out.push(`drafted: ${d.endpoints.length} internet endpoint${d.endpoints.length === 1 ? '' : 's'}, ${d.local.length} local flow${d.local.length === 1 ? '' : 's'}`);
  const unnamed = d.endpoints.filter((e) => !e.host).length;
  if (unnamed) out.push(`  ${unnamed} endpoint${unnamed === 1 ? '' : 's'} kept as IP addresses: no DNS answer or TLS server name for them in the inputs (reverse DNS is never looked up)`);
  out.push('left out (privacy and scope):');
  out.push(`  the device's own addresses and every MAC address`);
  if (l.otherFlows) out.push(`  ${l.otherFlows} flows between ${l.otherHosts} other hosts`);
  if (l.lanPeers) out.push(`  ${l.lanPeers} LAN peer address${l.lanPeers === 1 ? '' : 'es'}, written as "lan"`);
  if (l.inboundInternet) out.push(`  ${l.inboundInternet} inbound ${l.inboundInternet === 1 ? 'event' : 'events'} opened from the internet (not destinations of the device)`);
  if (l.excluded) out.push(`  ${l.excluded} events to addresses given with --exclude`);
  for (const [range, n] of Object.entries(l.specialUse)) out.push(`  ${n} events to ${range} addresses`);
  if (l.otherClientAnswers) out.push(`  ${l.otherClientAnswers} DNS answers to other clients (not used for naming)`);
  if (l.invalidNames) out.push(`  ${l.invalidNames} names that are not valid host names`);
  for (const [reason, n] of Object.entries(l.privateNames)) out.push(`  ${n} name${n === 1 ? '' : 's'} left out as ${reason}${n === 1 ? '' : 's'}`.replace('your dynamic-DNS names', 'your dynamic-DNS name').replace('home domains', 'home-domain names'));
  if (l.ownAddress) out.push(`  ${l.ownAddress} events to the address of your dynamic-DNS name`);
  if (l.undeterminedOpener) out.push(`  ${l.undeterminedOpener} one-way flow records with both ports ephemeral: which side opened the connection cannot be told, so they are not drafted`);
  out.push('  the input file names (the evidence note names formats only)');
  if (d.dnsOnly && d.endpoints.length) out.push(`the inputs hold no flows (a DNS log alone): the ${d.endpoints.length} endpoints are names the device looked up, protocol and port unknown; a firewall log or capture tells them`);
  for (const n of d.aggregation) out.push(`aggregated: ${n}`);
  if (d.queriedOnly.length) out.push(`looked up without ${d.dnsOnly ? 'an address in the answer' : 'a flow in the inputs'}: ${d.queriedOnly.length} name${d.queriedOnly.length === 1 ? '' : 's'} (listed in notes: of a new file)`);
  return out.join('\n');
}

/** Where --into writes: checked before any input is read, so a typo costs nothing. */
export interface Target { path: string | null; existing: string | null; id: string; vendorFile: string }

export async function targetOf(into: string | undefined, devicesDir: string): Promise<Target | string> {
  const path = into ? resolve(into) : null;
  const rel = path ? relative(devicesDir, path).split('\\').join('/') : 'vendor/model.yaml';
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/.exec(rel);
  if (!m) return `--into must name devices/<vendor>/<model>.yaml with lower-case slugs (got ${into})`;
  let existing: string | null = null;
  if (path && existsSync(path)) {
    if (!statSync(path).isFile()) return `--into ${into} is not a file`;
    existing = readFileSync(path, 'utf8');
    const error = (await import('./device-file.js')).yamlError(existing);
    if (error !== null) return `${into}: the existing file is not valid YAML (${error}); fix it first, then draft into it`;
  }
  return { path, existing, id: `${m[1]}/${m[2]}`, vendorFile: resolve(devicesDir, m[1]!, '_vendor.yaml') };
}

/** The name in the vendor's _vendor.yaml (its id when the file has none), or null when that file does not exist yet. */
export async function vendorNameOf(target: Target): Promise<string | null> {
  if (!statSync(target.vendorFile, { throwIfNoEntry: false })?.isFile()) return null;
  return (await import('./device-file.js')).vendorFileName(target.vendorFile) ?? target.id.split('/')[0]!;
}

/** A progress line on stderr when it is a terminal: the input, how far, and how fast. */
export function progressLine(paths: string[]): { update: (input: number, bytes: number) => void; done: () => void } | null {
  const line = statusLine();
  if (!line) return null;
  const sizes = paths.map((p) => statSync(p).size);
  const start = Date.now();
  return {
    update(input, bytes) {
      const pct = sizes[input] ? Math.min(100, (100 * bytes) / sizes[input]!) : 100;
      const rate = bytes / 1e6 / Math.max(0.001, (Date.now() - start) / 1000);
      line.show(`reading ${basename(paths[input]!)} (${input + 1}/${paths.length}): ${pct.toFixed(0)} %, ${(bytes / 1e6).toFixed(0)} of ${(sizes[input]! / 1e6).toFixed(0)} MB, ${rate.toFixed(0)} MB/s`);
    },
    done: line.done,
  };
}

/** When nothing could be drafted: what the inputs showed, and exactly what to add or change. */
export function nothingToDraft(run: DraftRun, device: string[]): string {
  const d = run.data;
  const l = d.leftOut;
  const lines = [`nothing to draft: the inputs hold no internet destination or local flow of the device (${device.join(', ')}), so no file was written.`];
  if (l.inboundInternet) lines.push(`  they hold only ${l.inboundInternet} connections opened from the internet to the device, which are not destinations of the device`);
  if (l.undeterminedOpener) lines.push(`  ${l.undeterminedOpener} flow records had both ports ephemeral, so which side opened them cannot be told`);
  if (d.dnsOnly && d.queriedOnly.length) lines.push(`  the device looked up ${d.queriedOnly.length} names but no answer gave an internet address (blocked, spoofed or unanswered lookups): add a firewall log or a capture of the device`);
  else if (d.dnsOnly) lines.push('  the inputs hold no lookup by the device: check --device, or add a firewall log or a capture of the device');
  else if (l.otherFlows && !run.inputs.some((i) => (i.stats?.records ?? 0) - (i.stats?.skipped ?? 0) - (i.stats?.other ?? 0) - (i.stats?.malformed ?? 0) > 0)) lines.push(`  every flow read (${l.otherFlows}) is between other hosts: check --device (an address or MAC the device had in these inputs)`);
  else lines.push('  add a firewall log or a capture that shows the device\'s own traffic, or check --device');
  if (d.busiestOtherHosts.length) lines.push(`  the busiest addresses in the inputs: ${d.busiestOtherHosts.map((h) => `${h.address} (${h.events} event${h.events === 1 ? '' : 's'})`).join(', ')}`);
  return lines.join('\n');
}
