// The baseline the validator is measured against: read and YAML.parse every device file, nothing else.
import { readFileSync } from 'node:fs';
import { globSync } from 'glob';
import YAML from 'yaml';

const dir = process.argv[2];
let count = 0;
for (const file of globSync('*/*.yaml', { cwd: dir })) {
  YAML.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  count++;
}
console.log(`${count} files parsed`);
