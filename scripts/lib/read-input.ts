// Reads a file a user names, bounded: a FIFO would block forever, /dev/zero never ends, and a folder or device
// is not an input. Only regular files are read, and at most `maxBytes` of them.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from './errors.js';

export function describeKind(st: import('node:fs').Stats): string {
  return st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
}

export function readBoundedFile(path: string, maxBytes: number, what = 'input'): Buffer {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new UserError(`${path}: no such file`, 1);
  if (!st.isFile()) throw new UserError(`${path}: is ${describeKind(st)}, not a file`, 1, `save the ${what} to a regular file first`);
  if (st.size > maxBytes) throw new UserError(`${path}: is ${st.size} bytes; an ${what} is read up to ${maxBytes} bytes`, 1);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new UserError(`${path}: is not a regular file`, 1);
    const buf = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) throw new UserError(`${path}: is larger than ${maxBytes} bytes; an ${what} is read up to ${maxBytes} bytes`, 1);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
