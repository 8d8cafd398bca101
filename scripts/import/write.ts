// Writes imported facts into devices/: a new device file (and vendor file) when none exists, otherwise a
// merge into the existing one. Shared by the MUD and IoTrim importers.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { canonicalText } from '../lib/canonical.js';
import { makeDirs, writeFileAtomic } from '../lib/atomic.js';
import { mergeDeviceText, newDeviceText, type DeviceAdditions, type MergeCounts } from '../lib/merge-device.js';
import type { SourceDevice } from '../lib/source-types.js';

export interface NewDevice { id: string; name: string; category: string; models?: string[]; notes?: string }
export interface VendorInfo { name: string; website?: string }
export interface WriteOutcome { path: string; created: boolean; counts: MergeCounts; vendorCreated: boolean }

const DEVICE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function writeDevice(devicesDir: string, device: NewDevice, vendor: VendorInfo | undefined, additions: DeviceAdditions, dryRun = false): WriteOutcome & { text: string } {
  if (!DEVICE_ID.test(device.id)) throw new Error(`device id "${device.id}" is not <vendor>/<model> in lower-case slugs`);
  const vendorId = device.id.split('/')[0]!;
  const path = join(devicesDir, `${device.id}.yaml`);
  const vendorPath = join(devicesDir, vendorId, '_vendor.yaml');
  let vendorText: string | null = null;
  if (!existsSync(vendorPath)) {
    if (!vendor) throw new Error(`devices/${vendorId}/_vendor.yaml does not exist: give the vendor's name (--vendor-name)`);
    vendorText = canonicalText(parseDocument(stringify({ id: vendorId, ...vendor }), { version: '1.2' }), 'vendor');
  }
  let outcome: { text: string; counts: MergeCounts; created: boolean };
  if (existsSync(path)) {
    outcome = { ...mergeDeviceText(readFileSync(path, 'utf8'), additions), created: false };
  } else {
    const data: SourceDevice = {
      id: device.id, name: device.name, ...(device.models ? { models: device.models } : {}), category: device.category,
      endpoints: additions.endpoints, ...(additions.local.length ? { local: additions.local } : {}),
      evidence: additions.evidence, ...(device.notes ? { notes: device.notes } : {}),
    };
    outcome = { text: newDeviceText(data), counts: { added: additions.endpoints.length + additions.local.length, updated: 0, unchanged: 0 }, created: true };
  }
  // The device file first: a vendor file alone would be a stray the contributor did not ask for.
  if (!dryRun) {
    makeDirs(dirname(path));
    writeFileAtomic(path, outcome.text);
    if (vendorText !== null) writeFileAtomic(vendorPath, vendorText);
  }
  return { path, created: outcome.created, counts: outcome.counts, vendorCreated: vendorText !== null, text: outcome.text };
}
