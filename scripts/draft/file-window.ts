// A file read front to back through one reused buffer, with readSync: no stream, no promise per chunk,
// and no copy of whole chunks. Only the unconsumed tail (a partial line or record) moves to the front.
import { closeSync, openSync, readSync } from 'node:fs';

/** 1 MiB: a chunk is parsed while it is still in the CPU cache; 8 and 16 MiB buffers read and scan slower. */
export const WINDOW_SIZE = 1 << 20;

export class FileWindow {
  buf: Buffer;
  /** buf[0, end) holds data. */
  end: number;
  /** File offset of buf[reserved]. */
  offset = 0;
  private readonly fd: number;

  /** `reserved`: bytes at the front of buf that are never overwritten (the line reader keeps a newline there). */
  /** `progress`: told the bytes read so far after each read, for a progress line. */
  constructor(path: string, size = WINDOW_SIZE, private readonly reserved = 0, private readonly progress?: (bytesRead: number) => void) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.allocUnsafe(size + reserved);
    this.end = reserved;
  }

  /**
   * Keeps buf[from, end), moved to the front, and appends what the file has next. Returns the bytes read,
   * 0 at the end of the file. The buffer doubles when the kept tail fills it: a record has to be whole to be parsed.
   */
  refill(from: number): number {
    const kept = this.end - from;
    this.offset += from - this.reserved;
    if (kept + this.reserved === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.reserved);
      this.buf.copy(bigger, this.reserved, from, this.end);
      this.buf = bigger;
    } else if (from !== this.reserved) this.buf.copy(this.buf, this.reserved, from, this.end);
    this.end = this.reserved + kept;
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
    this.end += n;
    this.progress?.(this.offset + this.end - this.reserved);
    return n;
  }

  close(): void {
    closeSync(this.fd);
  }
}
