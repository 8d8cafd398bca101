// The rules of canonical form that do not need a YAML document: key order from the schemas, the order of sorted
// lists, and when a scalar is written plain. canonical.ts applies them to parsed documents; canonical-plain.ts
// writes plain data with them without loading the YAML library (a new draft).
import { schemaDocuments } from './schemas.js';
import type { FileKind } from './load.js';

export const MODELINES: Record<FileKind, string> = {
  device: '# yaml-language-server: $schema=../../schema/device.schema.json',
  vendor: '# yaml-language-server: $schema=../../schema/vendor.schema.json',
};

export type Schema = Record<string, unknown>;
/** A place in the schemas: the subschema and the file its $refs resolve in. */
export interface At { schema: Schema | undefined; file: string }

/** 'scalar': a scalar that is neither a string nor a number (a boolean, null). */
export type ValueKind = 'string' | 'number' | 'scalar' | 'map' | 'list' | 'other';

/** How the rules read a value: a YAML node (canonical.ts) or plain data (canonical-plain.ts). */
export interface ValueReader<V> {
  kindOf(value: V | undefined): ValueKind;
  /** A scalar's value as text (String of it); '' for anything else. */
  text(value: V | undefined): string;
  /** A mapping's value under key; undefined when it has none or is not a mapping. */
  get(value: V, key: string): V | undefined;
  /** Whether a mapping has key. */
  has(value: V, key: string): boolean;
  /** A list's items; none for anything else. */
  items(value: V | undefined): readonly V[];
}

export function rootAt(kind: FileKind): At {
  return { schema: { $ref: `${kind}.schema.json` }, file: `${kind}.schema.json` };
}

const derefCache = new WeakMap<object, At>();

export function deref(at: At): At {
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
export function branch<V>(at: At, value: V | undefined, read: ValueReader<V>): At {
  let cur = deref(at);
  for (let guard = 0; typeof cur.schema === 'object' && cur.schema !== null && 'if' in cur.schema && guard < 5; guard++) {
    const cond = cur.schema.if as Schema;
    const kind = read.kindOf(value);
    let holds = true;
    if (cond.type === 'string') holds = kind === 'string';
    if (cond.type === 'integer') holds = kind === 'number';
    if (cond.type === 'object') holds = kind === 'map' && ((cond.required as string[] | undefined) ?? []).every((k) => read.has(value!, k));
    cur = deref({ schema: (holds ? cur.schema.then : cur.schema.else) as Schema | undefined, file: cur.file });
  }
  return cur;
}

/** The schema of property `key` of a mapping at `at` (already branched). */
export function propertyAt(at: At, key: string): At {
  return { schema: (at.schema?.properties as Schema | undefined)?.[key] as Schema | undefined, file: at.file };
}

/** Where a key goes in a mapping of this schema: its place among the schema's properties, unknown keys last. */
export function keyIndex(schema: Schema | undefined): (key: string) => number {
  const order = Object.keys((schema?.properties as Schema | undefined) ?? {});
  return (key) => { const i = order.indexOf(key); return i < 0 ? order.length : i; };
}

const SORTED_STRING_LISTS = new Set(['aliases', 'connectivity', 'apps', 'integrations', 'evidence']);
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

const isScalarKind = (kind: ValueKind) => kind === 'string' || kind === 'number' || kind === 'scalar';

function portStart(text: string): number {
  return Number(text.split('-')[0]) || 0;
}

function entryKey<V>(item: V, keys: string[], read: ValueReader<V>): string {
  if (read.kindOf(item) !== 'map') return '';
  return keys.map((k) => {
    const v = read.get(item, k);
    if (k === 'ports') return read.kindOf(v) === 'list' ? String(portStart(read.text(read.items(v)[0]))).padStart(5, '0') : '';
    return read.text(v);
  }).join('\u0000');
}

/** The order a list under `property` keeps in canonical form, or null when its order is the author's. */
export function seqOrder<V>(items: readonly V[], property: string | undefined, read: ValueReader<V>): ((a: V, b: V) => number) | null {
  if (property === 'ports' || property === 'source-ports') return (a, b) => portStart(read.text(a)) - portStart(read.text(b));
  if (property && SORTED_STRING_LISTS.has(property) && items.every((i) => isScalarKind(read.kindOf(i)))) return (a, b) => collator.compare(read.text(a), read.text(b));
  if (property === 'endpoints') {
    const rank = (i: V) => (read.kindOf(i) !== 'map' ? '4' : read.has(i, 'group') ? '0' : read.has(i, 'host') ? '1' : read.has(i, 'address') ? '2' : '3');
    const keyOf = (i: V) => rank(i) + entryKey(i, ['group', 'host', 'address', 'protocol', 'ports'], read);
    return (a, b) => collator.compare(keyOf(a), keyOf(b));
  }
  if (property === 'local') return (a, b) => collator.compare(entryKey(a, ['from', 'to', 'protocol', 'ports'], read), entryKey(b, ['from', 'to', 'protocol', 'ports'], read));
  if (property === 'groups') return (a, b) => collator.compare(entryKey(a, ['id'], read), entryKey(b, ['id'], read));
  return null;
}

/** Whether a list is written on one line in canonical form: lists of scalars and empty lists ([443], []). */
export function isFlowList<V>(items: readonly V[], read: ValueReader<V>): boolean {
  return items.every((i) => isScalarKind(read.kindOf(i)));
}

/** Scalars whose plain text the serializer writes back unchanged (its own test for when plain text needs quotes). */
const NEEDS_QUOTES = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Text the serializer double-quotes: control characters and unpaired surrogates. */
const ESCAPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** Plain text a reader would take for something other than a string (YAML 1.2 core schema). */
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Text that starts like a document marker, which the serializer writes depending on its indentation (a leading % is always quoted). */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;

/**
 * The text canonical form writes for a one-line string: plain when that reads back as the same string, otherwise
 * quoted the way the serializer quotes (single quotes around text with " but no ', JSON's double quotes otherwise).
 * Null for text it writes as a block or with YAML escapes. `inFlow`: the string is an item of a one-line list.
 */
export function stringText(value: string, inFlow: boolean): string | null {
  if (value.includes('\n') || ESCAPED.test(value) || DOCUMENT_MARKER.test(value)) return null;
  if (!NEEDS_QUOTES.test(value) && !(inFlow && /[[\]{},]/.test(value)) && !NOT_A_STRING.some((re) => re.test(value))) return value;
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}
