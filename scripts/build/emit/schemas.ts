import { readFileSync } from 'node:fs';
import { ROOT } from '../../lib/project.js';
import { SCHEMA_DIR, SCHEMA_FILES } from '../../lib/schemas.js';
import type { Emitter } from './emitter.js';

/** The published JSON Schemas, and the bundle's TypeScript types for the npm package. */
export const schemasEmitter: Emitter = {
  name: 'schemas',
  dataset(_dataset, out) {
    for (const name of SCHEMA_FILES) out.write(`schema/${name}`, readFileSync(SCHEMA_DIR + name, 'utf8'));
    out.write('types/index.d.ts', readFileSync(ROOT + 'scripts/build/types.ts', 'utf8'));
  },
};
