import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the site and the dataset are published, and where the data lives; forks override them. */
export const SITE_URL = (process.env.NETNEEDS_SITE_URL ?? 'https://netneeds.github.io').replace(/\/+$/, '');
export const REPO_URL = (process.env.NETNEEDS_REPO_URL ?? 'https://github.com/netneeds/netneeds').replace(/\/+$/, '');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(ROOT + 'package.json', 'utf8')) as { version: string }).version;
}

/** The commit the data comes from: CI sets it, otherwise git says; never a timestamp, so builds repeat. */
export function sourceCommit(): string {
  if (process.env.NETNEEDS_COMMIT) return process.env.NETNEEDS_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
