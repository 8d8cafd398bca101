// The policy generator: a Dataset and a selection in, rule files in every supported format out.
import { build } from '../build/index.js';
import type { Dataset } from '../build/types.js';
import { plan, type Policy, type Selection } from './plan.js';
import type { Format, PolicyFile } from './formats/format.js';
import { FORMATS } from './formats/index.js';

export { FORMATS, formatByName } from './formats/index.js';

/** Validates the devices tree (the generator only ever sees data that passed every lint rule) and loads it. */
export async function loadDataset(devicesDir: string): Promise<Dataset | { errors: string[] }> {
  const result = await build(devicesDir, []);
  return 'errors' in result ? result : result.dataset;
}

export function generate(dataset: Dataset, selection: Selection, formats: readonly Format[] = FORMATS): { policy: Policy; files: { format: string; file: PolicyFile }[] } {
  const policy = plan(dataset, selection);
  return { policy, files: formats.flatMap((f) => f.render(policy).map((file) => ({ format: f.name, file }))) };
}
