import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lint } from '../../lint/index.js';
import { ROOT } from '../../lib/project.js';
import { importMud, parseMudText } from './index.js';
import { MudError, readMud } from './read.js';
import { convertProfile } from './convert.js';

const FIXTURES = join(ROOT, 'test/fixtures/mud');
const SHARED = join(ROOT, '../shared/data/mud');
const fixture = (name: string) => parseMudText(readFileSync(join(FIXTURES, name), 'utf8'), name);

const dirs: string[] = [];
const tempDevices = () => { const d = mkdtempSync(join(tmpdir(), 'netneeds-mud-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function errorsOf(dir: string) {
  return lint(dir, { today: '2026-01-01' }).problems.filter((p) => p.severity === 'error').map((p) => `${p.file}:${p.line}: ${p.rule}: ${p.message}`);
}

describe('reading MUD files', () => {
  it('reads the final RFC shape', () => {
    const p = fixture('rfc-shape.json');
    expect(p.shape).toBe('rfc8520');
    expect(p.date).toBe('2020-03-04');
    expect(p.mfgName).toBe('Fixture Lights');
    expect(p.aces.filter((a) => a.direction === 'from-device')).toHaveLength(9);
    expect(p.refused).toEqual([{ label: 'lamp-v4-to/dropped-to', reason: expect.stringContaining('"drop"') }]);
  });

  it('reads the pre-RFC shape UNSW used', () => {
    const p = fixture('pre-rfc-shape.json');
    expect(p.shape).toBe('pre-rfc');
    expect(p.aces).toHaveLength(20);
  });

  it('names the missing field when the file is not MUD', () => {
    expect(() => fixture('not-mud.json')).toThrow(MudError);
    try { fixture('not-mud.json'); } catch (e) { expect((e as MudError).field).toBe('ietf-mud:mud'); }
    expect(() => parseMudText('[1, 2]', 'x.json')).toThrow(/not a JSON object/);
    expect(() => parseMudText('{ nope', 'x.json')).toThrow(/x\.json is not JSON/);
  });

  it('names the draft-era field it cannot map', () => {
    try { fixture('draft-era.json'); expect.unreachable(); } catch (e) {
      expect((e as MudError).field).toBe('ietf-access-control-list:access-lists/acl[0]/acl-name');
      expect((e as MudError).message).toMatch(/draft-era/);
    }
  });

  it('names other broken fields', () => {
    const base = JSON.parse(readFileSync(join(FIXTURES, 'rfc-shape.json'), 'utf8'));
    const broken = (edit: (j: any) => void) => { const j = structuredClone(base); edit(j); try { readMud(j); return null; } catch (e) { return (e as MudError).field; } };
    expect(broken((j) => { j['ietf-mud:mud']['mud-version'] = 2; })).toBe('ietf-mud:mud/mud-version');
    expect(broken((j) => { delete j['ietf-mud:mud']['last-update']; })).toBe('ietf-mud:mud/last-update');
    expect(broken((j) => { delete j['ietf-access-control-list:acls']; })).toBe('ietf-access-control-list:acls');
    expect(broken((j) => { j['ietf-mud:mud']['from-device-policy']['access-lists']['access-list'][0].name = 'nowhere'; }))
      .toBe('ietf-mud:mud/from-device-policy/access-lists/access-list[0]/name');
    expect(broken((j) => { delete j['ietf-access-control-list:acls'].acl[0].aces; })).toBe('ietf-access-control-list:acls/acl[0]/aces/ace');
  });
});

describe('converting entries', () => {
  it('maps the RFC abstractions to local flows and collapses mirrored replies', () => {
    const r = convertProfile(fixture('rfc-shape.json'), 'mud-2020');
    expect(r.endpoints.map((e) => [e.host, e.protocol, e.ports])).toEqual([
      ['api.lamp-cloud.net', 'tcp', [443]],
      ['updates.lamp-cloud.net', 'unknown', undefined],
    ]);
    expect(r.endpoints[1]!.note).toMatch(/any/);
    const flows = r.local.map((f) => `${f.from}>${f.to} ${f.protocol} ${f.ports?.join(',') ?? '-'} ${f.service}`);
    expect(flows.sort()).toEqual([
      'device>controller udp 123 ntp',
      'device>controller udp 5684 unknown',
      'device>controller udp 53 dns',
      'device>same-manufacturer tcp 9000 unknown',
      'device>same-manufacturer unknown - unknown',
      'lan>device udp 5683 coap',
      'same-manufacturer>device unknown - unknown',
    ].sort());
    const ntp = r.local.find((f) => f.service === 'ntp')!;
    expect(ntp.purpose).toBe('time');
    expect(ntp.note).toMatch(/urn:ietf:params:mud:ntp/);
    // Another manufacturer's devices have no party in the format: refused, never widened to the whole LAN.
    expect(r.local.find((f) => f.ports?.[0] === 8443)).toBeUndefined();
    // Cloud, updates, NTP, DNS and my-controller replies fold into the flow they answer; the CoAP request
    // (to the device, port 5683) folds into the flow its earlier-listed reply already recorded.
    expect(r.collapsed.map((c) => c.label).sort()).toEqual([
      'lamp-v4-to/anything-from-updates', 'lamp-v4-to/cloud-to', 'lamp-v4-to/coap-to', 'lamp-v4-to/dns-to', 'lamp-v4-to/myctl-to', 'lamp-v4-to/ntp-to',
    ]);
    expect(r.skipped).toEqual([
      { label: 'lamp-v4-to/dropped-to', reason: expect.stringMatching(/drop/) },
      { label: 'lamp-v4-from/bridge-maker-from', reason: expect.stringMatching(/bridges\.netneeds-fixture\.org.*lan would allow every device/) },
    ]);
    for (const e of [...r.endpoints, ...r.local]) expect(e.needs).toEqual({ 'vendor-app': 'unknown', 'home-assistant': 'unknown' });
  });

  it('copes with the pre-RFC quirks and lists every skipped entry with its reason', () => {
    const r = convertProfile(fixture('pre-rfc-shape.json'), 'mud-2018');
    expect(r.endpoints.map((e) => e.host ?? e.address)).toEqual(['video.camcloud-fixture.net', '9.9.9.9', '2620:fe::fe']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.label.split('/')[1], s.reason]));
    expect(reasons).toEqual({
      'from-ipv4-fixturecam-1': expect.stringMatching(/www\.example\.org is a placeholder/),
      'from-ipv4-fixturecam-4': expect.stringMatching(/IP protocol 2 \(IGMP\)/),
      'from-ipv4-fixturecam-7': expect.stringMatching(/any destination/),
      'from-ipv4-fixturecam-8': expect.stringMatching(/loopback/),
      'from-ipv6-fixturecam-1': expect.stringMatching(/private/),
      'from-ipv6-fixturecam-3': expect.stringMatching(/IPv4 address 192\.168\.1\.1 in an IPv6 match/),
      'from-ethernet-fixturecam-0': expect.stringMatching(/"0x0006" is not an EtherType/),
      'from-ethernet-fixturecam-1': expect.stringMatching(/0x888e.*EAPOL/),
      'to-ipv4-fixturecam-4': expect.stringMatching(/opened from the internet/),
      'from-ipv4-fixturecam-3': expect.stringMatching(/specific controller urn:ietf:params:mud:gateway/),
      'to-ipv4-fixturecam-2': expect.stringMatching(/specific controller urn:ietf:params:mud:gateway/),
    });
    expect(r.normalized.map((n) => n.change)).toEqual(expect.arrayContaining([
      expect.stringMatching(/Video\.CamCloud-Fixture\.net written in lower case/),
      expect.stringMatching(/prefix-less network 2620:fe:0:0:0:0:0:fe/),
    ]));
    const flows = r.local.map((f) => `${f.from}>${f.to} ${f.protocol} ${f.ports?.join(',') ?? '-'} ${f.group ?? ''}`.trim());
    expect(flows.sort()).toEqual(['device>broadcast udp 67', 'device>multicast icmpv6 - ff00::/8', 'lan>device tcp 80'].sort());
  });

  it('accounts for every entry exactly once', () => {
    for (const name of ['rfc-shape.json', 'pre-rfc-shape.json', 'ip-version.json', 'icmp-types.json', 'source-ports.json', 'no-dns-ntp-controller.json']) {
      const p = fixture(name);
      const r = convertProfile(p, 'x');
      expect(r.endpoints.length + r.local.length + r.collapsed.length + r.skipped.length).toBe(p.aces.length + p.refused.length);
    }
  });
});

describe('writing device files', () => {
  const options = { id: 'fixture/lamp', name: 'Fixture lamp', category: 'light', source: 'https://example.net/lamp.json', vendor: { name: 'Fixture' } };

  it('writes a draft that validates, and merging the same profile again changes nothing', () => {
    const dir = tempDevices();
    const first = importMud(fixture('rfc-shape.json'), dir, options)!;
    expect(first.outcome!.created).toBe(true);
    expect(errorsOf(dir)).toEqual([]);
    const data = parse(readFileSync(join(dir, 'fixture/lamp.yaml'), 'utf8'));
    expect(data.evidence).toEqual([expect.objectContaining({ id: 'mud-2020', type: 'mud-profile', date: '2020-03-04', source: 'https://example.net/lamp.json' })]);
    const before = readFileSync(join(dir, 'fixture/lamp.yaml'), 'utf8');
    const again = importMud(fixture('rfc-shape.json'), dir, options)!;
    expect(again.outcome!.created).toBe(false);
    expect(again.outcome!.counts.added).toBe(0);
    expect(readFileSync(join(dir, 'fixture/lamp.yaml'), 'utf8')).toBe(before);
  });

  it('merges a second profile into an existing device without duplicating shared entries', () => {
    const dir = tempDevices();
    importMud(fixture('pre-rfc-shape.json'), dir, { ...options, evidenceId: 'mud-cam' });
    const merged = importMud(fixture('rfc-shape.json'), dir, options);
    expect(merged.outcome!.counts.added).toBe(9);
    const data = parse(readFileSync(join(dir, 'fixture/lamp.yaml'), 'utf8'));
    expect(data.evidence.map((e: { id: string }) => e.id).sort()).toEqual(['mud-2020', 'mud-cam']);
    expect(errorsOf(dir)).toEqual([]);
  });

  it('writes nothing when no entry can be imported', () => {
    const dir = tempDevices();
    const profile = readMud({
      'ietf-mud:mud': { 'mud-version': 1, 'mud-url': 'https://x.example.net/m', 'last-update': '2019-01-01T00:00:00Z', 'from-device-policy': { 'access-lists': { 'access-list': [{ name: 'a' }] } } },
      'ietf-access-control-list:acls': { acl: [{ name: 'a', aces: { ace: [{ name: 'e', matches: { ipv4: { 'ietf-acldns:dst-dnsname': 'www.example.com' } } }] } }] },
    });
    const imp = importMud(profile, dir, options);
    expect(imp.outcome).toBeNull();
    expect(imp.result.skipped).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('issue 13, finding 6: MUD files are imported as they are written', () => {
  it('refuses a file whose two ACLs share a name, as yanglint does, instead of losing one', () => {
    try { fixture('duplicate-acl-names.json'); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(MudError);
      expect((e as MudError).field).toBe('ietf-access-control-list:acls/acl[2]/name');
      expect((e as MudError).message).toMatch(/"hub-from" names acl\[0\] too/);
    }
  });

  it('never widens a manufacturer or a specific controller: it keeps my-controller, same-manufacturer and the own maker, refuses the rest', () => {
    const r = convertProfile(fixture('controllers.json'), 'mud-2021');
    const flows = r.local.map((f) => `${f.from}>${f.to} ${f.protocol} ${f.ports?.join(',') ?? '-'}`).sort();
    expect(flows).toEqual(['device>controller tcp 8080', 'device>same-manufacturer udp 5000', 'device>same-manufacturer udp 5001']);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.label.split('/')[1], s.reason]));
    expect(reasons).toEqual({
      'dash-from': expect.stringMatching(/specific controller http:\/\/amazon\.com\/dashserver/),
      'dash-to': expect.stringMatching(/specific controller http:\/\/amazon\.com\/dashserver/),
      'gateway-web-from': expect.stringMatching(/specific controller urn:ietf:params:mud:gateway/),
      'other-maker-from': expect.stringMatching(/bulbs\.netneeds-fixture\.org/),
    });
    expect(r.local.some((f) => f.to === 'lan' || f.from === 'lan')).toBe(false);
  });

  it('accepts an empty from-device-policy container, which yanglint accepts', () => {
    const p = fixture('empty-from-policy.json');
    expect(p.aces.map((a) => `${a.direction} ${a.label}`)).toEqual(['to-device plug-to/admin-to']);
    expect(convertProfile(p, 'x').local.map((f) => `${f.from}>${f.to} ${f.ports}`)).toEqual(['lan>device 9999']);
  });

  it('a mirrored reply whose ports are both set collapses into the connection it answers, not an inbound one', () => {
    const r = convertProfile(fixture('mirrored-both-ports.json'), 'x');
    expect(r.endpoints.map((e) => `${e.host} ${e.protocol} ${e.ports}`)).toEqual(['video.cam-cloud.net tcp 443', 'stun.cam-cloud.net udp 3478']);
    expect(r.skipped).toEqual([]);
    expect(r.collapsed.map((c) => c.label).sort()).toEqual(['cam-to/cloud-to', 'cam-to/stun-to']);
  });

  it('keeps what narrows an entry: the IP version of names and LAN abstractions, the opener\'s source port, the ICMP type and code', () => {
    const version = convertProfile(fixture('ip-version.json'), 'x');
    expect(version.endpoints.map((e) => `${e.host} ${e.ports} v${e['ip-version'] ?? 'any'}`)).toEqual(['api.plug-cloud.net 443 v4', 'both.plug-cloud.net 8883 vany', 'push6.plug-cloud.net 5223 v6']);
    expect(version.local.map((f) => `${f.from}>${f.to} ${f.ports} v${f['ip-version'] ?? 'any'}`)).toEqual(['device>lan 5683 v4']);
    // The IPv6 entry for both.plug-cloud.net is the IPv4 one in the other version: one entry, allowed in both.
    expect(version.collapsed.map((c) => c.label)).toContain('plug-v6fr/both-v6');

    const icmp = convertProfile(fixture('icmp-types.json'), 'x');
    expect(icmp.endpoints).toEqual([expect.objectContaining({ host: 'ping.sensor-cloud.net', protocol: 'icmp', 'icmp-type': 8, 'icmp-code': 0, service: 'ping' })]);
    expect(icmp.local).toEqual([expect.objectContaining({ from: 'device', to: 'lan', protocol: 'icmpv6', 'icmp-type': 135, 'icmp-code': 0 })]);
    expect(icmp.collapsed.map((c) => c.label)).toEqual(['sensor-v4to/echo-reply']);

    const source = convertProfile(fixture('source-ports.json'), 'x');
    expect(source.endpoints.map((e) => `${e.host} ${e.protocol} ${e.ports} from ${e['source-ports']}`)).toEqual(['time.hub-cloud.net udp 123 from 123', 'api.hub-cloud.net tcp 443 from 40000-40100']);
    expect(source.local).toEqual([expect.objectContaining({ from: 'controller', to: 'device', ports: [80], 'source-ports': [55000] })]);
    expect(source.normalized).toEqual([]);
    expect(source.skipped).toEqual([]);

    const dir = tempDevices();
    for (const [i, name] of ['ip-version.json', 'icmp-types.json', 'source-ports.json'].entries()) importMud(fixture(name), dir, { id: `fixture/narrow-${i}`, name: name, category: 'other', source: 'https://example.net/narrow.json', vendor: { name: 'Fixture' } });
    expect(errorsOf(dir)).toEqual([]);
  });

  it('a file with mfg-name but no model-name is told that model-name is missing', () => {
    const dir = tempDevices();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bin/netneeds.js'), 'import-mud', join(FIXTURES, 'mfg-without-model.json')], { cwd: ROOT, env: { ...process.env, NETNEEDS_DEVICES: dir }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ietf-mud:mud\/model-name: model-name is missing, so the device id cannot be derived/);
    expect(r.stderr).not.toMatch(/mfg-name/);
  });
});

describe.skipIf(!existsSync(SHARED))('the real MUD files in ../shared', () => {
  const files = existsSync(SHARED)
    ? readdirSync(SHARED, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort()
    : [];

  it('imports every file without a crash, accounts for every entry, and every output validates', () => {
    expect(files.length).toBeGreaterThanOrEqual(32);
    const dir = tempDevices();
    let written = 0;
    for (const [i, file] of files.entries()) {
      const profile = parseMudText(readFileSync(join(SHARED, file), 'utf8'), file);
      const imp = importMud(profile, dir, { id: `shared/profile-${i}`, name: file, category: 'other', source: `https://example.net/${i}.json`, vendor: { name: 'Shared' } });
      const r = imp.result;
      expect(r.endpoints.length + r.local.length + r.collapsed.length + r.skipped.length, file).toBe(profile.aces.length + profile.refused.length);
      for (const e of r.endpoints) expect(e.host ?? e.address, file).not.toMatch(/example\.(com|net|org)$/);
      if (imp.outcome) written++;
    }
    expect(written).toBeGreaterThanOrEqual(31);
    expect(errorsOf(dir)).toEqual([]);
  });
});
