import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { canonicalText } from './canonical.js';
import { canonicalPlainText } from './canonical-plain.js';
import type { FileKind } from './load.js';
import { ROOT } from './project.js';

/** What the serializer path writes for the same data: canonicalText of a document made from it. */
const viaSerializer = (data: Record<string, unknown>, kind: FileKind) => canonicalText(new Document(data) as Document.Parsed, kind, true);

/** A small seeded generator, so that a failure repeats. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0; return s / 2 ** 32; };
}

// Text a draft holds (names, addresses, sentences), and text that needs quotes, escapes or a block, or reads as another type.
const usual = ['a', 'plug', 'x.y', '1.2.3.4', '2001:db8::1', 'a:b', 'a#b', '-a', 'Seen 3 times.', 'a (b), c', 'é', '\u2026', '_', '/'];
const pieces = ['a', 'Z', '0', '9', '1.5', '-', '?', ':', ': ', ' ', '#', ' #', '\t', '\n', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`',
  '---', '...', '~', 'null', 'NULL', 'true', 'False', '0x1F', '0o17', '1e5', '.inf', '-.Inf', '.nan', '+12', '\u2026', 'é', '\u0085', '\u2028', '\ufeff', '\u0000', '\u007f', '\ud800', 'x.y', '/', '\\', '=', '<'];

describe('canonicalPlainText', () => {
  it('writes what canonicalText writes, for the data of every device and vendor file it can write', () => {
    const devices = join(ROOT, 'devices');
    let written = 0;
    let files = 0;
    for (const vendor of readdirSync(devices)) {
      for (const name of readdirSync(join(devices, vendor))) {
        if (!name.endsWith('.yaml')) continue;
        const kind: FileKind = name === '_vendor.yaml' ? 'vendor' : 'device';
        const data = parseDocument(readFileSync(join(devices, vendor, name), 'utf8')).toJS() as Record<string, unknown>;
        files++;
        const plain = canonicalPlainText(data, kind);
        if (plain === null) continue;
        written++;
        expect(plain, `${vendor}/${name}`).toBe(viaSerializer(data, kind));
      }
    }
    // Files with multi-line notes or quoted text go to the serializer; most are written here.
    expect(files).toBeGreaterThan(300);
    expect(written / files).toBeGreaterThan(0.3);
  });

  it('writes what canonicalText writes for hostile strings, numbers and keys, or answers null', () => {
    const next = random(20261129);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    // One string in twenty is hostile, so that most documents hold one or none and each hostile piece is tried alone.
    const text = () => { const from = next() < 0.05 ? pieces : usual; return Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(from)).join(''); };
    const scalar = (): unknown => (next() < 0.95 ? text() : pick([0, -0, 443, 1.5, 2 ** 53, -7, true, false, null, Number.NaN]));
    let plainCount = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      const endpoint = (): Record<string, unknown> => {
        const e: Record<string, unknown> = { host: text(), protocol: pick(['tcp', 'udp', text()]), ports: [scalar(), scalar()], service: text(), purpose: scalar(), party: 'unknown', needs: { 'vendor-app': text(), 'home-assistant': 'unknown' }, evidence: [text(), text()], note: text() };
        if (next() < 0.05) e[pick(['x-extra', 'null', '0', 'Key', 'b c'])] = scalar();
        if (next() < 0.05) e.needs = {};
        return e;
      };
      const first = endpoint();
      const data: Record<string, unknown> = {
        notes: text(), id: `acme/${text()}`, name: text(), models: next() < 0.5 ? [text(), scalar()] : [], category: text(),
        endpoints: next() < 0.05 ? [first, first] : [first, endpoint()],
        evidence: [{ id: text(), type: 'dns-log', date: text(), source: `https://example.org/${text()}`, note: text() }],
      };
      const plain = canonicalPlainText(data, 'device');
      if (plain === null) continue;
      plainCount++;
      expect(plain, JSON.stringify(data)).toBe(viaSerializer(data, 'device'));
    }
    // Both answers happen: the comparison above ran on many documents, and hostile text was refused.
    expect(plainCount).toBeGreaterThan(runs / 40);
    expect(plainCount).toBeLessThan(runs);
  });

  it('writes what canonicalText writes for each hostile piece alone, at the top, nested and in a one-line list', () => {
    const evidence = (note: string) => [{ id: 'e', type: 'dns-log', date: '2024-01-02', source: 'https://example.org/x', note }];
    let compared = 0;
    for (const piece of pieces) {
      for (const value of [piece, `${piece}x`, `x${piece}`, `x${piece}y`]) {
        for (const data of [
          { id: 'acme/plug', name: value, category: 'plug', endpoints: [], evidence: evidence('n') },
          { id: 'acme/plug', name: 'Plug', category: 'plug', endpoints: [], evidence: evidence(value) },
          { id: 'acme/plug', name: 'Plug', models: [value, 'b'], category: 'plug', endpoints: [], evidence: evidence('n') },
        ]) {
          const plain = canonicalPlainText(data, 'device');
          if (plain === null) continue;
          compared++;
          expect(plain, JSON.stringify(value)).toBe(viaSerializer(data, 'device'));
        }
      }
    }
    expect(compared).toBeGreaterThan(pieces.length);
  });

  it('answers null for what it does not write itself: aliases, empty mappings, lists of lists, multi-line text', () => {
    const shared = { 'vendor-app': 'unknown' };
    const base = { id: 'acme/plug', name: 'Plug', category: 'plug', evidence: [] };
    expect(canonicalPlainText({ ...base, endpoints: [{ host: 'a.example', needs: shared }, { host: 'b.example', needs: shared }] }, 'device')).toBeNull();
    expect(canonicalPlainText({ ...base, endpoints: [{}] }, 'device')).toBeNull();
    expect(canonicalPlainText({ ...base, models: [['x']] }, 'device')).toBeNull();
    expect(canonicalPlainText({ ...base, notes: 'two\nlines' }, 'device')).toBeNull();
    expect(canonicalPlainText({ ...base, notes: undefined }, 'device')).toBeNull();
    expect(canonicalPlainText({ ...base, endpoints: [] }, 'device')).toBe(viaSerializer({ ...base, endpoints: [] }, 'device'));
  });
});
