// The CLI from a compiled bundle: tsx resolves and transforms each TypeScript module on every start, which
// costs more than a whole single-file validation. The bundle is rebuilt whenever a source file is newer, so
// it can never run stale code; if it cannot be written (a read-only install), the caller falls back to tsx.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['scripts', 'site'];
const OUT = join(ROOT, 'node_modules/.cache/netneeds/cli.mjs');

function newestSource(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSource(path, newest);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** URL of an up-to-date bundle of scripts/cli.ts, or null when it cannot be built here. */
export async function compiledCli() {
  try {
    const built = (() => { try { return statSync(OUT).mtimeMs; } catch { return 0; } })();
    if (built < Math.max(...SOURCES.map((s) => newestSource(join(ROOT, s))))) {
      const { build } = await import('esbuild');
      mkdirSync(dirname(OUT), { recursive: true });
      const tmp = `${OUT}.${process.pid}.tmp.mjs`;
      await build({
        entryPoints: [join(ROOT, 'scripts/cli.ts')], outfile: tmp, bundle: true, platform: 'node', format: 'esm',
        target: 'node20', packages: 'external', sourcemap: false, logLevel: 'silent',
        // Bundled modules run from node_modules/.cache; packages stay external, resolved from the project.
        banner: { js: `import { createRequire as __nnRequire } from 'node:module'; const require = __nnRequire(${JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href)});` },
      });
      const { renameSync } = await import('node:fs');
      renameSync(tmp, OUT);
    }
    return pathToFileURL(OUT).href;
  } catch {
    return null;
  }
}
