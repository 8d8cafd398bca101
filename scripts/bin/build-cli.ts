// `npm pack` / `npm publish` (prepack): the CLI as compiled JavaScript in lib/, every dependency bundled in, so
// the installed package runs with no dependency, no install script and no compiler; the schema validators are
// compiled ahead too. Licences of the bundled packages go to lib/THIRD-PARTY-LICENSES.txt.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from '../lib/project.js';
import { cliEntryPoints } from './compile.js';
import { standaloneValidators, validatorsKey } from '../lib/validators.js';

const LIB = join(ROOT, 'lib');
rmSync(LIB, { recursive: true, force: true });
mkdirSync(LIB, { recursive: true });

const cli = await build({
  entryPoints: cliEntryPoints(ROOT),
  outdir: LIB, outExtension: { '.js': '.mjs' }, bundle: true, splitting: true, platform: 'node', format: 'esm',
  target: 'node20', logLevel: 'warning', metafile: true, legalComments: 'none',
  // esbuild needs its native binary: only a clone's site build uses it, from the clone's own node_modules.
  external: ['esbuild'],
  // Bundled CommonJS code (ajv, …) calls require for Node's own modules.
  banner: { js: "import { createRequire as __nnRequire } from 'node:module'; const require = __nnRequire(import.meta.url);" },
});

const key = validatorsKey(true);
const standalone = join(LIB, `validators-src-${key}.cjs`);
writeFileSync(standalone, standaloneValidators());
const validators = await build({
  entryPoints: [standalone], outfile: join(LIB, `validators-${key}.cjs`), bundle: true, platform: 'node', format: 'cjs',
  target: 'node20', logLevel: 'warning', metafile: true, legalComments: 'none', absWorkingDir: ROOT,
});
rmSync(standalone);

// Every package whose code went into lib/, with its licence text.
const packages = new Map<string, string>();
for (const input of [...Object.keys(cli.metafile.inputs), ...Object.keys(validators.metafile.inputs)]) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.set(m[1]!, join(ROOT, input.slice(0, m.index + m[0].length)));
}
const notices: string[] = [];
for (const [name, dir] of [...packages].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string };
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  notices.push(`${name}@${manifest.version} (${manifest.license ?? 'see below'})\n${licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : ''}`);
}
writeFileSync(join(LIB, 'THIRD-PARTY-LICENSES.txt'), `The netneeds CLI in this folder bundles these packages:\n\n${notices.join('\n\n---\n\n')}\n`);
for (const entry of Object.keys(cliEntryPoints(ROOT))) if (!existsSync(join(LIB, `${entry}.mjs`))) throw new Error(`lib/${entry}.mjs was not written`);
process.stderr.write(`lib/: the CLI with ${packages.size} bundled packages, validators-${key}.cjs\n`);
