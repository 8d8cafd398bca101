import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { canonicalText, isCanonicalAsIs } from './canonical.ts';
import { listDataFiles } from './load.ts';
const dir = process.argv[2]!;
let acc = 0, n = 0, wrong = 0;
for (const rel of listDataFiles(dir)) {
  const text = readFileSync(join(dir, rel), 'utf8');
  const kind = rel.endsWith('/_vendor.yaml') ? 'vendor' : 'device';
  const doc = parseDocument(text, { uniqueKeys: false, strict: true, prettyErrors: false, version: '1.2' });
  const fast = isCanonicalAsIs(doc as any, kind, text);
  const exact = canonicalText(doc as any, kind) === text;
  n++; if (fast) acc++; if (fast && !exact) { wrong++; console.log('WRONG', rel); }
}
console.log({ n, acc, wrong });
