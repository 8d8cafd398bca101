// The hostile-input suite of issue 12: every case the issue lists and more, each run as a user runs it (the bin,
// a child process with a time limit), and classified: a located error, a crash (a stack or exit 70), a hang, a
// silent wrong result (exit 0, or no message, where the input is wrong), or a lost file. The figure is printed
// and written to test-results/hostile.json; the suite fails on any crash, hang, silent wrong result or lost file.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, yamlOf } from '../lint/helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const BIN = join(ROOT, 'scripts/bin/netneeds.js');
const work = mkdtempSync(join(tmpdir(), 'netneeds-hostile-'));
afterAll(() => { spawnSync('chmod', ['-R', 'u+w', work]); rmSync(work, { recursive: true, force: true }); });

type Outcome = 'located' | 'crash' | 'hang' | 'silent' | 'lost' | 'ok';
interface Case {
  name: string;
  args: string[];
  /** Files below the case's devices folder. */
  tree?: Record<string, string | Buffer>;
  prepare?: (dir: string) => void;
  /** The message that must appear on stderr (or stdout for --json). */
  expect: RegExp;
  /** Expected exit code: non-zero for a refused input; 0 when the right answer is success with a warning. */
  code?: number;
  /** Files (below the case folder) that must come out byte-identical. */
  keep?: string[];
  timeout?: number;
}

const vendor = yamlOf(baseVendor(), 'vendor');
const device = (id = 'acme/widget') => yamlOf({ ...baseDevice(), id });
const withName = (name: string) => device().replace('name: Acme Widget', `name: ${name}`);
const withPorts = (ports: string) => device().replace('ports: [443]', `ports: [${ports}]`);
const manyKeys = () => { let s = device(); let i = 0; while (s.length < 958_000) s += `k${i++}: v\n`; return s; };
const manyDuplicates = () => device() + Array.from({ length: 70_000 }, (_, i) => `d${i % 35_000}: v`).join('\n') + '\n';
const bigList = () => device().replace('ports: [443]', `ports: [${Array.from({ length: 120_000 }, () => '0x1').join(', ')}]`);
const mud = (extra: string) => JSON.stringify({ 'ietf-mud:mud': { 'mud-version': 1, 'mud-url': 'https://example.com/x.json', 'last-update': '2024-01-01T00:00:00Z', 'cache-validity': 48, 'is-supported': true, 'systeminfo': 'x', 'mfg-name': 'Acme', 'model-name': 'X', 'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'a' }] } } }, 'ietf-access-control-list:acls': { acl: [] } }).replace('"mud-version"', `${extra}"mud-version"`);

const CASES: Case[] = [
  // data loss
  { name: 'build --out devices', args: ['build', '--out', '{dir}/devices'], expect: /refusing .*devices folder/, code: 1, keep: ['devices/acme/widget.yaml'] },
  { name: 'build --out . (the working folder)', args: ['build', '--out', '.'], expect: /refusing .*working folder/, code: 1, keep: ['devices/acme/widget.yaml'] },
  { name: 'build --out a folder a build did not make', args: ['build', '--out', '{dir}/thesis'], prepare: (d) => { mkdirSync(join(d, 'thesis')); writeFileSync(join(d, 'thesis/ch1.tex'), 'x'); }, expect: /a build did not make it/, code: 1, keep: ['thesis/ch1.tex'] },
  { name: 'build --out $HOME', args: ['build', '--out', process.env.HOME ?? '/root'], expect: /refusing .*home folder|holds/, code: 1 },
  { name: 'build --out /', args: ['build', '--out', '/'], expect: /refusing .*(root folder|holds)/, code: 1 },
  { name: 'fix on models: [08] (a value the schema refuses)', args: ['fix'], tree: { 'acme/widget.yaml': device().replace('category: plug', 'models: [08]\ncategory: plug') }, expect: /not rewritten/, code: 1, keep: ['devices/acme/widget.yaml'] },
  { name: 'fix on a read-only file', args: ['fix'], tree: { 'acme/widget.yaml': device().replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget') }, prepare: (d) => chmodSync(join(d, 'devices/acme/widget.yaml'), 0o444), expect: /read-only/, code: 1, keep: ['devices/acme/widget.yaml'] },
  { name: 'policy --out an existing file', args: ['policy', 'acme/widget=192.168.1.50', '--out', '{dir}/file'], prepare: (d) => writeFileSync(join(d, 'file'), 'mine'), expect: /is not a folder/, code: 1, keep: ['file'] },
  { name: 'policy --out through a dangling symlink', args: ['policy', 'acme/widget=192.168.1.50', '--out', '{dir}/dangle'], prepare: (d) => symlinkSync('/nonexistent/netneeds', join(d, 'dangle')), expect: /symbolic link to nothing/, code: 1 },
  { name: 'policy --out /proc/x (hung before)', args: ['policy', 'acme/widget=192.168.1.50', '--out', '/proc/netneeds-x'], expect: /\/proc\/netneeds-x: cannot make the folder/, code: 1 },
  // flags
  { name: 'fix --quiet', args: ['fix', '--quiet'], expect: /0 files rewritten/, code: 0 },
  { name: 'build --out without a value', args: ['build', '--out'], expect: /--out needs a value/, code: 2 },
  { name: 'build --skip without a value', args: ['build', '--skip'], expect: /--skip needs a value/, code: 2 },
  ...['validate', 'fix', 'build', 'policy', 'draft', 'new', 'import-mud', 'rules'].map((c): Case => ({ name: `${c} --frobnicate (a flag nobody defined)`, args: [c, '--frobnicate'], expect: /unknown option --frobnicate/, code: 2 })),
  // inputs named on the command line
  { name: 'validate /etc/passwd', args: ['validate', '/etc/passwd'], expect: /file-path: is not inside the devices folder/, code: 1 },
  { name: 'validate a mistyped file name', args: ['validate', '{dir}/devices/acme/widgte.yaml'], expect: /file-path: no such file/, code: 1 },
  { name: 'validate a folder named x.yaml', args: ['validate', '{dir}/devices/acme/x.yaml'], prepare: (d) => mkdirSync(join(d, 'devices/acme/x.yaml')), expect: /file-path: is a folder/, code: 1 },
  { name: 'validate a symlink', args: ['validate', '{dir}/devices/acme/link.yaml'], prepare: (d) => symlinkSync(join(d, 'devices/acme/widget.yaml'), join(d, 'devices/acme/link.yaml')), expect: /file-path: is a symbolic link/, code: 1 },
  { name: 'validate x.YAML', args: ['validate', '{dir}/devices/acme/x.YAML'], tree: { 'acme/x.YAML': device() }, expect: /end in \.yaml, in lower case/, code: 1 },
  { name: 'validate devices/x.yaml (too shallow)', args: ['validate', '{dir}/devices/x.yaml'], tree: { 'x.yaml': device() }, expect: /is not at devices\/<vendor>\/<model>\.yaml/, code: 1 },
  // files found by a full run
  { name: 'full run: devices/shelly/gen2/x.yaml (too deep)', args: ['validate'], tree: { 'shelly/gen2/x.yaml': device() }, expect: /gen2\/x\.yaml:1:1: file-path: is not at devices/, code: 1 },
  { name: 'full run: devices/x.yaml', args: ['validate'], tree: { 'x.yaml': device() }, expect: /x\.yaml:1:1: file-path: is not at devices/, code: 1 },
  { name: 'full run: a .YAML file', args: ['validate'], tree: { 'acme/y.YAML': device() }, expect: /y\.YAML:1:1: file-path: data files end in \.yaml/, code: 1 },
  { name: 'full run: a folder named x.yaml', args: ['validate'], prepare: (d) => mkdirSync(join(d, 'devices/acme/x.yaml')), expect: /x\.yaml:1:1: file-path: is a folder/, code: 1 },
  { name: 'full run: a symlinked device file', args: ['validate'], prepare: (d) => symlinkSync(join(d, 'devices/acme/widget.yaml'), join(d, 'devices/acme/link.yaml')), expect: /link\.yaml:1:1: file-path: is a symbolic link/, code: 1 },
  // values
  ...['0o777', '0x1F', '443.0', '1e3', '+443', '0443'].map((p): Case => ({ name: `port ${p}`, args: ['validate'], tree: { 'acme/widget.yaml': withPorts(p) }, expect: new RegExp(`widget\\.yaml:\\d+:\\d+: number-format: ${p.replace(/[+.]/g, '\\$&')} is read as`), code: 1 })),
  { name: 'a right-to-left override in a name', args: ['validate'], tree: { 'acme/widget.yaml': withName('"Acme \\u202Egdiw"') }, expect: /widget\.yaml:\d+:\d+: schema: name must be one line of text without control, invisible or text-direction/, code: 1 },
  { name: 'a raw right-to-left override in a name', args: ['validate'], tree: { 'acme/widget.yaml': withName('Acme \u202Egdiw') }, expect: /schema: name must be one line/, code: 1 },
  { name: 'fix on an escaped RTL override', args: ['fix'], tree: { 'acme/widget.yaml': withName('"Acme \\u202Egdiw"') }, expect: /not rewritten/, code: 1, keep: ['devices/acme/widget.yaml'] },
  { name: 'classic-Mac CR line endings', args: ['validate'], tree: { 'acme/widget.yaml': device().replace(/\n/g, '\r') }, expect: /widget\.yaml:1:1: canonical-format: line breaks are carriage returns/, code: 1 },
  { name: 'a zero-width space in a name', args: ['validate'], tree: { 'acme/widget.yaml': withName('"Acme\\u200BWidget"') }, expect: /schema: name must be one line/, code: 1 },
  // size and shape
  { name: '958 KB file with 70,000+ keys', args: ['validate'], tree: { 'acme/widget.yaml': manyKeys() }, expect: /too-many-problems: \d+ more problems/, code: 1, timeout: 120_000 },
  { name: '70,000 duplicate keys', args: ['validate'], tree: { 'acme/widget.yaml': manyDuplicates() }, expect: /yaml-syntax: Map keys must be unique/, code: 1, timeout: 120_000 },
  { name: '120,000 bad ports in one list', args: ['validate'], tree: { 'acme/widget.yaml': bigList() }, expect: /schema: ports lists the same item twice|too-many-problems|number-format/, code: 1, timeout: 120_000 },
  { name: 'a 2 MiB file', args: ['validate'], tree: { 'acme/widget.yaml': device() + `notes: "${'x'.repeat(2 * 1024 * 1024)}"\n` }, expect: /the limit is 1048576 bytes/, code: 1 },
  { name: 'invalid UTF-8', args: ['validate'], tree: { 'acme/widget.yaml': Buffer.concat([Buffer.from(device()), Buffer.from([0xff, 0xfe])]) }, expect: /invalid UTF-8 byte 0xff/, code: 1 },
  { name: 'an empty file', args: ['validate'], tree: { 'acme/widget.yaml': '' }, expect: /widget\.yaml:1:1: /, code: 1 },
  { name: 'NUL bytes', args: ['validate'], tree: { 'acme/widget.yaml': device().replace('Acme Widget', 'Acme\u0000Widget') }, expect: /widget\.yaml:\d+:\d+: /, code: 1 },
  { name: '10,000 nested lists', args: ['validate'], tree: { 'acme/widget.yaml': device() + `notes: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` }, expect: /widget\.yaml:\d+:\d+: /, code: 1 },
  // policy addresses
  { name: 'policy roborock/s50=0.0.0.0/0', args: ['policy', 'acme/widget=0.0.0.0/0'], expect: /is a network, not one device's address/, code: 2 },
  { name: 'policy with 0.0.0.0', args: ['policy', 'acme/widget=0.0.0.0'], expect: /unspecified address/, code: 2 },
  { name: 'policy with 255.255.255.255', args: ['policy', 'acme/widget=255.255.255.255'], expect: /broadcast address/, code: 2 },
  { name: 'policy with a public address warns', args: ['policy', 'acme/widget=8.8.8.8'], expect: /warning: address of acme\/widget 8\.8\.8\.8 is a public address/, code: 0 },
  { name: 'policy =a=b', args: ['policy', 'acme/widget=192.168.1.5=192.168.1.6'], expect: /more than one "="/, code: 2 },
  { name: 'policy with a non-canonical address', args: ['policy', 'acme/widget=192.168.001.050'], expect: /not an IP address|not in canonical form/, code: 2 },
  // import
  { name: 'import-mud /dev/zero (grew to 16 GB before)', args: ['import-mud', '--id', 'acme/x', '/dev/zero'], expect: /\/dev\/zero: is a device, not a file/, code: 1 },
  { name: 'import-mud a FIFO (blocked forever before)', args: ['import-mud', '--id', 'acme/x', '{dir}/fifo'], prepare: (d) => { spawnSync('mkfifo', [join(d, 'fifo')]); }, expect: /is a FIFO/, code: 1 },
  { name: 'import-mud a folder', args: ['import-mud', '--id', 'acme/x', '{dir}'], expect: /is a folder, not a file/, code: 1 },
  { name: 'import-mud a 5 MiB file', args: ['import-mud', '--id', 'acme/x', '{dir}/big.json'], prepare: (d) => writeFileSync(join(d, 'big.json'), ' '.repeat(5 * 1024 * 1024)), expect: /is read up to 4194304 bytes/, code: 1 },
  { name: 'import-mud with a __proto__ key', args: ['import-mud', '--id', 'acme/x', '--dry-run', '{dir}/p.json'], prepare: (d) => writeFileSync(join(d, 'p.json'), mud('"__proto__": {"x": 1}, ')), expect: /ietf-mud:mud\/__proto__: is not a MUD field/, code: 1 },
  { name: 'import-mud with a constructor key', args: ['import-mud', '--id', 'acme/x', '--dry-run', '{dir}/c.json'], prepare: (d) => writeFileSync(join(d, 'c.json'), mud('"constructor": 7, ')), expect: /ietf-mud:mud\/constructor: is not a MUD field/, code: 1 },
  { name: 'import-mud not JSON', args: ['import-mud', '--id', 'acme/x', '{dir}/n.json'], prepare: (d) => writeFileSync(join(d, 'n.json'), '{'), expect: /is not JSON/, code: 1 },
  { name: 'draft a FIFO', args: ['draft', '{dir}/fifo2', '--device', '192.168.1.5'], prepare: (d) => { spawnSync('mkfifo', [join(d, 'fifo2')]); }, expect: /is not a regular file/, code: 1 },
  { name: 'draft a missing log', args: ['draft', '{dir}/nope.log', '--device', '192.168.1.5'], expect: /no such file/, code: 1 },
  { name: 'draft --device not an address', args: ['draft', '/etc/hostname', '--device', 'vacuum'], expect: /neither an IP address nor a MAC address/, code: 2 },
  { name: 'new --vendor with spaces', args: ['new', '--vendor', 'Acme Corp', '--model', 'x', '--category', 'plug'], expect: /lower-case slug \(try acme-corp\)/, code: 2 },
];

interface Result { name: string; outcome: Outcome; detail: string; seconds: number }
const results: Result[] = [];

function runCase(c: Case, index: number): Result {
  const dir = join(work, `case-${index}`);
  mkdirSync(join(dir, 'devices/acme'), { recursive: true });
  writeFileSync(join(dir, 'devices/acme/_vendor.yaml'), vendor);
  const tree = { 'acme/widget.yaml': device(), ...c.tree };
  for (const [rel, content] of Object.entries(tree)) { mkdirSync(dirname(join(dir, 'devices', rel)), { recursive: true }); writeFileSync(join(dir, 'devices', rel), content); }
  c.prepare?.(dir);
  const kept = new Map((c.keep ?? []).map((rel) => [rel, readFileSync(join(dir, rel))]));
  const args = c.args.map((a) => a.replace('{dir}', dir));
  const start = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: c.timeout ?? 60_000, env: { ...process.env, NETNEEDS_DEVICES: join(dir, 'devices') }, maxBuffer: 64 * 1024 * 1024 });
  const seconds = (Date.now() - start) / 1000;
  const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const result = (outcome: Outcome, detail: string): Result => ({ name: c.name, outcome, detail, seconds });
  for (const [rel, bytes] of kept) {
    if (!existsSync(join(dir, rel)) || !readFileSync(join(dir, rel)).equals(bytes)) return result('lost', `${rel} changed or vanished`);
  }
  if (!existsSync(join(dir, 'devices/acme/_vendor.yaml'))) return result('lost', 'devices/ was touched');
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return result('hang', `no end after ${seconds}s`);
  if (/\n\s+at .+[(:]\d+|internal error/.test(text) || r.status === 70 || r.signal) return result('crash', text.slice(0, 300));
  if (r.status === 0 && (c.code ?? 1) !== 0) return result('silent', `exit 0: ${text.slice(0, 200)}`);
  if (!c.expect.test(text)) return result(r.status === 0 ? 'silent' : 'located', `exit ${r.status}; message not as expected: ${text.slice(0, 300)}`);
  if (c.code !== undefined && r.status !== c.code) return result('located', `exit ${r.status}, expected ${c.code}`);
  const lines = text.split('\n').length;
  if (lines > 2000) return result('silent', `${lines} lines of messages`);
  return result(c.code === 0 ? 'ok' : 'located', '');
}

describe('hostile inputs', () => {
  it(`${CASES.length} cases: no crash, no hang, no silent wrong result, no lost file`, { timeout: 1_800_000 }, () => {
    CASES.forEach((c, i) => results.push(runCase(c, i)));
    const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
    const figure = {
      cases: results.length, located: count('located'), 'correct with a warning': count('ok'), crashes: count('crash'), hangs: count('hang'),
      'silent wrong results': count('silent'), 'files lost': count('lost'), 'slowest case (s)': Math.max(...results.map((r) => r.seconds)),
    };
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    writeFileSync(join(ROOT, 'test-results/hostile.json'), JSON.stringify({ figure, results }, null, 2) + '\n');
    process.stdout.write(`\nhostile-input figure:\n${Object.entries(figure).map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join('\n')}\n`);
    const bad = results.filter((r) => ['crash', 'hang', 'silent', 'lost'].includes(r.outcome) || r.detail);
    expect(bad.map((r) => `${r.outcome}: ${r.name}: ${r.detail}`)).toEqual([]);
    expect(statSync(work).isDirectory()).toBe(true);
    expect(readdirSync(join(work, 'case-0/devices/acme')).sort()).toEqual(['_vendor.yaml', 'widget.yaml']);
  });
});
