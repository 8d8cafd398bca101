// What `netneeds draft` (scripts/cli/draft.ts) does with its inputs: reads them, collects the device's traffic, reports.
import { basename } from 'node:path';
import type { EvidenceType } from '../lib/source-types.js';
import type { DeviceFilter, Format, ReadStats } from './events.js';
import { detectFormat, formatByName, FORMATS } from './formats/index.js';
import { Collector, type DraftData } from './collect.js';

// Packet captures say the most about a device, DNS logs the least: the evidence item takes the strongest type.
const TYPE_RANK: EvidenceType[] = ['packet-capture', 'firewall-log', 'dns-log'];

export interface DraftInput { path: string; format: Format; stats?: ReadStats }

export interface DraftRun { data: DraftData; inputs: DraftInput[]; evidenceType: EvidenceType }

/** Reads every input and collects what concerns the device. With a MAC, a first pass learns its addresses from DHCP and frames. */
export async function collectDraft(paths: string[], device: { ips: string[]; macs: string[] }, opts: { format?: string; year?: number; exclude?: string[] } = {}): Promise<DraftRun> {
  const inputs: DraftInput[] = paths.map((path) => {
    const format = opts.format ? formatByName(opts.format) : detectFormat(path);
    if (!format) throw new Error(opts.format ? `unknown format ${opts.format}; one of: ${FORMATS.map((f) => f.name).join(', ')}` : `${path}: format not recognised; pass --format (${FORMATS.map((f) => f.name).join(', ')})`);
    return { path, format };
  });
  const ips = new Set(device.ips);
  if (device.macs.length > 0) {
    const learner = new Collector({ ips, macs: device.macs }, new Set(), true);
    const filter: DeviceFilter = { needles: null, ips: new Set(), macs: new Set() };
    for (const input of inputs) await input.format.read(input.path, learner, { filter, ...(opts.year ? { year: opts.year } : {}) });
    for (const ip of learner.ips) ips.add(ip);
  }
  const collector = new Collector({ ips, macs: device.macs }, new Set(opts.exclude ?? []));
  // IPv6 text has several spellings, so an IPv6 device turns the cheap substring filter off.
  const needles = [...ips].some((ip) => ip.includes(':')) ? null : [...ips, ...device.macs];
  const filter: DeviceFilter = { needles: needles && needles.length > 0 ? needles : null, ips, macs: new Set(device.macs) };
  for (const input of inputs) input.stats = await input.format.read(input.path, collector, { filter, ...(opts.year ? { year: opts.year } : {}) });
  const evidenceType = TYPE_RANK.find((t) => inputs.some((i) => i.format.evidenceType === t)) ?? 'packet-capture';
  return { data: collector.result(), inputs, evidenceType };
}

export function describeInput(input: DraftInput): string {
  const s = input.stats!;
  return `${basename(input.path)} (${input.format.name}, ${s.records} ${input.format.unit} read${s.malformed ? `, ${s.malformed} malformed skipped` : ''})`;
}

/** The report printed to the contributor: what was read, what was written, what was left out and why. */
export function draftReport(run: DraftRun): string {
  const out: string[] = [];
  for (const input of run.inputs) {
    const s = input.stats!;
    out.push(`${input.path}: ${input.format.name}, ${s.records} ${input.format.unit}, ${(s.bytes / 1e6).toFixed(1)} MB`);
    if (s.skipped) out.push(`  ${s.skipped} ${input.format.unit} not mentioning the device skipped unparsed`);
    if (s.other) out.push(`  ${s.other} ${input.format.unit} of other kinds ignored`);
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
  if (d.queriedOnly.length) out.push(`looked up without a flow in the inputs: ${d.queriedOnly.length} name${d.queriedOnly.length === 1 ? '' : 's'} (listed in notes: of a new file)`);
  return out.join('\n');
}
