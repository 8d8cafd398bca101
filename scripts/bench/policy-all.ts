// Times one policy for every device of a tree, in every format: the generator alone, on a dataset loaded beforehand.
import { FORMATS, generate, loadDataset } from '../policy/index.js';

const dataset = await loadDataset(process.argv[2]!);
if ('errors' in dataset) { process.stderr.write(dataset.errors.slice(0, 5).join('\n') + '\n'); process.exit(1); }
const start = performance.now();
const { files } = generate(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile: 'both', unknown: 'allow' }, FORMATS);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(`policy-all ${seconds.toFixed(3)} (${files.length} files, ${(files.reduce((n, f) => n + f.file.content.length, 0) / 1e6).toFixed(1)} MB)\n`);
