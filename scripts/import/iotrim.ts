// Imports the IoTrim list (Mandalari et al., "Blocking Without Breaking", PoPETs 2021(4)): each row is a
// destination whose blocking left the device's main function working, so a not-required verdict for the
// vendor app. The list names no protocol or port, and Home Assistant was not tested.
// Usage: npx tsx scripts/import/iotrim.ts [<iotrim.tsv>] [--only vendor,vendor]
import { broadWildcard } from '../lint/rules/broad-destination.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHostname, isFinding, parseAddress, specialRange } from '../lib/net.js';
import type { SourceEndpoint, SourceEvidence } from '../lib/source-types.js';
import { onlyVendors, vendorOf } from './vendors.js';
import { writeDevice, type NewDevice } from './write.js';

export const IOTRIM_EVIDENCE_ID = 'iotrim-2021';
export const IOTRIM_LIST = 'https://github.com/IoTrim/iotrimlist/blob/feb5938e/iotrim';

/** IoTrim device label → device. Existing files are used only where they describe the same product without a narrower model. */
export const IOTRIM_DEVICES: Record<string, Omit<NewDevice, 'notes'> & { notes?: string }> = {
  'allure-speaker': { id: 'harman-kardon/allure', name: 'Harman Kardon Allure speaker (IoTrim "allure-speaker")', category: 'speaker',
    notes: 'IoTrim names this device only "allure-speaker"; Harman Kardon Allure is the Alexa speaker of that name. IoTrim counts api.amazon.com as a support party for it, not a first party.' },
  'bosiwo-camera-wired': { id: 'bosiwo/camera-wired', name: 'Bosiwo wired camera (IoTrim "bosiwo-camera-wired")', category: 'camera' },
  echodot: { id: 'amazon/echo-dot', name: 'Amazon Echo Dot', category: 'speaker' },
  firetv: { id: 'amazon/fire-tv', name: 'Amazon Fire TV', category: 'media-player' },
  'google-home': { id: 'google/home', name: 'Google Home (IoTrim "google-home"; model not stated)', category: 'speaker' },
  'icsee-doorbell': { id: 'icsee/doorbell', name: 'ICSee doorbell (IoTrim "icsee-doorbell")', category: 'doorbell' },
  'nest-tstat': { id: 'nest/thermostat', name: 'Nest thermostat (IoTrim "nest-tstat"; model not stated)', category: 'thermostat' },
  'philips-hub': { id: 'philips/hue-bridge', name: 'Philips Hue Bridge', category: 'bridge' },
  'reolink-cam-wired': { id: 'reolink/camera-wired', name: 'Reolink wired camera (IoTrim "reolink-cam-wired")', category: 'camera' },
  'roku-tv': { id: 'roku/roku-tv', name: 'Roku TV', category: 'tv' },
  'smartthings-hub': { id: 'samsung/smartthings-hub', name: 'Samsung SmartThings hub (IoTrim "smartthings-hub"; generation not stated)', category: 'hub' },
  'tplink-bulb': { id: 'tp-link/smart-bulb', name: 'TP-Link smart bulb (IoTrim "tplink-bulb"; model not stated)', category: 'bulb' },
  'tplink-plug2': { id: 'tp-link/smart-plug', name: 'TP-Link smart plug (IoTrim "tplink-plug2"; model not stated)', category: 'plug' },
  'wansview-camera': { id: 'wansview/camera', name: 'Wansview camera (IoTrim "wansview-camera")', category: 'camera' },
  'xiaomi-ricecooker': { id: 'xiaomi/rice-cooker', name: 'Xiaomi rice cooker (IoTrim "xiaomi-ricecooker")', category: 'appliance' },
  'yi-camera': { id: 'yi/camera', name: 'YI camera (IoTrim "yi-camera")', category: 'camera' },
};

export interface IotrimRow { line: number; device: string; destination: string; party: string; grouped: string }

export function parseIotrim(text: string): IotrimRow[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'device;destination;party;grouped') throw new Error('line 1: expected the header "device;destination;party;grouped"');
  const rows: IotrimRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const cells = raw.split(';');
    if (cells.length !== 4) throw new Error(`line ${i + 2}: expected 4 fields separated by ";", found ${cells.length}`);
    const [device, destination, party, grouped] = cells.map((c) => c.trim()) as [string, string, string, string];
    rows.push({ line: i + 2, device, destination, party, grouped });
  });
  return rows;
}

/** The IoTrim list README's own description of how a destination came to be listed. */
export const IOTRIM_QUOTE = 'allowing firewall rules to block traffic sent to non-required destinations without breaking the functionality of the device';

export function iotrimEvidence(label: string): SourceEvidence {
  return {
    id: IOTRIM_EVIDENCE_ID, type: 'blocking-test', date: '2021', source: 'https://doi.org/10.2478/popets-2021-0075',
    title: 'Blocking Without Breaking: Identification and Mitigation of Non-Essential IoT Traffic (PoPETs 2021, issue 4)',
    quote: IOTRIM_QUOTE,
    note: `Mandalari, Dubois, Kolcun, Paracha, Haddadi and Choffnes triggered each device's main function automatically while blocking destinations, and list those whose blocking left it working as not required (IoTrim list ${IOTRIM_LIST}, device "${label}"). Home Assistant was not part of the test, and the list names no protocol or port.`,
  };
}

/** One row → an endpoint, or the reason it cannot be one. */
export function rowEndpoint(row: IotrimRow): SourceEndpoint | string | { skip: string } {
  if (!['first', 'support', 'third'].includes(row.party)) return `party "${row.party}" is not first, support or third`;
  const needs = { 'vendor-app': [{ verdict: 'not-required' as const, evidence: [IOTRIM_EVIDENCE_ID] }], 'home-assistant': 'unknown' as const };
  const base = { protocol: 'unknown' as const, service: 'unknown', purpose: 'unknown', party: row.party as SourceEndpoint['party'], needs, evidence: [IOTRIM_EVIDENCE_ID] };
  const parsed = parseAddress(row.destination);
  if (!isFinding(parsed)) {
    const range = specialRange(parsed);
    return range ? `${row.destination} is a ${range} address` : { address: parsed.canonical, ...base };
  }
  const suffix = row.destination.startsWith('.');
  const host = (suffix ? `*${row.destination}` : row.destination).toLowerCase();
  const finding = checkHostname(host);
  if (finding) return finding.message;
  const broad = suffix ? broadWildcard(host.slice(2)) : null;
  if (broad) return { skip: `${host}: ${broad}; not a destination` };
  const note = suffix ? `IoTrim lists the suffix "${row.destination}"${row.grouped === 'gr' ? ', grouping the names of its replicas' : ''}.` : undefined;
  return { host, ...base, ...(note ? { note } : {}) };
}

export function runIotrim(args: string[]): number {
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');
  const path = resolve(positional[0] ?? fileURLToPath(new URL('../../../shared/data/iotrim/iotrim.tsv', import.meta.url)));
  const only = onlyVendors(args);
  const devicesDir = resolve(process.env.NETNEEDS_DEVICES ?? 'devices');
  const rows = parseIotrim(readFileSync(path, 'utf8'));
  const byDevice = new Map<string, IotrimRow[]>();
  let unmapped = 0;
  for (const row of rows) {
    if (!IOTRIM_DEVICES[row.device]) { process.stderr.write(`${path}:${row.line}: device "${row.device}" has no entry in IOTRIM_DEVICES: row not imported\n`); unmapped++; continue; }
    byDevice.set(row.device, [...(byDevice.get(row.device) ?? []), row]);
  }
  let verdicts = 0;
  let skipped = 0;
  for (const [label, list] of byDevice) {
    const device = IOTRIM_DEVICES[label]!;
    if (only && !only.has(device.id.split('/')[0]!)) continue;
    const endpoints: SourceEndpoint[] = [];
    for (const row of list) {
      const e = rowEndpoint(row);
      if (typeof e === 'string') { process.stderr.write(`${path}:${row.line}: ${row.destination}: ${e}: row not imported\n`); unmapped++; continue; }
      // A suffix every customer of a cloud shares is a blocklist entry, not a destination: left out on purpose.
      if ('skip' in e) { process.stderr.write(`${path}:${row.line}: ${e.skip}: row left out\n`); skipped++; continue; }
      endpoints.push(e);
    }
    const out = writeDevice(devicesDir, device, vendorOf(device.id), { evidence: [iotrimEvidence(label)], endpoints, local: [] });
    verdicts += endpoints.length;
    process.stdout.write(`${label}: devices/${device.id}.yaml ${out.created ? 'created' : 'merged'}: ${endpoints.length} not-required verdicts (${out.counts.added} new endpoints, ${out.counts.updated} existing endpoints updated, ${out.counts.unchanged} already there)\n`);
  }
  process.stdout.write(`${verdicts} verdicts written from ${rows.length} rows; ${skipped} broad suffixes left out; ${unmapped} rows not imported\n`);
  return unmapped ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = runIotrim(process.argv.slice(2));
