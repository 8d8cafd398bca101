// Vendor folders the importers may have to create. A website is listed only where it is the vendor's own
// site beyond doubt; an existing _vendor.yaml always wins.
import type { VendorInfo } from './write.js';

export const VENDORS: Record<string, VendorInfo> = {
  amazon: { name: 'Amazon', website: 'https://www.amazon.com' },
  august: { name: 'August', website: 'https://august.com' },
  awair: { name: 'Awair', website: 'https://www.getawair.com' },
  belkin: { name: 'Belkin', website: 'https://www.belkin.com' },
  blipcare: { name: 'BlipCare' },
  bosiwo: { name: 'Bosiwo' },
  canary: { name: 'Canary', website: 'https://canary.is' },
  dropcam: { name: 'Dropcam' },
  google: { name: 'Google', website: 'https://store.google.com' },
  'harman-kardon': { name: 'Harman Kardon', website: 'https://www.harmankardon.com' },
  hp: { name: 'HP', website: 'https://www.hp.com' },
  icsee: { name: 'ICSee' },
  ihome: { name: 'iHome' },
  invoxia: { name: 'Invoxia', website: 'https://www.invoxia.com' },
  lifx: { name: 'LIFX', website: 'https://www.lifx.com' },
  mattel: { name: 'Mattel', website: 'https://www.mattel.com' },
  nest: { name: 'Nest' },
  netatmo: { name: 'Netatmo', website: 'https://www.netatmo.com' },
  philips: { name: 'Philips', website: 'https://www.philips.com' },
  'pix-star': { name: 'Pix-Star', website: 'https://www.pix-star.com' },
  reolink: { name: 'Reolink', website: 'https://reolink.com' },
  ring: { name: 'Ring', website: 'https://ring.com' },
  roku: { name: 'Roku', website: 'https://www.roku.com' },
  samsung: { name: 'Samsung', website: 'https://www.samsung.com' },
  'tp-link': { name: 'TP-Link', website: 'https://www.tp-link.com' },
  wansview: { name: 'Wansview', website: 'https://www.wansview.com' },
  withings: { name: 'Withings', website: 'https://www.withings.com' },
  xiaomi: { name: 'Xiaomi', website: 'https://www.mi.com' },
  yi: { name: 'YI Technology' },
};

export function vendorOf(deviceId: string): VendorInfo {
  const vendor = VENDORS[deviceId.split('/')[0]!];
  if (!vendor) throw new Error(`no vendor entry for ${deviceId} in scripts/import/vendors.ts`);
  return vendor;
}

/** `--only a,b` limits a batch import to some vendor folders (for working beside others who edit devices/). */
export function onlyVendors(args: string[]): Set<string> | null {
  const i = args.indexOf('--only');
  return i >= 0 && args[i + 1] ? new Set(args[i + 1]!.split(',')) : null;
}
