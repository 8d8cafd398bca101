// Synthetic device trees for benchmarks and scale tests. Deterministic for a given seed; never part of the dataset.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODELINES } from '../lib/canonical.js';

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

const CATEGORIES = ['vacuum', 'camera', 'plug', 'bulb', 'hub', 'speaker', 'tv', 'thermostat', 'sensor', 'doorbell'];
const VERDICTS = ['required', 'not-required', 'setup-only', 'unknown'];
const PURPOSES = ['cloud-control', 'telemetry', 'time', 'firmware-update', 'media', 'push', 'analytics'];
const SERVICES: [string, string, number][] = [['https', 'tcp', 443], ['ntp', 'udp', 123], ['mqtts', 'tcp', 8883], ['http', 'tcp', 80]];

export interface SyntheticOptions { devices: number; seed?: number; vendors?: number }

/** Writes `<dir>/<vendor>/_vendor.yaml` and device files in canonical form; returns the device ids. */
export function writeSyntheticTree(dir: string, opts: SyntheticOptions): string[] {
  const rand = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const vendorCount = opts.vendors ?? Math.max(1, Math.ceil(opts.devices / 50));
  const ids: string[] = [];
  for (let v = 0; v < vendorCount; v++) {
    const vendor = `vendor${v}`;
    mkdirSync(join(dir, vendor), { recursive: true });
    writeFileSync(join(dir, vendor, '_vendor.yaml'), `${MODELINES.vendor}\nid: ${vendor}\nname: Vendor ${v}\nwebsite: https://vendor${v}.example.com\n`);
  }
  for (let i = 0; i < opts.devices; i++) {
    const vendor = `vendor${i % vendorCount}`;
    const model = `model-${i}`;
    const id = `${vendor}/${model}`;
    ids.push(id);
    const endpoints: string[] = [];
    const n = 4 + Math.floor(rand() * 8);
    const hosts = new Set<string>();
    for (let k = 0; k < n; k++) hosts.add(`${pick(['api', 'mqtt', 'ota', 'log', 'time', 'cdn'])}${Math.floor(rand() * 50)}.${vendor}.example.com`);
    for (const host of [...hosts].sort(new Intl.Collator('en', { numeric: true }).compare)) {
      const [service, protocol, port] = pick(SERVICES);
      endpoints.push([
        `  - host: ${host}`, `    protocol: ${protocol}`, `    ports: [${port}]`, `    service: ${service}`, `    purpose: ${pick(PURPOSES)}`,
        `    party: ${pick(['first', 'support', 'third'])}`, '    needs:', `      vendor-app: ${pick(VERDICTS)}`, `      home-assistant: ${pick(VERDICTS)}`,
        '    evidence: [capture-1]',
      ].join('\n'));
    }
    const text = [
      MODELINES.device, `id: ${id}`, `name: Synthetic ${pick(CATEGORIES)} ${i}`, `models: [SX-${i}]`, `category: ${pick(CATEGORIES)}`,
      'connectivity: [wifi]', 'home-assistant:', '  integrations: [xiaomi_miio]', 'endpoints:', ...endpoints,
      'local:', '  - from: home-assistant', '    to: device', '    protocol: udp', '    ports: [54321]', '    service: miio',
      '    purpose: local-control', '    needs:', '      vendor-app: unknown', '      home-assistant: required', '    evidence: [capture-1]',
      'when-blocked:', '  internet:', `    - vendor-app: ${pick(['stops-working', 'keeps-working', 'unknown'])}`, '      home-assistant: unknown', '      evidence: [capture-1]',
      'evidence:', '  - id: capture-1', '    type: blocking-test', `    date: 2024-0${1 + (i % 9)}-1${i % 10}`, `    source: https://example.org/captures/${i}`,
      '    quote: Blocked each destination in turn and noted what kept working.', '',
    ].join('\n');
    writeFileSync(join(dir, vendor, `${model}.yaml`), text);
  }
  return ids;
}
