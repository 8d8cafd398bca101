// Never lose a file: every file netneeds writes goes to a temporary file in the same folder first and is
// renamed over the target only once complete, so a kill or a full disk leaves the old file or the new one,
// never half of either. Temporary files of a run that is interrupted are removed on the way out.
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

const pending = new Set<string>();
let counter = 0;

/** A temporary name beside `path` that no other process or call uses. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 100)}.${process.pid}.${counter++}.tmp`);
}

export function registerPending(tmp: string): void { pending.add(tmp); }
export function releasePending(tmp: string): void { pending.delete(tmp); }

/** Removes the temporary files of writes still under way (on Ctrl+C or a fatal error). */
export function cleanUpPendingWrites(): void {
  for (const tmp of pending) {
    try { rmSync(tmp, { recursive: true, force: true }); } catch { /* already renamed or never created */ }
  }
  pending.clear();
}

/** Refuses targets that are not plain files: writing to a FIFO blocks, to a device or /proc is no save, through a link surprises. */
export function checkWritableTarget(path: string): number | undefined {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isSymbolicLink()) throw new UserError(`${path}: is a symbolic link; netneeds writes only regular files`, 1, 'remove the link or name the real file');
  if (!st.isFile()) throw new UserError(`${path}: is not a regular file`, 1);
  if ((st.mode & 0o222) === 0) throw new UserError(`${path}: is read-only; netneeds leaves it as it is`, 1, 'make it writable (chmod u+w) to let netneeds rewrite it');
  return st.mode & 0o7777;
}

/** Writes `content` to `path` atomically: a temporary file in the same folder, flushed, then renamed over `path`. */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: { fsync?: boolean } = {}): void {
  const mode = checkWritableTarget(path);
  const tmp = tempPathFor(path);
  pending.add(tmp);
  try {
    const fd = openSync(tmp, 'wx', mode ?? 0o644);
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      if (options.fsync ?? true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* not created */ }
    throw e;
  } finally {
    pending.delete(tmp);
  }
}

/**
 * mkdir -p that fails instead of looping: Node's recursive mkdir spins forever under /proc, and follows a
 * dangling link into a confusing EEXIST. Each missing folder is made one by one; a part that is not a folder is an error.
 */
export function makeDirs(path: string): void {
  const parts: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (st) {
      if (st.isSymbolicLink()) {
        const target = statSync(dir, { throwIfNoEntry: false });
        if (!target) throw new UserError(`${dir}: is a symbolic link to nothing`, 1, 'remove the link or make its target');
        if (!target.isDirectory()) throw new UserError(`${dir}: is not a folder`, 1);
      } else if (!st.isDirectory()) throw new UserError(`${dir}: is not a folder`, 1);
      break;
    }
    parts.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of parts.reverse()) mkdirSync(dir);
}
