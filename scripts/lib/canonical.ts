import { isDeepStrictEqual } from 'node:util';
import { isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { branch, deref, isFlowList, keyIndex, MODELINES, propertyAt, rootAt, seqOrder, stringText, type At, type ValueReader } from './canonical-order.js';
import type { FileKind } from './load.js';

export { MODELINES } from './canonical-order.js';

const MODELINE_COMMENT = /^ ?yaml-language-server:.*$/;

/** The rules read a parsed document's nodes. */
const nodes: ValueReader<unknown> = {
  kindOf: (n) => {
    if (isMap(n)) return 'map';
    if (isSeq(n)) return 'list';
    if (!isScalar(n)) return 'other';
    return typeof n.value === 'string' ? 'string' : typeof n.value === 'number' ? 'number' : 'scalar';
  },
  text: (n) => (isScalar(n) ? String(n.value) : ''),
  get: (n, key) => (isMap(n) ? n.get(key, true) : undefined),
  has: (n, key) => isMap(n) && n.has(key),
  items: (n) => (isSeq(n) ? n.items : []),
};

function sortSeq(seq: YAMLSeq, property: string | undefined): void {
  const order = seqOrder(seq.items as unknown[], property, nodes);
  if (order) (seq.items as unknown[]).sort(order);
}

function canonicalize(node: unknown, at: At, property: string | undefined): void {
  const cur = branch(at, node, nodes);
  const schema = cur.schema;
  if (isMap(node)) {
    node.flow = false;
    const index = keyIndex(schema);
    (node as YAMLMap).items.sort((a, b) => index(nodes.text(a.key)) - index(nodes.text(b.key)));
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = nodes.text(pair.key);
      canonicalize(pair.value, propertyAt(cur, key), key);
    }
  } else if (isSeq(node)) {
    node.flow = isFlowList(node.items, nodes); // scalar lists and empty lists stay on one line: [443], []
    const items = schema?.items as At['schema'];
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
  canonicalize(contents, rootAt(kind), undefined);
  const body = copy.toString({ lineWidth: 0, indent: 2, indentSeq: true, flowCollectionPadding: false, directives: false });
  return `${MODELINES[kind]}\n${body}`;
}

// The check of a file that is already canonical, without writing it again. Only the layout `fix` writes is accepted
// here: block mappings, lists of scalars on one line, single-line plain scalars, no comments or blank lines. Anything
// else answers "not sure", and the caller compares with canonicalText, which decides (and words the message).

function plainText(node: unknown, inFlow: boolean, top = false): string | null {
  if (!isScalar(node) || node.comment || node.spaceBefore) return null;
  if (node.commentBefore && !(top && stripModeline(node.commentBefore) === undefined)) return null; // the modeline sits before the first key
  const text = node.source;
  if (typeof text !== 'string' || !text) return null;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    // Quoted text: the serializer's own choice for this one value (plain text, if it could be, is not canonical).
    if (inFlow || typeof node.value !== 'string') return null;
    const written = stringText(node.value, false);
    return written !== null && written !== node.value ? written : null;
  }
  if (node.type !== 'PLAIN') return null;
  if (typeof node.value === 'string') return stringText(node.value, inFlow) === text ? text : null;
  if (typeof node.value === 'number') return Number.isSafeInteger(node.value) && String(node.value) === text ? text : null;
  if (typeof node.value === 'boolean') return String(node.value) === text ? text : null;
  return null;
}

function inOrder(items: unknown[], compare: ((a: unknown, b: unknown) => number) | null): boolean {
  if (!compare) return true;
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1], items[i]) > 0) return false;
  return true; // a stable sort leaves a list in order as it is
}

/** Appends the lines `fix` would write for this mapping; false when it cannot tell. */
function mapLines(node: unknown, at: At, indent: string, lead: string, out: string[]): boolean {
  if (!isMap(node) || node.flow || node.items.length === 0 || node.comment || node.commentBefore) return false;
  const cur = branch(at, node, nodes);
  const index = keyIndex(cur.schema);
  const pairs = node.items as Pair[];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    if (!isPair(pair) || (i > 0 && index(nodes.text(pairs[i - 1]!.key)) > index(nodes.text(pair.key)))) return false;
    const key = plainText(pair.key, false, i === 0 && lead === '' && indent === '');
    if (key === null || typeof (pair.key as { value: unknown }).value !== 'string') return false;
    const prefix = i === 0 ? lead : indent;
    const sub = propertyAt(cur, key);
    const value = pair.value;
    if (isScalar(value)) {
      const text = plainText(value, false);
      if (text === null) return false;
      out.push(`${prefix}${key}: ${text}`);
    } else if (isSeq(value)) {
      if (value.comment || value.commentBefore || value.spaceBefore) return false;
      const items = value.items as unknown[];
      if (!inOrder(items, seqOrder(items, key, nodes))) return false;
      if (isFlowList(items, nodes)) {
        if (!value.flow) return false;
        const texts: string[] = [];
        for (const item of items) { const text = plainText(item, true); if (text === null) return false; texts.push(text); }
        out.push(`${prefix}${key}: [${texts.join(', ')}]`);
      } else {
        if (value.flow) return false;
        out.push(`${prefix}${key}:`);
        const itemAt: At = { schema: deref(sub).schema?.items as At['schema'], file: deref(sub).file };
        const dash = `${indent}  - `;
        for (const item of items) if (!mapLines(item, itemAt, `${indent}    `, dash, out)) return false;
      }
    } else if (isMap(value)) {
      out.push(`${prefix}${key}:`);
      if (!mapLines(value, sub, `${indent}  `, `${indent}  `, out)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * True when `text` is already what canonicalText would write for its parsed document, found without writing it;
 * false when not, or not sure. Linear in the file, and about as cheap as a walk of it.
 */
export function isCanonicalAsIs(doc: Document.Parsed, kind: FileKind, text: string): boolean {
  const modeline = MODELINES[kind];
  if (!text.startsWith(`${modeline}\n`) || !text.endsWith('\n') || text.includes('\r')) return false;
  if (doc.comment || doc.directives?.docStart || stripModeline(doc.commentBefore) !== undefined) return false;
  const lines = [modeline];
  if (!mapLines(doc.contents, rootAt(kind), '', '', lines)) return false;
  let at = 0;
  for (const line of lines) {
    if (!text.startsWith(line, at) || text.charCodeAt(at + line.length) !== 10) return false;
    at += line.length + 1;
  }
  return at === text.length;
}

/** Whether two YAML texts hold the same data: canonical form may change how a file reads, never what it says. */
export function sameData(a: string, b: string): boolean {
  return isDeepStrictEqual(parseDocument(a, { version: '1.2' }).toJS(), parseDocument(b, { version: '1.2' }).toJS());
}
