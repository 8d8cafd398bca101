// The CLI from compiled code: tsx resolves and transforms each TypeScript module on every start, which
// costs more than a whole single-file validation. esbuild writes the CLI as code-split chunks, so a command
// loads only what it uses. The output folder is named after the sources' state and rebuilt whenever a source
// changes, so it never runs stale code; if it cannot be written (a read-only install), the caller uses tsx.
// Packages are bundled in, as in the packed lib/: Node imports a CommonJS package from ESM only after lexing its
// source for exports and resolving each of its files, which cost `draft` more than half of its start-up.
// Bundled, a dynamic import() of a CommonJS package gives its default export only: import packages statically,
// and make a module that needs one lazy instead.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['scripts', 'site'];
const CACHE = join(ROOT, 'node_modules/.cache/netneeds');
/**
 * The CLI and its worker threads' entries, each compiled to <name>.mjs beside the chunks, where the modules that
 * start a worker (scripts/lib/module-worker.ts) look for it. The packed lib/ (build-cli.ts) has the same files.
 */
export function cliEntryPoints(root) {
  return {
    cli: join(root, 'scripts/cli/index.ts'),
    worker: join(root, 'scripts/lint/worker.ts'),
    'build-worker': join(root, 'scripts/build/worker.ts'),
  };
}

/** A compiled CLI older than this, and not the current one, is no longer in use. */
const STALE_AFTER_MS = 60 * 60 * 1000;

function sourceState(dir, state = { newest: 0, count: 0 }) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceState(path, state);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      state.newest = Math.max(state.newest, statSync(path).mtimeMs);
      state.count++;
    }
  }
  return state;
}

/** URL of the compiled scripts/cli.ts for the current sources, or null when it cannot be built here. */
export async function compiledCli() {
  try {
    const state = { newest: 0, count: 0 };
    for (const s of SOURCES) sourceState(join(ROOT, s), state);
    // This file's own settings shape the bundle too.
    state.newest = Math.max(state.newest, statSync(fileURLToPath(import.meta.url)).mtimeMs);
    // npm rewrites this file on every install: a changed dependency rebuilds the bundle that holds it.
    state.newest = Math.max(state.newest, statSync(join(ROOT, 'node_modules/.package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0);
    const name = `cli-${Math.floor(state.newest)}-${state.count}`;
    const outdir = join(CACHE, name);
    const entry = join(outdir, 'cli.mjs');
    if (!statSync(entry, { throwIfNoEntry: false })) {
      const { build } = await import('esbuild');
      const tmp = `${outdir}.${process.pid}.tmp`;
      await build({
        entryPoints: cliEntryPoints(ROOT),
        outdir: tmp, outExtension: { '.js': '.mjs' }, bundle: true, splitting: true, platform: 'node', format: 'esm',
        target: 'node20', logLevel: 'silent',
        // esbuild finds its native binary from its own package folder, and the site build imports it by name.
        external: ['esbuild'],
        // Bundled CommonJS code calls require for Node's own modules.
        banner: { js: `import { createRequire as __nnRequire } from 'node:module'; const require = __nnRequire(${JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href)});` },
      });
      mkdirSync(CACHE, { recursive: true });
      try { renameSync(tmp, outdir); } catch { rmSync(tmp, { recursive: true, force: true }); } // another process won the race
      // Chunks load as a command needs them, so a running command still reads its folder: only folders older
      // than any command would run are removed (a build under way lost a chunk when every other one was).
      for (const old of readdirSync(CACHE)) {
        if (!old.startsWith('cli') || old === name || old.endsWith('.tmp')) continue;
        const age = Date.now() - (statSync(join(CACHE, old), { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > STALE_AFTER_MS) rmSync(join(CACHE, old), { recursive: true, force: true });
      }
    }
    return pathToFileURL(entry).href;
  } catch {
    return null;
  }
}
