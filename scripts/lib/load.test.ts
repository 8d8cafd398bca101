import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, loadFile, locate } from './load.js';
import { tree } from '../../test/lint/helpers.js';

const load = (text: string | Uint8Array, rel = 'acme/widget.yaml') => loadFile(tree({ [rel]: text }), rel, '/');

describe('firstInvalidUtf8', () => {
  it('finds the first bad byte, or -1', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo ✓ 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated at the end
    expect(firstInvalidUtf8(Buffer.from([0xf0, 0x82, 0x82, 0xac]))).toBe(0); // overlong
  });
});

describe('loadFile', () => {
  it('tells device files from vendor files', () => {
    expect(load('id: x\n').kind).toBe('device');
    expect(load('id: acme\n', 'acme/_vendor.yaml').kind).toBe('vendor');
  });

  it('reads YAML 1.2: yes/no/on are strings, not booleans; 0777 is not octal', () => {
    expect(load('a: yes\nb: on\nc: 0777\n').data).toEqual({ a: 'yes', b: 'on', c: 777 });
  });

  it('reports only the first problem of a kind (no cascade) with its position', () => {
    const f = load('a: 1\na: 2\na: 3\n');
    expect(f.problems.map((p) => [p.rule, p.line, p.message])).toEqual([['yaml-syntax', 2, 'Map keys must be unique']]);
    expect(f.data).toBeUndefined();
  });

  it('refuses anchors, aliases and tags, each at its place', () => {
    expect(load('a: 1\nb: &x 2\n').problems.map((p) => [p.line, p.message])).toEqual([[2, 'anchors are not allowed']]);
    expect(load('a: 1\nb: *x\n').problems.map((p) => p.line)).toEqual([2]);
    expect(load('a: 1\nb: !!binary aGk=\n').problems.map((p) => p.line)).toEqual([2]);
  });

  it('locates values, keys, and the nearest existing ancestor of a missing path', () => {
    const f = load('id: x\nendpoints:\n  - host: a.example.com\n    ports: [1, 2]\n');
    expect(locate(f, ['endpoints', 0, 'ports', 1])).toEqual({ line: 4, col: 16 });
    expect(locate(f, ['endpoints', 0, 'ports'], 'key')).toEqual({ line: 4, col: 5 });
    expect(locate(f, ['endpoints', 0, 'nope'])).toEqual({ line: 3, col: 5 });
    expect(locate(f, ['endpoints', 5])).toEqual({ line: 3, col: 3 });
    expect(locate(f, [])).toEqual({ line: 1, col: 1 });
  });
});
