/**
 * A mistake of the person running a command (a bad flag, a missing file, data that does not validate): the CLI
 * prints `netneeds: <message>` and exits with `exitCode`, never a stack trace. Anything else is a bug.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = 2, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'name too long',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
  EXDEV: 'on another file system',
  ENOTEMPTY: 'folder not empty',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  EFBIG: 'file too large',
  ETXTBSY: 'busy (text file)',
};

const ACTIONS: Record<string, string> = { mkdir: 'cannot make the folder: ', rename: 'cannot write: ', open: 'cannot open: ', write: 'cannot write: ', rmdir: 'cannot remove: ', unlink: 'cannot remove: ', scandir: 'cannot list: ' };

/** An operating-system error about a path the user gave or the disk they run on, in words; null for anything else. */
export function systemErrorMessage(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const reason = err.code ? SYSTEM_REASONS[err.code] : undefined;
  if (!reason || !err.syscall) return null;
  const action = ACTIONS[err.syscall] ?? '';
  return err.path ? `${err.path}: ${action}${reason}` : `${err.syscall}: ${reason}`;
}
