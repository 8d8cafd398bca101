// Editors show a schema's descriptions as the contributor types (yaml-language-server: hover and completion),
// so every property and every enum value of every published schema says what it means.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { pagesTree } from '../../scripts/build/pages-tree.js';
import { ENUM_DESCRIPTIONS, SCHEMA_DIR, SCHEMA_FILES, schemaDocuments } from '../../scripts/lib/schemas.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every place in a schema that lacks a description: entries of properties, patternProperties, $defs, an
 * additionalProperties or items schema, and the values of each enum (enumDescriptions, one per value). */
function undescribed(schema: Node): string[] {
  const missing: string[] = [];
  const walk = (node: unknown, path: string, needsDescription: boolean): void => {
    if (!isNode(node)) return;
    const hasText = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
    if (needsDescription && !hasText(node.description)) missing.push(path);
    if (Array.isArray(node.enum)) {
      const texts = node.enumDescriptions;
      if (!Array.isArray(texts) || texts.length !== node.enum.length) missing.push(`${path}/enumDescriptions (${node.enum.length} values, ${Array.isArray(texts) ? texts.length : 0} descriptions)`);
      else node.enum.forEach((value, i) => { if (!hasText(texts[i])) missing.push(`${path}/enum ${JSON.stringify(value)}`); });
    }
    for (const map of ['properties', 'patternProperties', '$defs'] as const) {
      if (isNode(node[map])) for (const [key, child] of Object.entries(node[map])) walk(child, `${path}/${map}/${key}`, true);
    }
    for (const single of ['additionalProperties', 'items'] as const) walk(node[single], `${path}/${single}`, true);
    // Branches take their description from the entry that holds them; enums inside them still need theirs.
    for (const branch of ['if', 'then', 'else', 'not', 'propertyNames', 'contains'] as const) walk(node[branch], `${path}/${branch}`, false);
    for (const list of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
      if (Array.isArray(node[list])) node[list].forEach((child, i) => walk(child, `${path}/${list}/${i}`, false));
    }
  };
  walk(schema, '#', false);
  return missing;
}

describe('schema descriptions', () => {
  it('covers every schema file in schema/', () => {
    expect(readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()).toEqual([...SCHEMA_FILES].sort());
  });

  it.each(SCHEMA_FILES.map((f) => [f]))('%s describes every property and every enum value', (name) => {
    const schema = JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8')) as Node;
    expect(undescribed(schema)).toEqual([]);
  });

  it('finds what is missing', () => {
    const schema = {
      properties: {
        a: { description: 'A.', type: 'string' },
        b: { type: 'object', properties: { c: { description: 'C.', enum: ['x', 'y'], enumDescriptions: ['X.', ''] } } },
        d: { description: 'D.', type: 'array', items: { enum: [1, 2] } },
      },
      $defs: { e: { description: 'E.', if: { type: 'string' }, then: { enum: ['z'] }, else: { type: 'array', items: { description: 'I.' } } } },
    };
    expect(undescribed(schema)).toEqual([
      '#/properties/b',
      '#/properties/b/properties/c/enum "y"',
      '#/properties/d/items',
      '#/properties/d/items/enumDescriptions (2 values, 0 descriptions)',
      '#/$defs/e/then/enumDescriptions (1 values, 0 descriptions)',
    ]);
  });
});

describe('schema $id', () => {
  // The Pages tree (scripts/build/pages-tree.ts, which the deploy runs) puts dist/schema/*.json at schema/v1/.
  const dist = mkdtempSync(join(tmpdir(), 'netneeds-schema-id-'));
  mkdirSync(join(dist, 'schema'));
  for (const name of SCHEMA_FILES) copyFileSync(SCHEMA_DIR + name, join(dist, 'schema', name));
  const published = new Map(pagesTree(dist).map((e) => [e.from, e.to]));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  it.each(SCHEMA_FILES.map((f) => [f]))('%s is identified by the address the Pages deploy publishes it at', (name) => {
    const schema = JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8')) as Node;
    expect(schema.$id).toBe(`https://netneeds.github.io/schema/v1/${name}`);
    expect(`https://netneeds.github.io/${published.get(join(dist, 'schema', name))}`).toBe(schema.$id);
  });
});

describe('enumDescriptions under ajv strict mode', () => {
  const ajvWith = (keyword: boolean) => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv, ['uri', 'date']);
    if (keyword) ajv.addKeyword(ENUM_DESCRIPTIONS);
    return ajv;
  };
  it('is a registered keyword: the schemas compile with it and not without it', () => {
    const withIt = ajvWith(true);
    for (const [name, schema] of schemaDocuments()) withIt.addSchema(schema, name);
    expect(withIt.getSchema('device.schema.json')).toBeTypeOf('function');
    const without = ajvWith(false);
    expect(() => { for (const [name, schema] of schemaDocuments()) without.addSchema(schema, name); without.getSchema('device.schema.json'); }).toThrow(/unknown keyword: "enumDescriptions"/);
  });
  it('must be a list of texts', () => {
    expect(() => ajvWith(true).compile({ enum: ['a'], enumDescriptions: [1] })).toThrow(/enumDescriptions/);
    expect(ajvWith(true).compile({ enum: ['a'], enumDescriptions: ['A.'] })('a')).toBe(true);
  });
});
