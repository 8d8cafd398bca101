// The JSON Schemas as documents: where they live, their version, and the enums tools read from them.
// Compiling them into validators (ajv) is in validators.ts, so that commands that only read a schema never load ajv.
import { readFileSync } from 'node:fs';
import { ROOT } from './project.js';

export const SCHEMA_DIR = ROOT + 'schema/';
export const SCHEMA_FILES = ['common.schema.json', 'device.schema.json', 'vendor.schema.json', 'bundle.schema.json'] as const;
export const SCHEMA_VERSION = '2.0.0'; // 2.0: a bundle verdict carries its evidence and lists claims only when it cannot say them all (1.1: any-destination)

export function readSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_DIR + name, 'utf8')) as Record<string, unknown>;
}

let schemaCache: Map<string, Record<string, unknown>> | null = null;

export function schemaDocuments(): Map<string, Record<string, unknown>> {
  schemaCache ??= new Map(SCHEMA_FILES.map((name) => [name, readSchema(name)]));
  return schemaCache;
}

/**
 * One description per enum value, in the enum's order: the annotation VS Code and yaml-language-server show in
 * completion and hover. Beside `enum` (rather than a oneOf of consts) it keeps ajv's error an enum error, so the
 * schema rule says one thing per mistake, with a did-you-mean.
 */
export const ENUM_DESCRIPTIONS = {
  keyword: 'enumDescriptions',
  schemaType: 'array',
  metaSchema: { type: 'array', items: { type: 'string', minLength: 1 } },
} as const;

/** The enum values a schema lists for a property, read from the schema so that tools never repeat them. */
export function enumOf(schemaName: string, pointer: string): string[] {
  let node: unknown = schemaDocuments().get(schemaName);
  for (const seg of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown>)?.[seg];
  const values = (node as { enum?: unknown[] } | undefined)?.enum;
  if (!Array.isArray(values)) throw new Error(`no enum at ${schemaName}#${pointer}`);
  return values.map(String);
}
