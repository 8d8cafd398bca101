// What the Policy model decides, on the namespace fixture (a synthetic plug with one destination per verdict).
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../scripts/policy/index.js';
import { allowedNames, plan, PolicyError, type Policy } from '../../scripts/policy/plan.js';
import { generate } from '../../scripts/policy/index.js';
import { FORMATS } from '../../scripts/policy/formats/index.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkAll } from './checkers.js';
import { blocklist } from '../../scripts/policy/formats/blocklists.js';
import { mudFile } from '../../scripts/policy/formats/mud.js';
import { parsePolicyArgs } from '../../scripts/cli/policy.js';
import { UserError } from '../../scripts/lib/errors.js';
import type { Dataset } from '../../scripts/build/types.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/netns', import.meta.url));
let dataset: Dataset;
beforeAll(async () => {
  const loaded = await loadDataset(FIXTURE);
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  dataset = loaded;
});

const names = (p: ReturnType<typeof plan>) => p.devices[0]!.allow.flatMap((a) => [...a.to.hosts, ...a.to.domains.map((d) => `*.${d}`)]).sort();

describe('policy plan', () => {
  it('allows required and setup-only destinations, unknown ones unless strict, never the wants', () => {
    const lax = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'allow' });
    expect(names(lax)).toEqual(['*.cdn.netneeds.test', 'allowed.netneeds.test', 'unknown.netneeds.test']);
    expect(lax.devices[0]!.wants.hosts).toEqual(['wanted.netneeds.test']);
    const strict = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'deny' });
    expect(names(strict)).toEqual(['*.cdn.netneeds.test', 'allowed.netneeds.test']);
    expect(strict.devices[0]!.counts).toMatchObject({ required: 1, setupOnly: 1, unknownDenied: 2, wants: 1 }); // the any-destination endpoint waits for --any-destination allow
  });

  it('keeps the Home Assistant flow only for profiles that need it', () => {
    const ha = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'allow' });
    const app = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'vendor-app', unknown: 'allow' });
    expect(ha.devices[0]!.local).toEqual([{ initiator: 'peer', peer: 'home-assistant', name: 'tuya', service: { protocol: 'tcp', ports: [{ from: 6668, to: 6668 }] } }]);
    expect(app.devices[0]!.local).toEqual([]); // not-required for the vendor app
  });

  it('refuses with reject where the data says dropping breaks the device, unless told otherwise', () => {
    expect(plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'both', unknown: 'allow' }).devices[0]!.refuse).toBe('reject');
    expect(plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'both', unknown: 'allow', refuse: 'drop' }).devices[0]!.refuse).toBe('drop');
  });

  it('refuses unknown devices, duplicates and malformed addresses', () => {
    expect(() => plan(dataset, { devices: [{ id: 'no/such' }], profile: 'both', unknown: 'allow' })).toThrow(PolicyError);
    expect(() => plan(dataset, { devices: [{ id: 'netns-test/plug' }, { id: 'netns-test/plug' }], profile: 'both', unknown: 'allow' })).toThrow(/twice/);
    expect(() => plan(dataset, { devices: [{ id: 'netns-test/plug', addresses: ['192.168.1.050'] }], profile: 'both', unknown: 'allow' })).toThrow(PolicyError);
  });

  it('gives names below an allowed wildcard the wildcard sets too, since dnsmasq uses only the longest match', () => {
    const allow = (hosts: string[], domains: string[]) => ({ to: { hosts, domains, v4: [], v6: [], any: false } });
    const policy = { devices: [{ allow: [allow(['api.example.com', 'example.com'], [])] }, { allow: [allow([], ['example.com']), allow(['other.example.net', 'a.b.example.com'], [])] }] } as unknown as Policy;
    expect(allowedNames(policy)).toEqual([
      { name: 'a.b.example.com', carriers: ['a.b.example.com', 'example.com'] },
      { name: 'api.example.com', carriers: ['api.example.com', 'example.com'] },
      { name: 'example.com', carriers: ['example.com'] },
      { name: 'other.example.net', carriers: ['other.example.net'] },
    ]);
  });

  it('leaves a want out of the blocklist when blocking it would also block an allowed name', () => {
    const p = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'both', unknown: 'allow' });
    p.devices[0]!.wants.domains.push('netneeds.test', 'elsewhere.test');
    expect(blocklist(p)).toEqual({ hosts: ['wanted.netneeds.test'], domains: ['elsewhere.test'] });
  });

  it('writes MUD ACEs for names and my-controller, with the responder port on each side, and no DNS controller the data does not name', () => {
    const p = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'deny' });
    const mud = mudFile(p, p.devices[0]!) as { 'ietf-mud:mud': Record<string, unknown>; 'ietf-access-control-list:acls': { acl: { name: string; aces: { ace: { matches: Record<string, unknown> }[] } }[] } };
    expect(mud['ietf-mud:mud']['mud-url']).toMatch(/\/mud\/netns-test\/plug\/home-assistant\.json$/);
    const v4fr = mud['ietf-access-control-list:acls'].acl.find((a) => a.name === 'netneeds-v4fr')!.aces.ace.map((a) => a.matches);
    expect(v4fr).toContainEqual({ ipv4: { 'ietf-acldns:dst-dnsname': 'allowed.netneeds.test', protocol: 6 }, tcp: { 'ietf-mud:direction-initiated': 'from-device', 'destination-port': { operator: 'eq', port: 443 } } });
    // The plug's data has no DNS flow: the file allows no more than the data, so no resolver (a MUD profile says so itself).
    expect(JSON.stringify(mud)).not.toContain('urn:ietf:params:mud:dns');
    expect(v4fr).toContainEqual({ 'ietf-mud:mud': { 'my-controller': [null] }, ipv4: { protocol: 6 }, tcp: { 'ietf-mud:direction-initiated': 'to-device', 'source-port': { operator: 'eq', port: 6668 } } });
    expect(JSON.stringify(v4fr)).not.toContain('cdn.netneeds.test'); // wildcards cannot be expressed in MUD
  });

  it('turns an any-destination endpoint into a rule without destinations, for the profiles that keep it', () => {
    const ha = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'deny', anyDestination: 'allow' });
    expect(ha.devices[0]!.allow.find((a) => a.service.ports[0]?.from === 8443)).toMatchObject({
      service: { protocol: 'tcp', ports: [{ from: 8443, to: 8443 }] }, to: { hosts: [], domains: [], v4: [], v6: [], any: true },
    });
    expect(ha.devices[0]!.allow.filter((a) => a.to.any)).toHaveLength(1);
    const app = plan(dataset, { devices: [{ id: 'netns-test/plug' }], profile: 'vendor-app', unknown: 'deny', anyDestination: 'allow' });
    expect(app.devices[0]!.allow.some((a) => a.to.any)).toBe(false); // unknown for the vendor app: refused in strict mode
    expect(app.devices[0]!.counts.unknownDenied).toBe(2);
  });

  it('leaves a not-required any-destination endpoint out of the blocklist: it has no name to block', () => {
    const device = dataset.devices.find((d) => d.id === 'netns-test/plug')!;
    const endpoints = device.endpoints.map((e) => (e.kind === 'any' ? { ...e, needs: { 'vendor-app': { verdict: 'not-required' as const, basis: 'tested' as const, evidence: ['fixture'] }, 'home-assistant': { verdict: 'not-required' as const, basis: 'tested' as const, evidence: ['fixture'] } } } : e));
    const p = plan({ ...dataset, devices: [{ ...device, endpoints }] }, { devices: [{ id: 'netns-test/plug' }], profile: 'both', unknown: 'allow' });
    expect(p.devices[0]!.allow.some((a) => a.to.any)).toBe(false);
    expect(p.devices[0]!.counts.wants).toBe(2);
    expect(blocklist(p)).toEqual({ hosts: ['wanted.netneeds.test'], domains: [] });
  });

  it('refuses an any-destination endpoint that would allow everything, even when it bypassed validation', () => {
    const device = dataset.devices.find((d) => d.id === 'netns-test/plug')!;
    for (const broken of [{ protocol: 'unknown' as const, ports: [] }, { protocol: 'udp' as const, ports: [] }]) {
      const endpoints = device.endpoints.map((e) => (e.kind === 'any' ? { ...e, ...broken } : e));
      expect(() => plan({ ...dataset, devices: [{ ...device, endpoints }] }, { devices: [{ id: 'netns-test/plug' }], profile: 'home-assistant', unknown: 'allow' })).toThrow(/would allow everything/);
    }
  });

  it('writes the any-destination rule in every format without a destination set, private networks excepted, and every file passes its checker', () => {
    const { files } = generate(dataset, { devices: [{ id: 'netns-test/plug', addresses: ['192.168.1.50', 'fd00::50'] }], homeAssistant: ['192.168.1.10'], profile: 'home-assistant', unknown: 'deny', anyDestination: 'allow' });
    const byName = Object.fromEntries(files.map((f) => [f.file.name, f.file.content]));
    expect(byName.nft).toContain('ip daddr != @lan4 tcp dport 8443 counter name d1_allowed return');
    expect(byName.nft).toContain('ip6 daddr != @lan6 tcp dport 8443 counter name d1_allowed return');
    expect(byName.nft).toMatch(/set lan4 \{[^}]*elements = \{ 10\.0\.0\.0\/8,/);
    expect(byName['openwrt.nft']).toContain('ip daddr != @lan4 tcp dport 8443 counter name d1_allowed return');
    expect(byName.iptables).toContain('-A NN_D1_OUT -p tcp --dport 8443 -m set ! --match-set nn_lan4 dst -m comment --comment "netneeds d1" -j RETURN');
    expect(byName.ip6tables).toContain('-m set ! --match-set nn_lan6 dst');
    expect(byName.ipset).toContain('create nn_lan4 hash:net family inet -exist');
    expect(byName['mikrotik.rsc']).toMatch(/^add chain=netneeds-([0-9a-f]{8})-d1-out action=return dst-address-list=!netneeds-\1-lan protocol=tcp dst-port=8443 comment=netneeds:\1$/m);
    expect(byName['opnsense/README.txt']).toContain('pass TCP ports 8443 from alias netneeds_d1 to any destination except alias netneeds_lan');
    expect(byName['opnsense/netneeds_d1_s2_ports.txt']).toBe('8443\n');
    expect(byName['opnsense/netneeds_d1_s2_hosts.txt']).toBeUndefined();
    for (const name of ['blocklist.hosts', 'blocklist.adguard.txt', 'blocklist.dnsmasq.conf', 'dnsmasq-nftset.conf', 'dnsmasq-ipset.conf']) expect(byName[name], name).not.toMatch(/^[^#!].*\*/m);
    const mud = JSON.parse(byName['mud.json']!) as { 'ietf-access-control-list:acls': { acl: { name: string; aces: { ace: { matches: Record<string, unknown> }[] } }[] } };
    const v6fr = mud['ietf-access-control-list:acls'].acl.find((a) => a.name === 'netneeds-v6fr')!.aces.ace.map((a) => a.matches);
    expect(v6fr).toContainEqual({ ipv6: { protocol: 6 }, tcp: { 'ietf-mud:direction-initiated': 'from-device', 'destination-port': { operator: 'eq', port: 8443 } } });

    const dir = mkdtempSync(join(tmpdir(), 'netneeds-any-'));
    try {
      const paths = files.map(({ file }) => {
        const path = join(dir, file.name === 'mud.json' ? 'plug.json' : `netneeds.${file.name}`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
        return path;
      });
      const report = checkAll(paths);
      expect(report.failures).toEqual([]);
      expect(report.checked).toBe(paths.length);
      expect(new Set(files.map((f) => f.format))).toEqual(new Set(FORMATS.map((f) => f.name)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the command line: devices with addresses and MACs, profile, strictness and formats', () => {
    const parsed = parsePolicyArgs(['roborock/s50=192.168.1.50,AA-BB-CC-DD-EE-FF', '--for', 'home-assistant', '--home-assistant', '192.168.1.10', '--unknown', 'deny', '--format', 'nftables,mud']);
    expect(parsed.selection).toEqual({
      devices: [{ id: 'roborock/s50', addresses: ['192.168.1.50'], macs: ['aa:bb:cc:dd:ee:ff'] }],
      homeAssistant: ['192.168.1.10'], profile: 'home-assistant', unknown: 'deny', trust: 'documented', anyDestination: 'refuse', mode: 'enforce',
    });
    expect(parsed.formats.map((f) => f.name)).toEqual(['nftables', 'mud']);
    expect(() => parsePolicyArgs(['x/y', '--for', 'everything'])).toThrow(UserError);
    expect(() => parsePolicyArgs(['x/y', '--format', 'pf'])).toThrow(UserError);
    expect(() => parsePolicyArgs(['x/y', '--colour'])).toThrow(/unknown option --colour/);
    expect(() => parsePolicyArgs(['x/y', '--out'])).toThrow(/--out needs a value/);
    expect(() => parsePolicyArgs(['roborock/s50=0.0.0.0/0'])).toThrow(/is a network/);
    expect(() => parsePolicyArgs(['roborock/s50=0.0.0.0'])).toThrow(/unspecified/);
    expect(() => parsePolicyArgs(['roborock/s50=192.168.1.50=192.168.1.51'])).toThrow(/more than one "="/);
    expect(parsePolicyArgs(['roborock/s50=8.8.8.8']).warnings).toEqual([expect.stringMatching(/public address/)]);
  });
});
