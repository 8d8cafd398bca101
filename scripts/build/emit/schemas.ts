import { readFileSync } from 'node:fs';
import { ROOT } from '../../lib/project.js';
import { SCHEMA_DIR, SCHEMA_FILES } from '../../lib/schemas.js';
import type { Emitter } from './emitter.js';

/** The published JSON Schemas, and the bundle's TypeScript types for the npm package. */
export const schemasEmitter: Emitter = {
  name: 'schemas',
  emit: () => [
    ...SCHEMA_FILES.map((name) => ({ path: `schema/${name}`, content: readFileSync(SCHEMA_DIR + name, 'utf8') })),
    { path: 'types/index.d.ts', content: readFileSync(ROOT + 'scripts/build/types.ts', 'utf8') },
  ],
};
