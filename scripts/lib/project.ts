import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: the nearest one above this module with netneeds' package.json (a compiled CLI bundle lives elsewhere). */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'netneeds') return dir + '/';
    if (dirname(dir) === dir) throw new Error('netneeds: cannot find the project folder (package.json named netneeds)');
  }
}

export const ROOT = findRoot();

/** Where the site and the dataset are published, and where the data lives; forks override them. */
export const SITE_URL = (process.env.NETNEEDS_SITE_URL ?? 'https://netneeds.github.io').replace(/\/+$/, '');
export const REPO_URL = (process.env.NETNEEDS_REPO_URL ?? 'https://github.com/netneeds/netneeds').replace(/\/+$/, '');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(ROOT + 'package.json', 'utf8')) as { version: string }).version;
}

/** The commit the data comes from: CI sets it, otherwise git says; never a timestamp, so builds repeat. */
let gitCommit: string | undefined;

export function sourceCommit(): string {
  if (process.env.NETNEEDS_COMMIT) return process.env.NETNEEDS_COMMIT;
  // Asked once per process: a build asks for every slice of devices.
  if (gitCommit === undefined) {
    try {
      // Loaded here, not at the top: every command imports this module, and child_process costs each one's start ~6 ms.
      const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
      gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      gitCommit = 'unknown';
    }
  }
  return gitCommit;
}
