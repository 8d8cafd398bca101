// `netneeds draft <log-or-capture>… --device <ip|mac> [--into devices/<vendor>/<model>.yaml] [--source <url>]`
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { enumOf } from '../lib/schemas.js';
import type { EvidenceType } from '../lib/source-types.js';
import { normalizeIp, normalizeMac, type DeviceFilter, type Format, type ReadStats } from './events.js';
import { detectFormat, formatByName, FORMATS } from './formats/index.js';
import { Collector, type DraftData } from './collect.js';
import { SOURCE_PLACEHOLDER, writeDraft } from './write.js';
import { dayOf } from './time.js';

export const DRAFT_USAGE = `usage: netneeds draft <log-or-capture>… --device <ip|mac> [--device …]
  [--into devices/<vendor>/<model>.yaml] [--source <public url of the log>] [--format ${FORMATS.map((f) => f.name).join('|')}]
  [--name "Vendor Model"] [--category <category>] [--model <model number>] [--year <yyyy>] [--exclude <ip>]…
  [--evidence-id <slug>] [--title <text>] [--firmware <version>] [--region <text>]`;

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

function describeInput(input: DraftInput): string {
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

export async function runDraft(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: {
        device: { type: 'string', multiple: true }, into: { type: 'string' }, source: { type: 'string' }, format: { type: 'string' },
        name: { type: 'string' }, category: { type: 'string' }, model: { type: 'string', multiple: true }, year: { type: 'string' },
        exclude: { type: 'string', multiple: true }, 'evidence-id': { type: 'string' }, title: { type: 'string' }, firmware: { type: 'string' },
        region: { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${DRAFT_USAGE}\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) { process.stdout.write(DRAFT_USAGE + '\n'); return 0; }
  const fail = (message: string) => { process.stderr.write(`draft: ${message}\n`); return 2; };
  if (parsed.positionals.length === 0 || !v.device?.length) return fail(`give at least one input and --device\n${DRAFT_USAGE}`);
  const ips: string[] = [];
  const macs: string[] = [];
  for (const d of v.device) {
    const ip = normalizeIp(d);
    const mac = ip ? null : normalizeMac(d);
    if (ip) ips.push(ip); else if (mac) macs.push(mac); else return fail(`--device ${d} is neither an IP address nor a MAC address`);
  }
  const exclude: string[] = [];
  for (const x of v.exclude ?? []) { const ip = normalizeIp(x); if (!ip) return fail(`--exclude ${x} is not an IP address`); exclude.push(ip); }
  if (v.source !== undefined && !/^https:\/\/[^\s/]+\.[^\s/]+/.test(v.source)) return fail(`--source must be an https URL a reader can open, such as a gist or a forum post with the log`);
  const categories = enumOf('device.schema.json', 'properties/category');
  if (v.category && !categories.includes(v.category)) return fail(`--category ${v.category} is not one of: ${categories.join(', ')}`);
  for (const p of parsed.positionals) if (!existsSync(p) || !statSync(p).isFile()) return fail(`${p}: no such file`);
  const year = v.year ? Number(v.year) : undefined;
  if (year !== undefined && !(Number.isInteger(year) && year > 1990 && year < 3000)) return fail(`--year ${v.year} is not a year`);

  let run: DraftRun;
  try {
    run = await collectDraft(parsed.positionals, { ips, macs }, { ...(v.format ? { format: v.format } : {}), ...(year ? { year } : {}), exclude });
  } catch (e) {
    return fail((e as Error).message);
  }
  const info = {
    type: run.evidenceType,
    ...(v.source ? { source: v.source } : {}),
    ...(v['evidence-id'] ? { id: v['evidence-id'] } : {}),
    ...(v.title ? { title: v.title } : {}),
    ...(v.firmware ? { firmware: v.firmware } : {}),
    ...(v.region ? { region: v.region } : {}),
    inputs: run.inputs.map(describeInput),
    fallbackDate: dayOf(Math.max(...parsed.positionals.map((p) => statSync(p).mtimeMs))),
  };
  const devicesDir = resolve(process.env.NETNEEDS_DEVICES ?? 'devices');
  const target = v.into ? resolve(v.into) : null;
  let outcome;
  const isNew = !(target && existsSync(target));
  try {
    if (!isNew) outcome = writeDraft(run.data, info, { existing: readFileSync(target, 'utf8') });
    else {
      const rel = target ? relative(devicesDir, target).split('\\').join('/') : 'vendor/model.yaml';
      const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/.exec(rel);
      if (!m) return fail(`--into must name devices/<vendor>/<model>.yaml with lower-case slugs (got ${v.into})`);
      const vendorFile = resolve(devicesDir, m[1]!, '_vendor.yaml');
      const vendorName = existsSync(vendorFile) ? String((parseDocument(readFileSync(vendorFile, 'utf8')).toJS() as { name?: unknown } | null)?.name ?? m[1]) : m[1]!;
      if (target && !existsSync(vendorFile)) process.stderr.write(`note: ${relative(process.cwd(), vendorFile)} does not exist yet; npm run new -- --vendor ${m[1]} … creates it\n`);
      outcome = writeDraft(run.data, info, { device: { id: `${m[1]}/${m[2]}`, name: v.name ?? `${vendorName} ${m[2]!.toUpperCase()}`, category: v.category ?? 'other', ...(v.model?.length ? { models: v.model } : {}) } });
    }
  } catch (e) {
    return fail(`${v.into}: ${(e as Error).message}`);
  }
  process.stderr.write(draftReport(run) + '\n');
  if (target) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outcome.text);
    process.stderr.write(`wrote ${relative(process.cwd(), target)}: ${outcome.added.endpoints} endpoints and ${outcome.added.local} local flows added, ${outcome.matched.endpoints + outcome.matched.local} already there (evidence "${outcome.evidenceId}"${outcome.evidenceReused ? ', reused' : ''})\n`);
  } else process.stdout.write(outcome.text);
  if (!v.source) process.stderr.write(`the evidence source is a placeholder (${SOURCE_PLACEHOLDER}): publish the log or capture (a gist, a forum post) and pass --source <url>, or edit source: by hand; validation fails until then\n`);
  if (!v.category && isNew) process.stderr.write(`category is "other": pass --category (${categories.slice(0, 6).join(', ')}, …)\n`);
  process.stderr.write('next: fill in what you tested (needs:, party:, purpose:), then npm run validate\n');
  return 0;
}
