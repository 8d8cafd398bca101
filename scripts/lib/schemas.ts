import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv ships CommonJS: its module.exports is the class, and .default points at the same class.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

export const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));
export const SCHEMA_FILES = ['common.schema.json', 'device.schema.json', 'vendor.schema.json', 'bundle.schema.json'] as const;
export const SCHEMA_VERSION = '1.0.0';

export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8')) as Record<string, unknown>;
}

let cached: { device: ValidateFunction; vendor: ValidateFunction; bundle: ValidateFunction; schemas: Map<string, Record<string, unknown>> } | null = null;

export function validators() {
  if (cached) return cached;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv, ['uri', 'date']);
  const schemas = new Map<string, Record<string, unknown>>();
  for (const name of SCHEMA_FILES) {
    const schema = readSchema(name);
    schemas.set(name, schema);
    ajv.addSchema(schema, name);
  }
  cached = {
    device: ajv.getSchema('device.schema.json')!,
    vendor: ajv.getSchema('vendor.schema.json')!,
    bundle: ajv.getSchema('bundle.schema.json')!,
    schemas,
  };
  return cached;
}

/** The enum values a schema lists for a property, read from the schema so that tools never repeat them. */
export function enumOf(schemaName: string, pointer: string): string[] {
  const { schemas } = validators();
  let node: unknown = schemas.get(schemaName);
  for (const seg of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)?.[seg];
  const values = (node as { enum?: unknown[] } | undefined)?.enum;
  if (!Array.isArray(values)) throw new Error(`no enum at ${schemaName}#${pointer}`);
  return values.map(String);
}
