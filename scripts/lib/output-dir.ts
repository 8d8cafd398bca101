// The build output folder is replaced whole, never edited in place: the files go into a sibling folder, which is
// swapped in under a lock once every file is written. A kill or a full disk leaves the old output (and a stray
// hidden sibling the next build removes), never a half-written one. A folder is only ever replaced when a build
// made it, as its marker file says; the project, the devices folder, $HOME and / are never touched.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from './errors.js';
import { makeDirs, registerPending, releasePending } from './atomic.js';

/** Present in every folder a build wrote; its content never changes, so builds stay byte-identical. */
export const BUILD_MARKER = '.netneeds-build';
const MARKER_TEXT = 'This folder was written by `netneeds build`, which replaces it whole on the next build.\n';

export interface OutputFileLike { path: string; content: string | Uint8Array }

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
};

/** Why `dir` must never be replaced, or null when it may be. */
export function protectedReason(dir: string, guarded: { project?: string; devices?: string } = {}): string | null {
  const home = homedir();
  const places: [string, string][] = [
    ['the working folder', process.cwd()],
    ...(guarded.project ? [['the project folder', guarded.project] as [string, string]] : []),
    ...(guarded.devices ? [['the devices folder', guarded.devices] as [string, string]] : []),
    ...(home ? [['your home folder', home] as [string, string]] : []),
  ];
  if (dir === resolve('/')) return 'it is the root folder /';
  for (const [name, place] of places) if (inside(resolve(place), dir)) return `it holds ${name} (${place})`;
  if (guarded.devices && inside(dir, resolve(guarded.devices))) return `it is inside the devices folder (${guarded.devices})`;
  if (guarded.project && inside(dir, guarded.project) && ['devices', 'schema', 'scripts', 'site', 'test', '.git', 'node_modules'].includes(relative(guarded.project, dir).split(sep)[0]!)) {
    return 'it is inside the project\'s own sources';
  }
  return null;
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Takes `<dir>.lock` (a file holding our pid); a lock whose process is gone is taken over. */
function lock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      registerPending(path);
      return () => { try { unlinkSync(path); } catch { /* gone */ } releasePending(path); };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
        throw new UserError(`another build (process ${pid}) is writing ${path.slice(0, -'.lock'.length)}`, 1, 'wait for it to finish, or pick another --out');
      }
      rmSync(path, { force: true }); // the build that held it was killed
    }
  }
  throw new UserError(`cannot take the lock ${path}`, 1);
}

/** Removes hidden siblings (`.<name>.build-<pid>` / `.old-<pid>`) that builds killed midway left behind. */
function removeStale(parent: string, name: string): void {
  const prefix = `.${name}.`;
  for (const entry of readdirSync(parent)) {
    const m = entry.startsWith(prefix) ? /\.(build|old)-([0-9]+)$/.exec(entry) : null;
    if (!m || pidAlive(Number(m[2])) && Number(m[2]) !== process.pid) continue;
    const path = join(parent, entry);
    if (lstatSync(path, { throwIfNoEntry: false })?.isDirectory() && lstatSync(join(path, BUILD_MARKER), { throwIfNoEntry: false })?.isFile()) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The output folder, resolved, when a build may replace it; a UserError saying why not otherwise. */
export function checkOutputDir(outDir: string, guarded: { project?: string; devices?: string } = {}): string {
  const root = resolve(outDir);
  const why = protectedReason(root, guarded);
  if (why) throw new UserError(`refusing to write the build into ${outDir}: ${why}`, 1, 'pick an output folder of its own, such as dist');
  const st = lstatSync(root, { throwIfNoEntry: false });
  if (st) {
    if (st.isSymbolicLink()) throw new UserError(`refusing to write the build into ${outDir}: it is a symbolic link`, 1, 'give the real folder');
    if (!st.isDirectory()) throw new UserError(`refusing to write the build into ${outDir}: it is not a folder`, 1);
    const entries = readdirSync(root);
    if (entries.length > 0 && !entries.includes(BUILD_MARKER)) {
      throw new UserError(`refusing to replace ${outDir}: a build did not make it (no ${BUILD_MARKER} file in it)`, 1,
        `if it is an old build output, remove it yourself (rm -r ${outDir}); otherwise pick another --out`);
    }
  }
  return root;
}

interface Staging { root: string; staging: string; old: string; release: () => void }

/** Checks `outDir`, takes its lock, and makes the staging folder beside it with the marker in it. */
function stage(outDir: string, guarded: { project?: string; devices?: string }): Staging {
  const root = checkOutputDir(outDir, guarded);
  const parent = dirname(root);
  makeDirs(parent);
  const name = basename(root);
  const release = lock(`${root}.lock`);
  const staging = join(parent, `.${name}.build-${process.pid}`);
  try {
    checkOutputDir(outDir, guarded); // again, under the lock
    removeStale(parent, name);
    registerPending(staging);
    mkdirSync(staging);
    writeTree(staging, [{ path: BUILD_MARKER, content: MARKER_TEXT }]);
  } catch (e) {
    unstage({ root, staging, old: '', release });
    throw e;
  }
  return { root, staging, old: join(parent, `.${name}.old-${process.pid}`), release };
}

/** Puts the staging folder in place of the output folder: two renames, then the old output goes. */
function swapIn({ root, staging, old }: Staging): void {
  const existing = lstatSync(root, { throwIfNoEntry: false });
  if (existing) renameSync(root, old);
  renameSync(staging, root);
  releasePending(staging);
  if (existing) rmSync(old, { recursive: true, force: true });
}

function unstage({ staging, release }: Staging): void {
  rmSync(staging, { recursive: true, force: true });
  releasePending(staging);
  release();
}

/**
 * Replaces `outDir` with what `fill` writes into a staging folder beside it (the marker is written first); when
 * `fill` returns `{ errors }` or throws, the staging folder is removed and `outDir` stays as it was. Refuses a
 * folder a build did not make (no marker, not empty) and every folder protectedReason names.
 */
export async function replaceOutputDirWith<T extends object>(outDir: string, guarded: { project?: string; devices?: string }, fill: (staging: string) => Promise<T> | T): Promise<T> {
  const s = stage(outDir, guarded);
  try {
    const result = await fill(s.staging);
    if (!('errors' in result)) swapIn(s);
    return result;
  } finally {
    unstage(s);
  }
}

/** Replaces `outDir` with exactly `files` (plus the marker), as replaceOutputDirWith. */
export function replaceOutputDir(outDir: string, files: OutputFileLike[], guarded: { project?: string; devices?: string } = {}): void {
  const s = stage(outDir, guarded);
  try {
    writeTree(s.staging, files);
    swapIn(s);
  } finally {
    unstage(s);
  }
}

function writeTree(root: string, files: OutputFileLike[]): void {
  const made = new Set<string>([root]);
  for (const f of files) {
    const target = join(root, f.path);
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write outside the output folder: ${f.path}`);
    const dir = dirname(target);
    if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
    const fd = openSync(target, 'wx', 0o644);
    try {
      const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    } finally {
      closeSync(fd);
    }
  }
}
