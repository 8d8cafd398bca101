import type { Rule } from '../rule.js';
import { VENDOR_FILE } from '../../lib/load.js';

/** A device's id is its path; a vendor's id is its folder. Ids are public URLs, so they must agree. */
export const idPath: Rule = {
  name: 'id-path',
  description: 'The id matches the file path: devices/<vendor>/<model>.yaml has id <vendor>/<model>.',
  appliesTo: ['device', 'vendor'],
  check({ file, data, report }) {
    if (typeof data.id !== 'string') return;
    const [vendorDir, base] = file.relPath.split('/');
    if (file.kind === 'vendor') {
      if (data.id !== vendorDir) report(['id'], `vendor id "${data.id}" does not match its folder "${vendorDir}"`, { hint: `set id: ${vendorDir}` });
      return;
    }
    const expected = `${vendorDir}/${base!.replace(/\.ya?ml$/, '')}`;
    if (!file.relPath.endsWith('.yaml')) {
      report([], `device files end in .yaml, not .yml`, { hint: `rename to ${expected}.yaml` });
    } else if (data.id !== expected) {
      report(['id'], `id "${data.id}" does not match the path ${file.relPath}`, {
        hint: `set id: ${expected}, or move the file to devices/${data.id}.yaml (a rename keeps the old id under aliases)`,
      });
    }
    if (base === VENDOR_FILE) return;
  },
};
