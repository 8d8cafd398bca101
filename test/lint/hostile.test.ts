// Hostile input that is too big or too binary to commit: written to a temp dir, then linted beside a good file.
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../scripts/lib/load.js';
import { formatProblem } from '../../scripts/lib/problems.js';
import { baseDevice, baseVendor, brief, err, lineOf, lintTree, yamlOf } from './helpers.js';

const good = () => yamlOf(baseDevice());
const named = (id: string) => yamlOf({ ...baseDevice(), id });

describe('hostile input', () => {
  it('refuses a file over 1 MiB without parsing it, and still checks the others', () => {
    const huge = named('acme/huge') + `notes: "${'x'.repeat(MAX_FILE_BYTES)}"\n`;
    const broken = named('acme/other').replace('category: plug', 'category: plugg');
    const { problems, checked } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/huge.yaml': huge, 'acme/other.yaml': broken, 'acme/widget.yaml': good() });
    expect(checked).toBe(4);
    expect(problems.map((p) => [p.file, p.rule, p.line])).toEqual([['acme/huge.yaml', 'yaml-syntax', 1], ['acme/other.yaml', 'schema', lineOf(broken, 'category: plugg')]]);
    expect(problems[0]!.message).toMatch(/limit is 1048576 bytes/);
  });

  it('locates the first invalid UTF-8 byte', () => {
    const text = Buffer.from(good().replace('name: Acme Widget', 'name: Acme WidgetXX'));
    const at = text.indexOf('XX');
    text[at] = 0xc3; text[at + 1] = 0x28; // a lead byte followed by a non-continuation byte
    const lineStart = text.lastIndexOf(0x0a, at) + 1;
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
    expect(brief(problems)).toEqual([err('yaml-syntax', 3)]);
    expect(problems[0]).toMatchObject({ col: at - lineStart + 1, message: 'invalid UTF-8 byte 0xc3' });
  });

  it('rejects overlong encodings and UTF-16 surrogates', () => {
    for (const bytes of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff]]) {
      const text = Buffer.concat([Buffer.from(good().replace('name: Acme Widget', 'name: A')), Buffer.from(bytes)]);
      const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
      expect(problems.map((p) => p.message), bytes.join()).toEqual([`invalid UTF-8 byte 0x${bytes[0]!.toString(16)}`]);
    }
  });

  it('refuses raw control bytes in text fields', () => {
    for (const c of ['\u0001', '\u001b', '\u007f', '\u2028']) {
      const text = good().replace('name: Acme Widget', `name: Acme${c}Widget`);
      const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
      expect(problems.length, JSON.stringify(c)).toBe(1);
      expect(problems[0]!.line).toBe(3);
    }
  });

  it('reads a BOM and CRLF line ends as the same file', () => {
    const text = '\ufeff' + good().replace(/\n/g, '\r\n');
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
    expect(problems).toEqual([]);
  });

  it('refuses an alias bomb quickly, before expanding anything', () => {
    let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 30; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': good() + bomb });
    expect(problems.map((p) => [p.rule, p.message])).toEqual([['yaml-syntax', 'anchors are not allowed']]);
  });

  it('survives nesting far deeper than the parser allows, in maps and in lists', () => {
    const lists = good() + 'notes: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
    const maps = good() + 'notes: ' + '{a: '.repeat(5000) + '1' + '}'.repeat(5000) + '\n';
    for (const text of [lists, maps]) {
      const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
      expect(problems.map((p) => p.rule)).toEqual(['yaml-syntax']);
      expect(problems[0]!.line).toBe(text.split('\n').length - 1);
    }
  });

  it('keeps a __proto__ key an ordinary key: no prototype pollution', () => {
    const text = good().replace('category: plug\n', 'category: plug\n__proto__:\n  polluted: true\n');
    const { problems, files } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text });
    expect(problems.map((p) => p.message)).toEqual(['unknown property "__proto__"']);
    const data = files.find((f) => f.relPath === 'acme/widget.yaml')!.data as Record<string, unknown>;
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('shows a hostile file name and key without raw control characters in the output', () => {
    const name = 'acme/x\n::error file=a::forged\u001b[2J.yaml';
    const text = named('acme/widget').replace('category: plug', 'category: plug\n"k\\n::warning::forged": 1');
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), [name]: text });
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      const out = formatProblem(p);
      expect(out.split('\n').filter((l) => !l.startsWith('    hint: ')).length, out).toBe(1);
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    }
  });
});
