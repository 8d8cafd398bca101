// The files a contributor names on the command line: each must exist, be a regular file and sit at
// devices/<vendor>/<file>.yaml, or the run reports it; a name that quietly matches nothing is a lost check.
import { lstatSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Problem } from '../lib/problems.js';

export interface NamedFiles { only: string[]; problems: Problem[] }

export const DATA_FILE_PATH = /^[^/]+\/[^/]+\.ya?ml$/;

export function resolveNamedFiles(args: string[], dir: string): NamedFiles {
  const only: string[] = [];
  const problems: Problem[] = [];
  const refuse = (file: string, message: string, hint?: string) =>
    problems.push({ file, line: 1, col: 1, rule: 'file-path', severity: 'error', message, ...(hint ? { hint } : {}) });
  for (const arg of args) {
    const abs = resolve(arg);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    const rel = relative(dir, abs).split(sep).join('/');
    if (!st) refuse(arg, 'no such file', 'check the name: device files are devices/<vendor>/<model>.yaml');
    else if (st.isSymbolicLink()) refuse(arg, 'is a symbolic link; device files must be regular files', 'copy the file into devices/<vendor>/ instead of linking it');
    else if (st.isDirectory()) refuse(arg, 'is a folder, not a device file', 'name the files, or give no name to check every file');
    else if (!st.isFile()) refuse(arg, 'is not a regular file');
    else if (rel.startsWith('../') || rel === '..' || rel.startsWith('/')) refuse(arg, `is not inside the devices folder (${dir})`, 'device files live in devices/<vendor>/<model>.yaml');
    else if (!/\.ya?ml$/.test(rel)) refuse(arg, /\.ya?ml$/i.test(rel) ? 'device files end in .yaml, in lower case' : 'is not a YAML file (.yaml)', 'rename it to devices/<vendor>/<model>.yaml');
    else if (!DATA_FILE_PATH.test(rel)) refuse(arg, 'is not at devices/<vendor>/<model>.yaml, so the build would never read it', 'move it to devices/<vendor>/<model>.yaml');
    else if (!only.includes(rel)) only.push(rel);
  }
  return { only, problems };
}
