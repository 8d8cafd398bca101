import { defineCommand, EXIT } from './args.js';

export default defineCommand({
  name: 'rules',
  summary: 'list the lint rules',
  usage: '[options]',
  options: {},
  async run() {
    const { RULES } = await import('../lint/index.js');
    for (const r of RULES) process.stdout.write(`${r.name.padEnd(18)} ${r.description}\n`);
    return EXIT.ok;
  },
});
