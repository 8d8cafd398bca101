// `import data from 'netneeds'`: the dataset (dist/netneeds.json). createRequire reads JSON on every Node 20+,
// without the import attribute older Node 20 releases do not know.
import { createRequire } from 'node:module';

const data = createRequire(import.meta.url)('./dist/netneeds.json');
export default data;
