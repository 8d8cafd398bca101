import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { Problem } from './problems.js';

export const MAX_FILE_BYTES = 1024 * 1024;
export const VENDOR_FILE = '_vendor.yaml';

export type FileKind = 'device' | 'vendor';
export type PathSegment = string | number;

export interface LoadedFile {
  /** Path as shown in messages: relative to the working directory, with forward slashes. */
  path: string;
  /** Path below the devices folder: `<vendor>/<model>.yaml` or `<vendor>/_vendor.yaml`. */
  relPath: string;
  kind: FileKind;
  text: string;
  doc: Document.Parsed | null;
  lineCounter: LineCounter;
  /** Plain data, or undefined when the file could not be parsed. */
  data: unknown;
  problems: Problem[];
}

const toSlash = (p: string) => p.split(sep).join('/');

/** `<vendor>/<file>.yaml` (and .yml, which id-path rejects) for every data file, sorted. */
export function listDataFiles(devicesDir: string): string[] {
  const out: string[] = [];
  for (const vendor of readdirSync(devicesDir, { withFileTypes: true })) {
    if (!vendor.isDirectory() || vendor.name.startsWith('.')) continue;
    for (const file of readdirSync(join(devicesDir, vendor.name), { withFileTypes: true })) {
      if (file.isFile() && !file.name.startsWith('.') && /\.ya?ml$/.test(file.name)) out.push(`${vendor.name}/${file.name}`);
    }
  }
  return out.sort();
}

/**
 * Everything under the devices folder that looks like a data file but that no run would read: a .yaml at the wrong
 * depth, in the wrong case (.YAML), a link, or a folder so named. Each is an error, or a contribution silently
 * never reaches the build.
 */
export function strayDataFiles(devicesDir: string, displayBase = process.cwd()): Problem[] {
  const problems: Problem[] = [];
  const add = (abs: string, message: string, hint: string) =>
    problems.push({ file: toSlash(relative(displayBase, abs)) || abs, line: 1, col: 1, rule: 'file-path', severity: 'error', message, hint });
  const walkDir = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const yamlName = /\.ya?ml$/i.test(entry.name);
      if (entry.isSymbolicLink()) {
        if (yamlName || depth === 0) add(abs, 'is a symbolic link: device files and vendor folders must be real files and folders', 'copy the file in instead of linking it');
      } else if (entry.isDirectory()) {
        if (yamlName) add(abs, 'is a folder named like a data file', 'device files are devices/<vendor>/<model>.yaml');
        if (depth === 0 && !entry.name.startsWith('.')) walkDir(abs, 1);
        else if (depth >= 1 && depth < 8) walkDir(abs, depth + 1);
      } else if (yamlName) {
        const wellPlaced = depth === 1 && /\.ya?ml$/.test(entry.name) && !entry.name.startsWith('.') && entry.isFile();
        if (wellPlaced) continue;
        if (depth !== 1) add(abs, `is not at devices/<vendor>/<model>.yaml (it is ${depth === 0 ? 'directly in devices/' : `${depth} folders deep`}), so no run reads it`, 'move it to devices/<vendor>/<model>.yaml');
        else if (entry.name.startsWith('.')) add(abs, 'is a hidden file, so no run reads it', 'remove the leading dot');
        else if (!entry.isFile()) add(abs, 'is not a regular file', 'device files are regular files');
        else add(abs, 'data files end in .yaml, in lower case, so no run reads it', 'rename it to end in .yaml');
      }
    }
  };
  walkDir(devicesDir, 0);
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The parser places an unclosed quote at the end of the file; the opening quote is where the reader must look. */
function errorOffset(doc: Document.Parsed, code: string, offset: number): number {
  if (code !== 'MISSING_CHAR') return offset;
  let at = offset;
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && r && r[0] < offset && offset <= r[2]) at = r[0];
    },
  });
  return at;
}

/** Offset of the first key repeated in its mapping, or null: one set per mapping, so linear in the file. */
function firstDuplicateKey(doc: Document.Parsed): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_key, map) {
      const keys = new Set<string>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? `s:${String(pair.key.value)}` : isNode(pair.key) ? `n:${String(pair.key)}` : `v:${String(pair.key)}`;
        if (keys.has(k)) {
          const at = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
          if (found === null || at < found) found = at;
          return visit.SKIP;
        }
        keys.add(k);
      }
      return undefined;
    },
  });
  return found;
}

export function loadFile(devicesDir: string, relPath: string, displayBase = process.cwd()): LoadedFile {
  const abs = join(devicesDir, relPath);
  const path = toSlash(relative(displayBase, abs)) || relPath;
  const kind: FileKind = relPath.endsWith('/' + VENDOR_FILE) ? 'vendor' : 'device';
  const lineCounter = new LineCounter();
  const file: LoadedFile = { path, relPath, kind, text: '', doc: null, lineCounter, data: undefined, problems: [] };
  const fail = (line: number, col: number, message: string, hint?: string) =>
    file.problems.push({ file: path, line, col, rule: 'yaml-syntax', severity: 'error', message, ...(hint ? { hint } : {}) });

  const size = statSync(abs).size;
  if (size > MAX_FILE_BYTES) {
    fail(1, 1, `file is ${size} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MiB)`, 'a device file is a few kilobytes: split it or remove pasted logs');
    return file;
  }
  const bytes = readFileSync(abs);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = bytes.subarray(0, bad);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) if (before[i] === 0x0a) { line++; lineStart = i + 1; }
    fail(line, bad - lineStart + 1, `invalid UTF-8 byte 0x${bytes[bad]!.toString(16).padStart(2, '0')}`, 'save the file as UTF-8');
    return file;
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  file.text = text;

  // YAML 1.2 counts a lone CR as a line break, the parser does not: read it as LF (same length, so every offset
  // holds); canonical-format reports it and fix writes LF.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // Duplicate keys are found below in one pass: the parser's own check compares every key with every other.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, strict: true, prettyErrors: false, version: '1.2' });
  const seen = new Set<string>();
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (seen.has(e.code)) continue; // one mistake, one message: a cascade repeats its code
    seen.add(e.code);
    const { line, col } = lineCounter.linePos(errorOffset(doc, e.code, e.pos[0]));
    const message = e.code === 'RESOURCE_EXHAUSTION' ? 'nesting is too deep to read' : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    fail(line, col, message, e.code === 'DUPLICATE_KEY' ? 'remove or merge the repeated key' : undefined);
  }
  if (file.problems.length > 0) return file;
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== null) {
    const { line, col } = lineCounter.linePos(duplicate);
    fail(line, col, 'Map keys must be unique', 'remove or merge the repeated key');
    return file;
  }

  if (/[&*!]/.test(text)) {
    visit(doc, (_key, node) => {
      if (!isNode(node)) return;
      const at = lineCounter.linePos(node.range?.[0] ?? 0);
      if (isAlias(node)) { fail(at.line, at.col, 'aliases are not allowed', 'write the value out in full'); return visit.BREAK; }
      if (node.anchor) { fail(at.line, at.col, 'anchors are not allowed', 'remove the &anchor'); return visit.BREAK; }
      if (node.tag) { fail(at.line, at.col, `tags are not allowed (${node.tag})`, 'remove the !tag; write plain values'); return visit.BREAK; }
      return undefined;
    });
    if (file.problems.length > 0) return file;
  }
  file.doc = doc;
  file.data = doc.toJS({ maxAliasCount: 0 });
  return file;
}

export function loadAll(devicesDir: string, relPaths = listDataFiles(devicesDir), displayBase = process.cwd()): LoadedFile[] {
  return relPaths.map((rel) => loadFile(devicesDir, rel, displayBase));
}

/** Each mapping's pairs by key, built on first use: locating thousands of messages in a large mapping stays linear. */
const pairIndex = new WeakMap<object, Map<string, { node: Node | null; key: Node | null }>>();

function childNode(node: unknown, seg: PathSegment): { node: Node | null; key: Node | null } {
  if (isMap(node)) {
    let index = pairIndex.get(node);
    if (!index) {
      index = new Map();
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && !index.has(String(pair.key.value))) {
          index.set(String(pair.key.value), { node: isNode(pair.value) ? pair.value : null, key: pair.key });
        }
      }
      pairIndex.set(node, index);
    }
    return index.get(String(seg)) ?? { node: null, key: null };
  } else if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return { node: isNode(item) ? item : null, key: null };
  }
  return { node: null, key: null };
}

/** 1-based line/column of the node at `path`, or of its key, or of the nearest ancestor that exists. */
export function locate(file: LoadedFile, path: readonly PathSegment[], at: 'value' | 'key' = 'value'): { line: number; col: number } {
  let node: unknown = file.doc?.contents ?? null;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (let i = 0; i < path.length; i++) {
    const { node: next, key } = childNode(node, path[i]!);
    const last = i === path.length - 1;
    if (last && at === 'key' && key?.range) { offset = key.range[0]; break; }
    if (!next) { if (key?.range) offset = key.range[0]; break; }
    node = next;
    if (next.range) offset = next.range[0];
  }
  return file.doc ? file.lineCounter.linePos(offset) : { line: 1, col: 1 };
}
