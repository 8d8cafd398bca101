// The tree GitHub Pages publishes: the site, with the downloads it links beside it. One list for the Pages workflow
// (`npm run pages:assemble`) and for the bench, which measures what is published rather than all of dist/.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Entries of dist/ copied beside the site's pages; dist/INDEX.md and dist/types are for the repository and npm. */
export const PUBLISHED_DOWNLOADS = ['netneeds.json', 'netneeds.csv', 'api', 'schema', 'mud', 'blocklists'] as const;

/** Each published path below the Pages root and the file or folder of dist/ it comes from. */
export function pagesTree(dist: string): { from: string; to: string }[] {
  return [
    { from: join(dist, 'site'), to: '' },
    ...PUBLISHED_DOWNLOADS.map((name) => ({ from: join(dist, name), to: name })),
    // The schemas' $id URLs (https://netneeds.github.io/schema/v1/<name>) resolve to the files themselves.
    ...readdirSync(join(dist, 'schema')).filter((f) => f.endsWith('.json')).sort().map((f) => ({ from: join(dist, 'schema', f), to: `schema/v1/${f}` })),
  ];
}

/** Copies the published tree of `dist` into `out`, which must not exist yet: nothing already there is overwritten. */
export function assemblePages(dist: string, out: string): void {
  if (existsSync(out)) throw new Error(`${out} already exists; the Pages tree is assembled into a new folder`);
  const missing = [join(dist, 'site'), ...PUBLISHED_DOWNLOADS.map((name) => join(dist, name))].filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')} (run npm run build first)`);
  const entries = pagesTree(dist);
  mkdirSync(out, { recursive: true });
  for (const { from, to } of entries) cpSync(from, join(out, to), { recursive: true, errorOnExist: true, force: false });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dist = 'dist', out = '_site'] = process.argv.slice(2);
  try {
    assemblePages(resolve(dist), resolve(out));
  } catch (error) {
    process.stderr.write(`pages:assemble: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
