import { stringify } from 'csv-stringify/sync';
import { formatPortRange } from '../../lib/net.js';
import type { Emitter } from './emitter.js';
import { endpointSources } from '../model.js';

export const CSV_COLUMNS = [
  'device_id', 'device_name', 'vendor', 'category', 'destination', 'kind', 'protocol', 'ports', 'service', 'purpose',
  'party', 'region', 'vendor_app', 'home_assistant', 'group', 'evidence_types', 'evidence_sources', 'newest_evidence',
] as const;

/** One row per endpoint for spreadsheets and SIEMs; cells that a spreadsheet would run as formulas are defused. */
export const csvEmitter: Emitter = {
  name: 'csv',
  dataset(dataset, out) {
    const rows: string[][] = [];
    for (const d of dataset.devices) {
      const evidence = new Map(d.evidence.map((e) => [e.id, e]));
      for (const e of d.endpoints) {
        const cited = endpointSources(e).map((id) => evidence.get(id)).filter((x) => x !== undefined);
        rows.push([
          d.id, d.name, d.vendor, d.category, e.destination, e.kind, e.protocol, e.ports.map(formatPortRange).join(' '),
          e.service, e.purpose, e.party, e.region ?? '', e.needs['vendor-app'].verdict, e.needs['home-assistant'].verdict,
          e.group ?? '', [...new Set(cited.map((c) => c.type))].sort().join(' '), [...new Set(cited.map((c) => c.source))].join(' '),
          cited.map((c) => c.date ?? '').sort().pop() ?? '',
        ]);
      }
    }
    const content = stringify(rows, { header: true, columns: [...CSV_COLUMNS], quoted_string: true, escape_formulas: true, record_delimiter: 'windows' });
    out.write('netneeds.csv', content);
  },
};
