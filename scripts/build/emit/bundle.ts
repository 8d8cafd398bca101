import type { Emitter } from './emitter.js';
import { json } from './emitter.js';

export const bundleEmitter: Emitter = {
  name: 'bundle',
  emit: (dataset) => [{ path: 'netneeds.json', content: json(dataset, 0) }],
};
