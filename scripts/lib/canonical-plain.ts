// canonicalText for plain data, written line by line without the YAML library: a new draft is data the draft built
// itself, and loading and running the serializer cold cost its command more than reading some whole logs.
// It writes the layout canonical form gives data of this kind (block mappings, lists of scalars on one line, one-line
// scalars, plain or quoted) and answers null for anything else, for which the caller uses canonicalText.
import { branch, isFlowList, keyIndex, MODELINES, stringText, propertyAt, rootAt, seqOrder, type At, type ValueReader } from './canonical-order.js';
import type { FileKind } from './load.js';

type Plain = unknown;

const isMapping = (v: Plain): v is Record<string, Plain> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const plain: ValueReader<Plain> = {
  kindOf: (v) => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' || v === null ? 'scalar'
    : Array.isArray(v) ? 'list' : isMapping(v) ? 'map' : 'other'),
  text: (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : ''),
  get: (v, key) => (isMapping(v) && Object.hasOwn(v, key) ? v[key] : undefined),
  has: (v, key) => isMapping(v) && Object.hasOwn(v, key),
  items: (v) => (Array.isArray(v) ? v : []),
};

/** A key written plain: the schemas' property names. Others (quoted, numeric, …) are left to the serializer. */
const PLAIN_KEY = /^[a-z][a-z0-9-]*$/;

function scalarText(v: Plain, inFlow: boolean): string | null {
  if (typeof v === 'string') return stringText(v, inFlow);
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : null;
  if (typeof v === 'boolean') return String(v);
  return null;
}

/**
 * Appends the lines of a mapping: its first key after `lead` (a list item's "- "), the others after `indent`.
 * `seen`: the objects already written; the serializer writes a repeated one as an alias, which this does not.
 */
function mapLines(map: Plain, at: At, indent: string, lead: string, out: string[], seen: Set<object>): boolean {
  if (!isMapping(map) || seen.has(map)) return false;
  seen.add(map);
  const keys = Object.keys(map);
  if (keys.length === 0) return false;
  const cur = branch(at, map, plain);
  const index = keyIndex(cur.schema);
  keys.sort((a, b) => index(a) - index(b));
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (!PLAIN_KEY.test(key) || stringText(key, false) !== key) return false;
    const prefix = i === 0 ? lead : indent;
    const value = map[key];
    const kind = plain.kindOf(value);
    if (kind === 'string' || kind === 'number' || kind === 'scalar') {
      const text = scalarText(value, false);
      if (text === null) return false;
      out.push(`${prefix}${key}: ${text}`);
    } else if (kind === 'list') {
      const list = value as Plain[];
      if (seen.has(list)) return false;
      seen.add(list);
      const listAt = branch(propertyAt(cur, key), list, plain);
      const itemAt: At = { schema: listAt.schema?.items as At['schema'], file: listAt.file };
      const order = seqOrder(list, key, plain);
      const items = order ? [...list].sort(order) : list;
      if (isFlowList(items, plain)) {
        const texts: string[] = [];
        for (const item of items) { const text = scalarText(item, true); if (text === null) return false; texts.push(text); }
        out.push(`${prefix}${key}: [${texts.join(', ')}]`);
      } else {
        out.push(`${prefix}${key}:`);
        for (const item of items) if (!mapLines(item, itemAt, `${indent}    `, `${indent}  - `, out, seen)) return false;
      }
    } else if (kind === 'map') {
      out.push(`${prefix}${key}:`);
      if (!mapLines(value, propertyAt(cur, key), `${indent}  `, `${indent}  `, out, seen)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** What canonicalText writes for a document holding `data`, or null when that takes the serializer. */
export function canonicalPlainText(data: Record<string, unknown>, kind: FileKind): string | null {
  const lines = [MODELINES[kind]];
  return mapLines(data, rootAt(kind), '', '', lines, new Set()) ? `${lines.join('\n')}\n` : null;
}
