import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { schemaDocuments } from './schemas.js';
import type { FileKind } from './load.js';

export const MODELINES: Record<FileKind, string> = {
  device: '# yaml-language-server: $schema=../../schema/device.schema.json',
  vendor: '# yaml-language-server: $schema=../../schema/vendor.schema.json',
};
const MODELINE_COMMENT = /^ ?yaml-language-server:.*$/;

type Schema = Record<string, unknown>;
interface At { schema: Schema | undefined; file: string }

const derefCache = new WeakMap<object, At>();

function deref(at: At): At {
  if (typeof at.schema === 'object' && at.schema !== null) {
    const hit = derefCache.get(at.schema);
    if (hit && hit.file === at.file) return hit;
    const out = resolveRef(at);
    derefCache.set(at.schema, out);
    return out;
  }
  return at;
}

function resolveRef(at: At): At {
  let { schema, file } = at;
  for (let guard = 0; typeof schema === 'object' && schema !== null && typeof schema.$ref === 'string' && guard < 20; guard++) {
    const [target, pointer = ''] = (schema.$ref as string).split('#');
    if (target) file = target;
    let node: unknown = schemaDocuments().get(file);
    for (const seg of pointer.split('/').filter(Boolean)) node = (node as Schema | undefined)?.[seg];
    schema = node as Schema | undefined;
  }
  return { schema, file };
}

/** Picks the branch of an if/then/else the way the schema would, for the shapes our schemas use. */
function branch(at: At, node: Node | null): At {
  let cur = deref(at);
  for (let guard = 0; typeof cur.schema === 'object' && cur.schema !== null && 'if' in cur.schema && guard < 5; guard++) {
    const cond = cur.schema.if as Schema;
    let holds = true;
    if (cond.type === 'string') holds = isScalar(node) && typeof node.value === 'string';
    if (cond.type === 'integer') holds = isScalar(node) && typeof node.value === 'number';
    if (cond.type === 'object') holds = isMap(node) && ((cond.required as string[] | undefined) ?? []).every((k) => node.has(k));
    cur = deref({ schema: (holds ? cur.schema.then : cur.schema.else) as Schema | undefined, file: cur.file });
  }
  return cur;
}

const SORTED_STRING_LISTS = new Set(['aliases', 'connectivity', 'apps', 'integrations', 'evidence']);
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

function scalarText(node: unknown): string {
  return isScalar(node) ? String(node.value) : '';
}
function portStart(item: unknown): number {
  const text = scalarText(item);
  return Number(text.split('-')[0]) || 0;
}
function entryKey(item: unknown, keys: string[]): string {
  if (!isMap(item)) return '';
  return keys.map((k) => {
    const v = item.get(k, true);
    if (k === 'ports') return isSeq(v) ? String(portStart(v.items[0])).padStart(5, '0') : '';
    return scalarText(v);
  }).join('\u0000');
}

function sortSeq(seq: YAMLSeq, property: string | undefined): void {
  const items = seq.items as unknown[];
  if (property === 'ports' || property === 'source-ports') items.sort((a, b) => portStart(a) - portStart(b));
  else if (property && SORTED_STRING_LISTS.has(property) && items.every(isScalar)) items.sort((a, b) => collator.compare(scalarText(a), scalarText(b)));
  else if (property === 'endpoints') {
    const rank = (i: unknown) => (!isMap(i) ? '4' : i.has('group') ? '0' : i.has('host') ? '1' : i.has('address') ? '2' : '3');
    const keyOf = (i: unknown) => rank(i) + entryKey(i, ['group', 'host', 'address', 'protocol', 'ports']);
    items.sort((a, b) => collator.compare(keyOf(a), keyOf(b)));
  } else if (property === 'local') items.sort((a, b) => collator.compare(entryKey(a, ['from', 'to', 'protocol', 'ports']), entryKey(b, ['from', 'to', 'protocol', 'ports'])));
  else if (property === 'groups') items.sort((a, b) => collator.compare(entryKey(a, ['id']), entryKey(b, ['id'])));
}

function canonicalize(node: unknown, at: At, property: string | undefined): void {
  const cur = branch(at, node as Node);
  const schema = cur.schema;
  if (isMap(node)) {
    node.flow = false;
    const order = Object.keys((schema?.properties as Schema | undefined) ?? {});
    const index = (p: Pair) => { const i = order.indexOf(scalarText(p.key)); return i < 0 ? order.length : i; };
    (node as YAMLMap).items.sort((a, b) => index(a) - index(b));
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = scalarText(pair.key);
      const sub = (schema?.properties as Schema | undefined)?.[key] as Schema | undefined;
      canonicalize(pair.value, { schema: sub, file: cur.file }, key);
    }
  } else if (isSeq(node)) {
    node.flow = node.items.every(isScalar); // scalar lists and empty lists stay on one line: [443], []
    const items = schema?.items as Schema | undefined;
    for (const item of node.items) canonicalize(item, { schema: items, file: cur.file }, undefined);
    sortSeq(node, property);
  } else if (isScalar(node)) {
    if (typeof node.value === 'string') node.type = /\n/.test(node.value) ? 'BLOCK_LITERAL' : undefined;
  }
}

function stripModeline(comment: string | null | undefined): string | undefined {
  if (!comment) return undefined;
  const lines = comment.split('\n').filter((l) => !MODELINE_COMMENT.test(l));
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  return lines.length ? lines.join('\n') : undefined;
}

/**
 * The canonical text of a parsed file: modeline first, schema key order, sorted lists, one style.
 * `reorderInPlace` skips the (costly) clone when the caller no longer needs the document's original order.
 */
export function canonicalText(doc: Document.Parsed, kind: FileKind, reorderInPlace = false): string {
  const copy = reorderInPlace ? doc : doc.clone();
  copy.commentBefore = stripModeline(copy.commentBefore) ?? null;
  const contents = copy.contents;
  if (isMap(contents) && isPair(contents.items[0]) && isScalar(contents.items[0].key)) {
    const key = contents.items[0].key;
    key.commentBefore = stripModeline(key.commentBefore);
  }
  if (isSeq(contents) && isNode(contents.items[0])) contents.items[0].commentBefore = stripModeline(contents.items[0].commentBefore);
  if (contents) contents.commentBefore = stripModeline(contents.commentBefore);
  canonicalize(contents, { schema: { $ref: `${kind}.schema.json` }, file: `${kind}.schema.json` }, undefined);
  const body = copy.toString({ lineWidth: 0, indent: 2, indentSeq: true, flowCollectionPadding: false, directives: false });
  return `${MODELINES[kind]}\n${body}`;
}

/** Whether two YAML texts hold the same data: canonical form may change how a file reads, never what it says. */
export function sameData(a: string, b: string): boolean {
  return isDeepStrictEqual(parseDocument(a, { version: '1.2' }).toJS(), parseDocument(b, { version: '1.2' }).toJS());
}
