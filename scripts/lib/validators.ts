// The schemas compiled into validators by ajv. Only commands that validate import this module.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import Ajv2020Module, { _, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './project.js';
import { ENUM_DESCRIPTIONS, schemaDocuments, SCHEMA_FILES } from './schemas.js';

// ajv ships CommonJS: its module.exports is the class, and .default points at the same class.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;
/** ajv's version keys the cache of compiled validators; the packaged CLI bundles ajv and has no ajv/package.json. */
function ajvVersion(): string {
  try { return (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version; } catch { return 'bundled'; }
}

const COMPILED = ['device', 'vendor', 'bundle'] as const;
type Compiled = (typeof COMPILED)[number];

const validatorCache = new Map<Compiled, ValidateFunction>();

function newAjv(standalone: boolean) {
  const ajv = new Ajv2020({
    allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true,
    ...(standalone ? { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } } : {}),
  });
  addFormats(ajv, ['uri', 'date']);
  ajv.addKeyword(ENUM_DESCRIPTIONS);
  for (const [name, schema] of schemaDocuments()) ajv.addSchema(schema, name);
  return ajv;
}

/**
 * Compiled validators. Compiling the schemas takes longer than checking a file, so the generated code is kept
 * in node_modules/.cache, keyed by the schemas' text and ajv's version: a changed schema is compiled anew.
 */
/** A hash of the schemas' content, and of ajv's version unless `schemasOnly`. */
export function validatorsKey(schemasOnly = false): string {
  return createHash('sha256').update(schemasOnly ? '' : ajvVersion()).update(SCHEMA_FILES.map((n) => JSON.stringify(schemaDocuments().get(n))).join('\n')).digest('hex').slice(0, 16);
}

/** The validators as standalone CommonJS code (it requires ajv's runtime helpers; the package build bundles them in). */
export function standaloneValidators(): string {
  return standaloneCode(newAjv(true), Object.fromEntries(COMPILED.map((n) => [n, `${n}.schema.json`])));
}

function loadValidators(): void {
  const require = createRequire(import.meta.url);
  // The installed package ships them compiled and self-contained (scripts/bin/build-cli.ts), for these schemas.
  const shipped = `${ROOT}lib/validators-${validatorsKey(true)}.cjs`;
  if (existsSync(shipped)) {
    const mod = require(shipped) as Record<Compiled, ValidateFunction>;
    for (const n of COMPILED) validatorCache.set(n, mod[n]);
    return;
  }
  const file = `${ROOT}node_modules/.cache/netneeds/validators-${validatorsKey()}.cjs`;
  if (!existsSync(file)) {
    try {
      const code = standaloneValidators();
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    } catch {
      const ajv = newAjv(false);
      for (const n of COMPILED) validatorCache.set(n, ajv.getSchema(`${n}.schema.json`)!);
      return;
    }
  }
  const mod = require(file) as Record<Compiled, ValidateFunction>;
  for (const n of COMPILED) validatorCache.set(n, mod[n]);
}

let compiled: Record<Compiled, ValidateFunction> | null = null;

export function validators(): Record<Compiled, ValidateFunction> {
  if (!compiled) {
    loadValidators();
    compiled = Object.fromEntries(validatorCache) as Record<Compiled, ValidateFunction>;
  }
  return compiled;
}
