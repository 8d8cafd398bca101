import type { Dataset } from './dist/types/index.js';

export type * from './dist/types/index.js';
/** The NetNeeds dataset: every device with its endpoints, local flows, verdicts and evidence (dist/netneeds.json). */
declare const dataset: Dataset;
export default dataset;
