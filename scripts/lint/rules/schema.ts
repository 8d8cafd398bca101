import type { ErrorObject } from 'ajv';
import type { Rule } from '../rule.js';
import type { PathSegment } from '../../lib/load.js';
import { validators } from '../../lib/validators.js';
import { editDistance } from '../../lib/edit-distance.js';

const FRIENDLY_PATTERNS: Record<string, string> = {
  slug: 'must be a lower-case slug: a-z, 0-9 and single inner hyphens',
  deviceId: 'must be <vendor>/<model>, both lower-case slugs',
  groupRef: 'must be <vendor>/<group>, both lower-case slugs',
  line: 'must be one line of text without control, invisible or text-direction (bidi) characters',
  text: 'must be text without control, invisible or text-direction (bidi) characters',
  date: 'must be a date: YYYY-MM-DD, YYYY-MM or YYYY',
  url: 'must be an http(s) URL',
};

function pathOf(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}


function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const o of options) { const d = editDistance(word, o); if (d < bestD) { bestD = d; best = o; } }
  return best;
}

const MAX_TYPO_SUGGESTIONS = 1000;

export interface SchemaMessage { path: PathSegment[]; message: string; hint?: string; at?: 'key' | 'value' }

/** Turns ajv's raw errors into one message per mistake: no if/then wrappers, typos merged with the required key they replace. */
export function explain(errors: ErrorObject[], data: unknown): SchemaMessage[] {
  const relevant = errors.filter((e) => e.keyword !== 'if');
  // Per mapping: unknown key → the property it is a typo of, and the set of properties so replaced. A file of
  // thousands of unknown keys is not a typo: suggestions are left out there, which keeps this linear and quick.
  const typos = new Map<string, { byKey: Map<string, string>; suggestions: Set<string> }>();
  const unknownKeys = relevant.reduce((n, e) => n + (e.keyword === 'additionalProperties' ? 1 : 0), 0);
  for (const e of unknownKeys <= MAX_TYPO_SUGGESTIONS ? relevant : []) {
    if (e.keyword !== 'additionalProperties') continue;
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
    const suggestion = closest(key, allowed);
    if (!suggestion) continue;
    const t = typos.get(e.instancePath) ?? { byKey: new Map(), suggestions: new Set() };
    t.byKey.set(key, suggestion);
    t.suggestions.add(suggestion);
    typos.set(e.instancePath, t);
  }
  const out: SchemaMessage[] = [];
  const seenPaths = new Set<string>();
  for (const e of relevant) {
    const base = pathOf(e.instancePath);
    let msg: SchemaMessage;
    const isPortItem = e.schemaPath.includes('/ports/items/');
    switch (isPortItem && (e.keyword === 'type' || e.keyword === 'pattern') ? 'port' : isPortItem && (e.keyword === 'minimum' || e.keyword === 'maximum') ? 'port-bounds' : e.keyword) {
      case 'port-bounds': {
        const value = base.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
        msg = { path: base, message: `port ${String(value)} is outside 1–65535` };
        break;
      }
      case 'port':
        msg = { path: base, message: 'a port must be a whole number or a "low-high" range', hint: 'write 443 or "16500-65000"' };
        break;
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
        const suggestion = typos.get(e.instancePath)?.byKey.get(key);
        msg = { path: [...base, key], at: 'key', message: `unknown property ${JSON.stringify(key)}`, hint: suggestion ? `did you mean "${suggestion}"?` : `allowed here: ${allowed.join(', ')}` };
        break;
      }
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        if (typos.get(e.instancePath)?.suggestions.has(missing)) continue; // reported as the typo
        msg = { path: base, message: `missing required property "${missing}"`, hint: `add ${missing}:` };
        if (base.length === 0) msg.path = [];
        break;
      }
      case 'enum': {
        const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
        const value = base.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
        const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
        msg = { path: base, message: `${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`, ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}) };
        break;
      }
      case 'pattern':
      case 'format': {
        const def = /\/\$defs\/([A-Za-z]+)\/(?:pattern|format)$/.exec(e.schemaPath)?.[1] ?? '';
        const field = String(base[base.length - 1] ?? 'value');
        msg = { path: base, message: `${field} ${FRIENDLY_PATTERNS[def] ?? (e.message ?? 'is not valid')}` };
        if (def === 'slug' && typeof base[base.length - 1] === 'number' && base.includes('evidence')) msg.hint = 'cite evidence by the id of an item in evidence:';
        break;
      }
      case 'type': {
        const field = String(base[base.length - 1] ?? 'the file');
        const expected = (e.params as { type: string | string[] }).type;
        msg = { path: base, message: `${field} must be ${Array.isArray(expected) ? expected.join(' or ') : `a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`}` };
        break;
      }
      case 'minItems':
        msg = { path: base, message: `${String(base[base.length - 1] ?? 'list')} must not be empty`, ...(base.includes('evidence') || String(base[base.length - 1]) === 'evidence' ? { hint: 'cite at least one evidence id: every fact needs a source' } : {}) };
        break;
      case 'uniqueItems':
        msg = { path: base, message: `${String(base[base.length - 1] ?? 'list')} lists the same item twice`, hint: 'remove the duplicate' };
        break;
      case 'maxLength':
      case 'minLength':
        msg = { path: base, message: `${String(base[base.length - 1] ?? 'value')} ${e.message}` };
        break;
      default:
        msg = { path: base, message: `${String(base[base.length - 1] ?? 'value')} ${e.message ?? 'is not valid'}` };
    }
    const key = msg.path.join('/') + '|' + (e.keyword === 'additionalProperties' || e.keyword === 'required' ? msg.message : '');
    if (seenPaths.has(key)) continue;
    seenPaths.add(key);
    out.push(msg);
  }
  return out;
}

export const schema: Rule = {
  name: 'schema',
  description: 'The file matches schema/device.schema.json or schema/vendor.schema.json.',
  appliesTo: ['device', 'vendor'],
  check({ file, report }) {
    const validate = validators()[file.kind];
    if (validate(file.data)) return;
    for (const m of explain(validate.errors ?? [], file.data)) {
      report(m.path, m.message, { ...(m.hint ? { hint: m.hint } : {}), ...(m.at ? { at: m.at } : {}) });
    }
  },
};
