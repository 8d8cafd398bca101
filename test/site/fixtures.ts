// Device trees for the site tests, written in canonical form so the real validator accepts them.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { writeSyntheticTree } from '../../scripts/bench/synthetic.js';
import { canonicalText } from '../../scripts/lib/canonical.js';
import { ROOT } from '../../scripts/lib/project.js';

export function writeYaml(dir: string, relPath: string, kind: 'device' | 'vendor', data: object): void {
  mkdirSync(join(dir, relPath, '..'), { recursive: true });
  writeFileSync(join(dir, relPath), canonicalText(parseDocument(stringify(data)), kind));
}

const evidence = [{ id: 'test-1', type: 'blocking-test', date: '2025-03-01', source: 'https://example.org/test/1', title: 'Blocking test', quote: 'Blocked each destination and noted what kept working.' }];

/** 110 synthetic devices (more than one page of the index), the seed Roborock S50, and one camera known to keep working with Home Assistant offline. */
export function writeSiteFixture(dir: string): void {
  writeSyntheticTree(dir, { devices: 110, vendors: 4, seed: 7 });
  mkdirSync(join(dir, 'roborock'), { recursive: true });
  for (const f of ['_vendor.yaml', 's50.yaml']) copyFileSync(join(ROOT, 'devices/roborock', f), join(dir, 'roborock', f));
  writeYaml(dir, 'acme/_vendor.yaml', 'vendor', { id: 'acme', name: 'Acme Cameras' });
  writeYaml(dir, 'acme/cam-2.yaml', 'device', {
    id: 'acme/cam-2', name: 'Acme Cam 2', models: ['AC-2000'], category: 'camera', connectivity: ['wifi'],
    'home-assistant': { integrations: ['onvif'] },
    endpoints: [{
      host: 'telemetry.acme-cams.example.net', protocol: 'tcp', ports: [443], service: 'https', purpose: 'telemetry', party: 'first',
      needs: { 'vendor-app': 'not-required', 'home-assistant': 'not-required' }, evidence: ['test-1'],
    }],
    local: [{
      from: 'home-assistant', to: 'device', protocol: 'tcp', ports: [554], service: 'rtsp', purpose: 'streaming',
      needs: { 'vendor-app': 'unknown', 'home-assistant': 'required' }, evidence: ['test-1'],
    }, {
      from: 'device', to: 'multicast', group: '239.255.255.250', protocol: 'udp', ports: [3702], service: 'ws-discovery', purpose: 'discovery',
      needs: { 'vendor-app': 'unknown', 'home-assistant': 'setup-only' }, evidence: ['test-1'],
    }],
    'when-blocked': { internet: [{ 'vendor-app': 'stops-working', 'home-assistant': 'keeps-working', evidence: ['test-1'] }] },
    evidence,
  });
}
