import type { Rule } from '../rule.js';

export const vendorFile: Rule = {
  name: 'vendor-file',
  description: 'Each vendor folder has a _vendor.yaml naming the vendor.',
  appliesTo: ['device'],
  check({ file, dataset, report }) {
    const vendor = file.relPath.split('/')[0]!;
    if (!dataset.vendors.has(vendor)) {
      report([], `vendor folder "${vendor}" has no _vendor.yaml`, { hint: `create devices/${vendor}/_vendor.yaml with id: ${vendor} and the vendor's name` });
    }
  },
};
