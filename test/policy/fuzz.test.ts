// Device data is untrusted: random valid devices carrying hostile free text must still give files every checker
// accepts, with none of the hostile text in a rule; hostile values in rule-bound fields must be refused by the
// validator, and by the generator itself if they ever got past it.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { canonicalText } from '../../scripts/lib/canonical.js';
import { lint } from '../../scripts/lint/index.js';
import { build, writeOutput } from '../../scripts/build/index.js';
import { everyPolicyFile } from './every-policy.js';
import { generate } from '../../scripts/policy/index.js';
import { PolicyError, PROFILES } from '../../scripts/policy/plan.js';
import type { Dataset } from '../../scripts/build/types.js';
import { checkAll } from './checkers.js';

function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

/** Free text that tries to break out of every syntax the formats use; each carries a marker to search for. */
const HOSTILE_TEXT = [
  'ZZMARK"; flush ruleset; #',
  "ZZMARK' $(reboot) `id` ${HOME}",
  'ZZMARK } chain x { accept }',
  'ZZMARK\nnftset=/evil.example.com/4#inet#netneeds#d1_s1_n4\n-A FORWARD -j ACCEPT\n/system reboot',
  'ZZMARK\\n||evil.example.com^ ! 0.0.0.0 evil.example.com',
  'ZZMARK <script>alert(1)</script> & "quotes" \'single\'',
  `ZZMARK ${'x'.repeat(280)}`,
];

/** Values for fields that reach rules verbatim; the validator must refuse every one. */
const HOSTILE_HOSTS = [
  'evil.example.com/4#inet#x#y', 'a.example.com\nnftset=/b/', 'a.example.com; reboot', 'a"b.example.com', '$(id).example.com',
  'a b.example.com', `${'a'.repeat(64)}.example.com`, `${'a.'.repeat(130)}com`, '*.*.example.com', 'ex*.example.com', 'localhost', '{a,b}.example.com',
  'A.Example.com', 'a.example.com.', 'ünicode.example.com', '-lead.example.com', 'a..example.com',
];
const HOSTILE_ADDRESSES = ['10.0.0.1', '192.168.1.0/24', '1.2.3.4/33', '1.2.3.4; reboot', '::ffff:1.2.3.4', '1.2.3.4\n5.6.7.8', '2001:DB8::1', '224.0.0.251', '1.2.3.0/16'];
const HOSTILE_PORTS: unknown[] = [[0], [70000], ['1-99999'], ['443; reboot'], ['2000-1000'], [443, 443]];

function label(rand: () => number, max = 63): string {
  const n = 1 + Math.floor(rand() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 36)];
  return s;
}

function randomDevice(rand: () => number, vendor: string, i: number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const verdict = () => pick(['required', 'not-required', 'setup-only', 'unknown']);
  const text = () => pick(HOSTILE_TEXT);
  const line = () => text().replace(/\n/g, ' ').slice(0, 300);
  const endpoints: Record<string, unknown>[] = [];
  const n = 3 + Math.floor(rand() * 8);
  for (let k = 0; k < n; k++) {
    const kind = pick(['host', 'host', 'wildcard', 'v4', 'v6', 'cidr4', 'cidr6', 'long', 'any']);
    const dest: Record<string, string | boolean> =
      kind === 'any' ? { 'any-destination': true }
        : kind === 'host' ? { host: `${label(rand, 12)}.${label(rand, 10)}.example.com` }
        : kind === 'long' ? { host: `${label(rand, 63).replace(/^-|-$/g, 'a')}.${label(rand, 63)}.${label(rand, 63)}.example.org` }
          : kind === 'wildcard' ? { host: `*.${label(rand, 10)}.example.net` }
            : kind === 'v4' ? { address: `${pick([8, 9, 23, 52, 104, 151])}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${1 + Math.floor(rand() * 250)}` }
              : kind === 'v6' ? { address: `2a00:1450:${Math.floor(rand() * 0xffff).toString(16)}::${(1 + Math.floor(rand() * 0xfff)).toString(16)}` }
                : kind === 'cidr4' ? { address: `${pick([8, 23, 52])}.${Math.floor(rand() * 255)}.0.0/16` }
                  : { address: `2a03:2880:${Math.floor(rand() * 0xffff).toString(16)}::/48` };
    // An any-destination entry must name its protocol: validation refuses one that would allow everything.
    const protocol = pick(kind === 'any' ? ['tcp', 'udp', 'tcp+udp', 'icmp'] : ['tcp', 'tcp', 'udp', 'tcp+udp', 'icmp', 'icmpv6', 'unknown']);
    const ports = protocol === 'icmp' || protocol === 'icmpv6' || protocol === 'unknown' ? undefined
      : rand() < 0.2 ? Array.from({ length: 20 }, (_, j) => 20000 + j * 3) // more than one multiport rule holds
        : rand() < 0.3 ? [443, '10000-10100'] : [pick([443, 8883, 123, 1883, 8443])];
    endpoints.push({
      ...dest, 'reported-name': line(), protocol, ...(ports ? { ports } : {}), service: pick(['https', 'mqtt', 'ntp', 'stun', 'custom']),
      purpose: pick(['cloud-control', 'telemetry', 'time', 'unknown']), party: pick(['first', 'third', 'unknown']),
      needs: { 'vendor-app': verdict(), 'home-assistant': verdict() }, evidence: ['e1'], note: text(),
    });
  }
  const local = [
    { from: 'home-assistant', to: 'device', protocol: 'tcp', ports: [pick([80, 6668, 8080])], service: 'http', purpose: 'local-control' },
    { from: 'device', to: 'multicast', group: pick(['224.0.0.251', 'ff02::fb']), protocol: 'udp', ports: [5353], service: 'mdns', purpose: 'discovery' },
    { from: 'device', to: pick(['lan', 'same-manufacturer', 'controller', 'broadcast']), protocol: pick(['udp', 'tcp', 'unknown']), ports: [pick([5683, 9999])], service: 'coap', purpose: 'local-control' },
  ].map((f) => ({ ...f, ...(f.protocol === 'unknown' ? { ports: undefined } : {}), needs: { 'vendor-app': verdict(), 'home-assistant': verdict() }, evidence: ['e1'], note: text() }))
    .map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);
  return {
    id: `${vendor}/model-${i}`, name: line(), models: [line()], category: 'plug',
    apps: [line()], endpoints, local,
    'when-blocked': { 'reject-or-drop': { advice: pick(['reject', 'either', 'unknown']), note: text(), evidence: ['e1'] } },
    evidence: [{ id: 'e1', type: 'blocking-test', date: '2024-05-01', source: 'https://example.org/fuzz', title: line(), quote: 'Blocked each destination and noted what kept working.', note: text() }],
    notes: text(),
  };
}

function writeDevice(dir: string, vendor: string, device: Record<string, unknown>): string {
  mkdirSync(join(dir, vendor), { recursive: true });
  writeFileSync(join(dir, vendor, '_vendor.yaml'), `# yaml-language-server: $schema=../../schema/vendor.schema.json\nid: ${vendor}\nname: Fuzz vendor\n`);
  const model = (device.id as string).split('/')[1]!;
  const path = join(dir, vendor, `${model}.yaml`);
  writeFileSync(path, canonicalText(parseDocument(stringify(device)), 'device'));
  return path;
}

const work = mkdtempSync(join(tmpdir(), 'netneeds-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('policy generator under hostile data', () => {
  it.each([1, 2])('round %i: random valid devices with hostile text give checked files without that text in rules', async (seed) => {
    const rand = prng(seed * 7919);
    const dir = join(work, `tree-${seed}`);
    for (let i = 0; i < 6; i++) writeDevice(dir, 'fuzz', randomDevice(rand, 'fuzz', i));
    const problems = lint(dir).problems.filter((p) => p.severity === 'error');
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.rule}: ${p.message}`)).toEqual([]);
    const built = await build(dir, []);
    if ('errors' in built) throw new Error(built.errors.join('\n'));
    const result = { dataset: built.dataset, files: everyPolicyFile(built.dataset) };
    expect(result.dataset.devices.some((d) => d.endpoints.some((e) => e.kind === 'any'))).toBe(true);
    const out = join(work, `out-${seed}`);
    const own = result.files.filter((f) => !f.path.startsWith('site/'));
    writeOutput(out, own);

    // A multi-device policy with addresses and MACs, through the same entry point the CLI uses.
    const multi = generate(result.dataset, {
      devices: result.dataset.devices.map((d, i) => ({ id: d.id, addresses: [`192.168.7.${10 + i}`, `fd00::${i + 1}`], macs: [`02:00:00:00:00:${(16 + i).toString(16)}`] })),
      homeAssistant: ['192.168.7.2', 'fd00::2'], profile: 'both', unknown: 'deny', refuse: 'reject',
    });
    for (const { file } of multi.files) {
      const target = join(out, 'multi', file.name === 'mud.json' || file.name.endsWith('.mud.json') ? file.name.replace(/^(.*)\.mud\.json$/, '$1.json') : `netneeds.${file.name}`);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, file.content);
    }
    const paths = [...own.map((f) => join(out, f.path)), ...multi.files.map(({ file }) => join(out, 'multi', file.name.endsWith('mud.json') ? file.name.replace(/^(.*)\.mud\.json$/, '$1.json') : `netneeds.${file.name}`))];
    const report = checkAll(paths);
    expect(report.failures).toEqual([]);
    expect(report.checked).toBe(paths.length);

    for (const p of paths) {
      const text = readFileSync(p, 'utf8');
      if (p.endsWith('.json') && !p.endsWith('opnsense-aliases.json')) {
        const mud = JSON.parse(text) as { 'ietf-mud:mud': { systeminfo: string } };
        expect(result.dataset.devices.map((d) => d.name)).toContain(mud['ietf-mud:mud'].systeminfo); // carried intact, as a JSON string
      } else {
        expect(text, p).not.toContain('ZZMARK');
        expect(text, p).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/);
      }
    }
  }, 300_000);

  it('the validator refuses every hostile value in a field that reaches rules', () => {
    const rand = prng(99);
    const cases: [string, (e: Record<string, unknown>) => void][] = [
      ...HOSTILE_HOSTS.map((h): [string, (e: Record<string, unknown>) => void] => [`host ${JSON.stringify(h)}`, (e) => { delete e.address; e.host = h; }]),
      ...HOSTILE_ADDRESSES.map((a): [string, (e: Record<string, unknown>) => void] => [`address ${JSON.stringify(a)}`, (e) => { delete e.host; e.address = a; }]),
      ...HOSTILE_PORTS.map((p): [string, (e: Record<string, unknown>) => void] => [`ports ${JSON.stringify(p)}`, (e) => { e.protocol = 'tcp'; e.ports = p; }]),
      ['service "https; reboot"', (e) => { e.service = 'https; reboot'; }],
      ['any-destination with protocol unknown', (e) => { delete e.host; delete e.address; delete e.ports; e['any-destination'] = true; e.protocol = 'unknown'; }],
      ['any-destination over udp without ports', (e) => { delete e.host; delete e.address; delete e.ports; e['any-destination'] = true; e.protocol = 'udp'; }],
      ['any-destination: "yes"', (e) => { delete e.host; delete e.address; e['any-destination'] = 'yes'; }],
      ['any-destination beside a host', (e) => { delete e.address; e.host = 'a.example.com'; e['any-destination'] = true; }],
    ];
    const accepted: string[] = [];
    cases.forEach(([what, mutate], i) => {
      const dir = join(work, `hostile-${i}`);
      const device = randomDevice(rand, 'fuzz', 0);
      mutate((device.endpoints as Record<string, unknown>[])[0]!);
      writeDevice(dir, 'fuzz', device);
      if (!lint(dir).problems.some((p) => p.severity === 'error')) accepted.push(what);
    });
    expect(accepted).toEqual([]);
  });

  it('the generator itself refuses a hostile host that bypassed validation', () => {
    const device = { id: 'x/y', endpoints: [{ destination: 'a.example.com;reboot', kind: 'host', protocol: 'tcp', ports: [{ from: 443, to: 443 }], service: 'https', needs: { 'vendor-app': { verdict: 'required' }, 'home-assistant': { verdict: 'required' } } }], local: [], derived: { refuseWith: 'unknown' } };
    const dataset = { devices: [device] } as unknown as Dataset;
    expect(() => generate(dataset, { devices: [{ id: 'x/y' }], profile: 'both', unknown: 'allow' })).toThrow(PolicyError);
    expect(() => generate(dataset, { devices: [{ id: 'x/y', addresses: ['1.2.3.4; reboot'] }], profile: 'both', unknown: 'allow' })).toThrow(PolicyError);
    expect(() => generate(dataset, { devices: [{ id: 'x/y', macs: ['aa:bb:cc:dd:ee:ff;'] }], profile: 'both', unknown: 'allow' })).toThrow(PolicyError);
    expect(PROFILES).toHaveLength(3);
  });
});
