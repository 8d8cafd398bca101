// Build outputs: to disk as files are made (the CLI), or in memory (tests, and callers that want the files).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Output, OutputFile, WrittenFile } from './emit/emitter.js';

const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength);

/** Refuses two writes of one path and paths that leave the output. */
abstract class Recording implements Output {
  readonly written: WrittenFile[] = [];
  private readonly seen = new Set<string>();
  protected claim(path: string): void {
    if (path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '' || s === '.')) throw new Error(`refusing to write outside the output: ${path}`);
    if (this.seen.has(path)) throw new Error(`two emitters wrote ${path}`);
    this.seen.add(path);
  }
  abstract write(path: string, content: string | Uint8Array): void;
  abstract writeChunks(path: string, chunks: Iterable<string>): void;
}

export class MemoryOutput extends Recording {
  readonly files: OutputFile[] = [];
  write(path: string, content: string | Uint8Array): void {
    this.claim(path);
    this.files.push({ path, content });
    this.written.push({ path, bytes: bytesOf(content) });
  }
  writeChunks(path: string, chunks: Iterable<string>): void {
    this.write(path, [...chunks].join(''));
  }
}

/** Writes into `dir`, which the caller made empty: each folder is created once. */
export class DiskOutput extends Recording {
  private readonly made = new Set<string>();
  private readonly root: string;
  constructor(dir: string) { super(); this.root = resolve(dir); }
  private target(path: string): string {
    this.claim(path);
    const target = join(this.root, path);
    const folder = dirname(target);
    if (!this.made.has(folder)) { mkdirSync(folder, { recursive: true }); this.made.add(folder); }
    return target;
  }
  write(path: string, content: string | Uint8Array): void {
    writeFileSync(this.target(path), content);
    this.written.push({ path, bytes: bytesOf(content) });
  }
  writeChunks(path: string, chunks: Iterable<string>): void {
    const fd = openSync(this.target(path), 'w');
    let bytes = 0;
    try {
      let buffered: string[] = [];
      let size = 0;
      const flush = () => { const b = Buffer.from(buffered.join('')); writeSync(fd, b); bytes += b.length; buffered = []; size = 0; };
      for (const c of chunks) { buffered.push(c); size += c.length; if (size > 1 << 20) flush(); }
      flush();
    } finally {
      closeSync(fd);
    }
    this.written.push({ path, bytes });
  }
}
