// The `netneeds` command. Each subcommand's code is loaded only when it runs: a draft or a single-file
// validation should not pay for loading the site renderer, the markdown stack and every rule format.
export interface Command { summary: string; run(args: string[]): Promise<number> | number }

export const commands: Record<string, Command> = {
  validate: { summary: 'check device files: npm run validate [-- files…]', run: (args) => import('./commands/check.js').then((m) => m.runValidate(args)) },
  fix: { summary: 'rewrite files into canonical form: npm run fix [-- files…]', run: (args) => import('./commands/check.js').then((m) => m.runFix(args)) },
  build: { summary: 'validate, then write the dataset, API, CSV, schemas, index, MUD files, blocklists and site to dist/ (--out DIR, --skip site,…)', run: (args) => import('./commands/build.js').then((m) => m.runBuild(args)) },
  draft: { summary: 'draft a device file from a firewall log or capture: npm run draft -- <log>… --device <ip|mac> --into devices/<vendor>/<model>.yaml', run: (args) => import('./draft/command.js').then((m) => m.runDraft(args)) },
  new: { summary: 'scaffold a device file: npm run new -- --vendor <slug> --model <slug> --category <category>', run: (args) => import('./new-device.js').then((m) => m.runNew(args)) },
  'import-mud': {
    summary: 'MUD profiles → draft device files: npm run import:mud -- <file.json>… --id vendor/model',
    async run(args) { return (await import('./import/mud/index.js')).runImportMud(args); },
  },
  policy: {
    summary: 'firewall rules, DNS blocklists and MUD files for devices: npm run policy -- <vendor>/<model>[=<address>] …',
    async run(args) { return (await import('./policy/cli.js')).runPolicy(args); },
  },
  rules: {
    summary: 'list the lint rules',
    async run() { for (const r of (await import('./lint/index.js')).RULES) process.stdout.write(`${r.name.padEnd(18)} ${r.description}\n`); return 0; },
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`usage: netneeds <command> [args]\n\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`).join('\n')}\n`);
    return name && name !== '--help' ? 2 : 0;
  }
  return command.run(args);
}
