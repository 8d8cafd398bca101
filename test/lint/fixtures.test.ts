// Fixture trees (see test/fixtures/lint/README.md): every pass file is clean; every fail file fails with exactly what it declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDataFiles } from '../../scripts/lib/load.js';
import { readSchema } from '../../scripts/lib/schemas.js';
import { lint, RULES } from '../../scripts/lint/index.js';
import { asArray, isRecord } from '../../scripts/lib/walk.js';
import { brief, FIXTURES, TODAY } from './helpers.js';

const PASS = join(FIXTURES, 'pass');
const FAIL = join(FIXTURES, 'fail');
const EXPECT = /^# expect: ([a-z-]+)( warning)? line (\d+)$/;

interface Expected { rule: string; line: number; severity: 'error' | 'warning' }

/** The `# expect:` lines of a fixture's leading comment block. */
function expectations(rel: string): Expected[] {
  const out: Expected[] = [];
  for (const line of readFileSync(join(FAIL, rel), 'utf8').split('\n')) {
    if (!line.startsWith('#')) break;
    const m = EXPECT.exec(line);
    if (m) out.push({ rule: m[1]!, line: Number(m[3]), severity: m[2] ? 'warning' : 'error' });
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/** acme/_vendor.yaml is valid: it holds the group the fail fixtures refer to. Every other file is a fail fixture. */
const SUPPORT = ['acme/_vendor.yaml'];
const failFiles = listDataFiles(FAIL).filter((rel) => !SUPPORT.includes(rel));

describe('pass fixtures', () => {
  const result = lint(PASS, { today: TODAY, displayBase: PASS });

  it('have no problems at all, warnings included', () => {
    expect(result.checked).toBe(listDataFiles(PASS).length);
    expect(result.problems).toEqual([]);
  });

  // Every key the schemas define appears in some pass fixture, so that "the format passes" is tested whole.
  it('use every property the device, vendor and common schemas define', () => {
    const defined = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) { node.forEach(collect); return; }
      if (!isRecord(node)) return;
      if (isRecord(node.properties)) for (const k of Object.keys(node.properties)) defined.add(k);
      Object.values(node).forEach(collect);
    };
    for (const name of ['common.schema.json', 'device.schema.json', 'vendor.schema.json']) collect(readSchema(name));
    const used = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) { node.forEach(walk); return; }
      if (!isRecord(node)) return;
      for (const [k, v] of Object.entries(node)) { used.add(k); walk(v); }
    };
    for (const f of result.files) walk(f.data);
    expect([...defined].filter((k) => !used.has(k))).toEqual([]);
  });

  it('exercise the parts of the format the issue lists', () => {
    const devices = result.files.filter((f) => f.kind === 'device').map((f) => f.data as Record<string, unknown>);
    const vendors = result.files.filter((f) => f.kind === 'vendor').map((f) => f.data as Record<string, unknown>);
    const endpoints = [...devices, ...vendors.flatMap((v) => asArray(v.groups) as Record<string, unknown>[])]
      .flatMap((d) => asArray(d.endpoints) as Record<string, unknown>[]);
    const flows = devices.flatMap((d) => asArray(d.local) as Record<string, unknown>[]);
    const addresses = endpoints.map((e) => e.address).filter((a): a is string => typeof a === 'string');
    const claimLists = endpoints.flatMap((e) => (isRecord(e.needs) ? Object.values(e.needs) : [])).filter(Array.isArray) as { verdict: string }[][];
    const evidence = [...devices, ...vendors].flatMap((d) => asArray(d.evidence) as Record<string, unknown>[]);
    const blocked = devices.map((d) => d['when-blocked']).filter(isRecord);

    expect(endpoints.some((e) => typeof e.group === 'string'), 'group reference').toBe(true);
    expect(endpoints.some((e) => typeof e.host === 'string' && e.host.startsWith('*.')), 'wildcard host').toBe(true);
    expect(addresses.some((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)), 'IPv4').toBe(true);
    expect(addresses.some((a) => a.includes(':') && !a.includes('/')), 'IPv6').toBe(true);
    expect(addresses.some((a) => a.includes('/')), 'CIDR').toBe(true);
    expect(endpoints.concat(flows).some((e) => asArray(e.ports).some((p) => typeof p === 'string')), 'port range').toBe(true);
    expect(claimLists.some((claims) => new Set(claims.map((c) => c.verdict)).size > 1), 'disagreeing claims').toBe(true);
    expect(flows.some((f) => f.to === 'multicast' && typeof f.group === 'string'), 'multicast with group').toBe(true);
    expect(blocked.some((b) => asArray(b.internet).length > 1 && isRecord(b['reject-or-drop'])), 'when-blocked reports and reject-or-drop').toBe(true);
    expect(evidence.some((e) => 'date' in e) && evidence.some((e) => 'accessed' in e && !('date' in e)), 'date vs accessed').toBe(true);
    expect(devices.some((d) => asArray(d.aliases).length > 0), 'aliases').toBe(true);
    const protocols = new Set(endpoints.concat(flows).map((e) => e.protocol).filter((p) => p !== undefined));
    expect([...protocols].sort()).toEqual(['icmp', 'icmpv6', 'tcp', 'tcp+udp', 'udp', 'unknown']);
  });
});

describe('fail fixtures', () => {
  it('each declare what they must fail with; the support file declares nothing and is clean', () => {
    expect(failFiles.length).toBeGreaterThan(40);
    for (const rel of failFiles) expect(expectations(rel).length, rel).toBeGreaterThan(0);
    expect(lint(FAIL, { only: SUPPORT, today: TODAY }).problems).toEqual([]);
  });

  it('cover every rule, and the YAML reader', () => {
    const covered = new Set(failFiles.flatMap((rel) => expectations(rel).map((e) => e.rule)));
    expect([...RULES.map((r) => r.name), 'yaml-syntax'].filter((r) => !covered.has(r))).toEqual([]);
  });

  it.each(failFiles)('%s fails with exactly what it declares (checked alone)', (rel) => {
    const { problems, checked } = lint(FAIL, { only: [rel], today: TODAY, displayBase: FAIL });
    expect(checked).toBe(1);
    expect(brief(problems)).toEqual(expectations(rel));
  });

  it('all fail in one run, each with its own problems only: the other files are still checked', () => {
    const { problems, checked } = lint(FAIL, { today: TODAY, displayBase: FAIL });
    expect(checked).toBe(listDataFiles(FAIL).length);
    for (const rel of failFiles) expect(brief(problems.filter((p) => p.file === rel)), rel).toEqual(expectations(rel));
    expect(problems.filter((p) => !failFiles.includes(p.file))).toEqual([]);
  });
});
