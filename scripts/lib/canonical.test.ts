import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { canonicalText, isCanonicalAsIs, MODELINES } from './canonical.js';
import { listDataFiles, type FileKind } from './load.js';
import { FIXTURES } from '../../test/lint/helpers.js';
import { ROOT } from './project.js';
import { writeSyntheticTree } from '../bench/synthetic.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const canon = (text: string, kind: FileKind = 'device') => canonicalText(parseDocument(text), kind);

const MESSY = `# my notes about this device
category: plug   # sold as a plug
evidence:
  - source: https://example.org/x
    id: capture
    type: packet-capture
    date: 2024-03-01
endpoints:
  - evidence: [capture]
    needs: {home-assistant: unknown, vendor-app: required}
    host: b.example.com
    ports: ["8000-9000", 443, 80]
    protocol: tcp
    service: https
    purpose: cloud-control
    party: first
  # the group comes first in canonical order
  - group: acme/cloud
    evidence: [capture]
  - address: 9.9.9.9
    protocol: udp
    ports: [53]
    service: dns
    purpose: dns
    party: third
    needs: {vendor-app: unknown, home-assistant: unknown}
    evidence: [capture]
aliases: [acme/z, acme/a]
name: Acme Widget
id: acme/widget
notes: "two\\nlines"
`;

describe('canonicalText', () => {
  const once = canon(MESSY);

  it('puts the modeline first and keys in schema order', () => {
    const keys = once.split('\n').filter((l) => /^[a-z-]+:/.test(l)).map((l) => l.split(':')[0]);
    expect(once.split('\n')[0]).toBe(MODELINES.device);
    expect(keys).toEqual(['id', 'name', 'aliases', 'category', 'endpoints', 'evidence', 'notes']);
    expect(once).toMatch(/ {4}protocol: tcp\n {4}ports: \[80, 443, 8000-9000\]\n {4}service: https/);
  });

  it('sorts lists: group uses, then hosts, then addresses; ports by number; string lists by name', () => {
    const order = once.split('\n').filter((l) => /^ {2}- (group|host|address):/.test(l)).map((l) => l.trim());
    expect(order).toEqual(['- group: acme/cloud', '- host: b.example.com', '- address: 9.9.9.9']);
    expect(once).toContain('aliases: [acme/a, acme/z]');
  });

  it('puts any-destination endpoints after addresses, by protocol then first port', () => {
    const any = (protocol: string, port: number) => `  - any-destination: true\n    protocol: ${protocol}\n    ports: [${port}]\n    service: x\n    purpose: unknown\n    party: unknown\n    needs: {vendor-app: unknown, home-assistant: unknown}\n    evidence: [capture]\n`;
    const text = MESSY.replace('endpoints:\n', `endpoints:\n${any('udp', 3478)}${any('tcp', 9998)}${any('tcp', 443)}`);
    const order = canon(text).split('\n').filter((l) => /^ {2}- (group|host|address|any-destination):/.test(l) || /^ {4}ports:/.test(l)).map((l) => l.trim());
    expect(order).toEqual([
      '- group: acme/cloud', '- host: b.example.com', 'ports: [80, 443, 8000-9000]', '- address: 9.9.9.9', 'ports: [53]',
      '- any-destination: true', 'ports: [443]', '- any-destination: true', 'ports: [9998]', '- any-destination: true', 'ports: [3478]',
    ]);
  });

  it('writes mappings in block style, scalar lists in flow style, multi-line text as a literal block', () => {
    expect(once).toContain('    needs:\n      vendor-app: required\n      home-assistant: unknown');
    expect(once).toContain('notes: |-\n  two\n  lines');
  });

  it('keeps comments', () => {
    expect(once).toContain('# my notes about this device');
    expect(once).toContain('# sold as a plug');
    expect(once).toContain('# the group comes first in canonical order');
  });

  it('is idempotent', () => {
    expect(canon(once)).toBe(once);
  });

  it('replaces a wrong modeline instead of stacking a second one', () => {
    const text = canon(`${MODELINES.vendor}\n${MESSY}`);
    expect(text.split('\n').filter((l) => l.includes('yaml-language-server'))).toEqual([MODELINES.device]);
    expect(text).toBe(once);
  });

  it('leaves every pass fixture unchanged, and is idempotent on every fail fixture it can read', () => {
    for (const sub of ['pass', 'fail']) {
      const dir = join(FIXTURES, sub);
      for (const rel of listDataFiles(dir)) {
        const text = readFileSync(join(dir, rel), 'utf8');
        const doc = parseDocument(text, { uniqueKeys: true });
        if (doc.errors.length || /[&*]\w|!/.test(text)) continue;
        const kind: FileKind = rel.endsWith('/_vendor.yaml') ? 'vendor' : 'device';
        const first = canonicalText(doc, kind);
        if (sub === 'pass') expect(first, rel).toBe(text);
        expect(canon(first, kind), rel).toBe(first);
      }
    }
  });

  it('does not change the document it is given', () => {
    const doc = parseDocument(MESSY);
    const before = String(doc);
    canonicalText(doc, 'device');
    expect(String(doc)).toBe(before);
  });
});

describe('isCanonicalAsIs', () => {
  const parse = (text: string) => parseDocument(text, { uniqueKeys: false, strict: true, prettyErrors: false, version: '1.2' });
  /** Every file of these trees, as is and with small changes to its layout. */
  function* cases(dirs: string[]): Generator<[string, string, FileKind, boolean]> {
    let n = 0;
    for (const dir of dirs) {
      for (const rel of listDataFiles(dir)) {
        const text = readFileSync(join(dir, rel), 'utf8');
        const kind: FileKind = rel.endsWith('/_vendor.yaml') ? 'vendor' : 'device';
        yield [rel, text, kind, true];
        if (n++ % 8) continue; // the changed layouts of one file in eight
        const lines = text.split('\n');
        const variants = [
          text.replace(/\n$/, ''), text + '\n', text.replace('\n', '\n# a comment\n'), text.replace(/: /, ':  '), text.replace(/\[(\d+)\]/, '[ $1 ]'),
          text.replace(/\n {2}- /, '\n  -  '), text.replace(/\n {4}/, '\n     '), text.replace(/(\n\w[\w-]*: )([a-z][\w .-]*)\n/, "$1'$2'\n"),
          lines.length > 3 ? [...lines.slice(0, 2), lines[3], lines[2], ...lines.slice(4)].join('\n') : text,
          text.replace(/ports: \[(\d+)\]/, 'ports: [$1, 1]'), text.replace(/\n {2}- /, '\n\n  - '), text.replace(/(id: \S+)\n/, '$1 # note\n'),
        ];
        for (const v of variants) if (v !== text) yield [`${rel} (changed)`, v, kind, false];
      }
    }
  }

  // Writes out several hundred files the slow way, to compare: minutes on a busy machine.
  it('accepts only what canonicalText writes, and accepts the dataset and synthetic files as they are', { timeout: 600_000 }, () => {
    const synthetic = mkdtempSync(join(tmpdir(), 'netneeds-canonical-'));
    try {
      writeSyntheticTree(synthetic, { devices: 40, vendors: 3, seed: 9 });
      let accepted = 0;
      let originals = 0;
      for (const [rel, text, kind, original] of cases([join(ROOT, 'devices'), synthetic, join(FIXTURES, 'pass')])) {
        const doc = parse(text);
        if (doc.errors.length) continue;
        const fast = isCanonicalAsIs(doc, kind, text);
        if (fast) expect(canonicalText(doc, kind), rel).toBe(text); // never a wrong "yes"
        if (original) { originals++; if (fast) accepted++; }
      }
      // Every file as committed is canonical (validate checks it); most are recognised without being written out.
      expect(accepted).toBeGreaterThan(originals * 0.8);
    } finally {
      rmSync(synthetic, { recursive: true, force: true });
    }
  });
});
