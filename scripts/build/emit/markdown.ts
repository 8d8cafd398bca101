import type { PhrasingContent, Root, RootContent, TableRow } from 'mdast';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import { SITE_URL } from '../../lib/project.js';
import type { Emitter } from './emitter.js';

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const cell = (...children: PhrasingContent[]) => ({ type: 'tableCell' as const, children });
const row = (...cells: ReturnType<typeof cell>[]): TableRow => ({ type: 'tableRow', children: cells });

/** dist/INDEX.md: a table of devices built as a markdown syntax tree, so device strings are escaped by the serializer. */
export const markdownEmitter: Emitter = {
  name: 'markdown',
  dataset(dataset, out) {
    const vendorName = new Map(dataset.vendors.map((v) => [v.id, v.name]));
    const header = row(...['Device', 'Vendor', 'Category', 'Works with HA offline', 'App needs cloud', 'Endpoints', 'Evidence'].map((h) => cell(text(h))));
    const rows = dataset.devices.map((d) => row(
      cell({ type: 'link', url: `${SITE_URL}/devices/${d.id}/`, children: [text(d.name)] }),
      cell(text(vendorName.get(d.vendor) ?? d.vendor)),
      cell(text(d.category)),
      cell(text(d.derived.worksWithHaOffline)),
      cell(text(d.derived.vendorAppNeedsCloud)),
      cell(text(String(d.derived.counts.endpoints))),
      cell(text(`${d.derived.evidence.confidence}${d.derived.evidence.newest ? `, newest ${d.derived.evidence.newest}` : ''}`)),
    ));
    const children: RootContent[] = [
      { type: 'heading', depth: 1, children: [text('NetNeeds device index')] },
      { type: 'paragraph', children: [text(`${dataset.meta.deviceCount} devices, dataset ${dataset.meta.datasetVersion}, built from commit ${dataset.meta.sourceCommit.slice(0, 12)}.`)] },
      { type: 'table', align: ['left', 'left', 'left', 'center', 'center', 'right', 'left'], children: [header, ...rows] },
    ];
    const tree: Root = { type: 'root', children };
    out.write('INDEX.md', remark().use(remarkGfm).stringify(tree));
  },
};
