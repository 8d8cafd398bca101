// The findings of issue 10 ("rules you can paste without fear"), each on the devices the issue names, in every format
// they concern. Traffic itself is tested in netns.test.ts; this file checks what the generated rules say.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/project.js';
import { generate, loadDataset } from '../../scripts/policy/index.js';
import { formatByName, FORMATS } from '../../scripts/policy/formats/index.js';
import { blocklist, renderBlocklists } from '../../scripts/policy/formats/blocklists.js';
import { plan, PROFILES, type Selection } from '../../scripts/policy/plan.js';
import { summary } from '../../scripts/policy/summary.js';
import { isShared, SHARED_INFRASTRUCTURE, sharedHost } from '../../scripts/lib/shared-infrastructure.js';
import { BASIS_OF_TYPE } from '../../scripts/lib/verdict-basis.js';
import type { Dataset, Device, Endpoint, Needs } from '../../scripts/build/types.js';
import { validDevicesTree } from './dataset.js';

let dataset: Dataset;
beforeAll(async () => {
  const tree = validDevicesTree();
  try {
    const loaded = await loadDataset(tree.dir);
    if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
    dataset = loaded;
  } finally { tree.cleanup(); }
}, 120_000);

const files = (sel: Partial<Selection> & Pick<Selection, 'devices'>, formats = FORMATS) =>
  Object.fromEntries(generate(dataset, { profile: 'both', unknown: 'allow', ...sel }, formats).files.map((f) => [f.file.name, f.file.content]));
/** Collection runs before the dataset loads: whether the device file the issue names is still there. */
const has = (id: string) => existsSync(join(ROOT, 'devices', `${id}.yaml`));

describe('finding 2: verdicts do not depend on the order of devices, in any format', () => {
  it('gives byte-identical files for both orders, and no format accepts for good in a device chain', () => {
    const vacuum = { id: 'roborock/s50', addresses: ['192.168.1.50'] };
    const wemo = { id: 'belkin/wemo-switch', addresses: ['192.168.1.51'] };
    const a = files({ devices: [wemo, vacuum], homeAssistant: ['192.168.1.10'] });
    const b = files({ devices: [vacuum, wemo], homeAssistant: ['192.168.1.10'] });
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(a).toEqual(b);
    // Device chains only return or refuse: the other device's chains always run too.
    const rules = (text: string) => text.split('\n').filter((l) => !l.startsWith('#') && !l.includes('policy accept;')).join('\n');
    expect(rules(a.nft!)).not.toMatch(/\baccept\b/);
    expect(a.iptables).not.toMatch(/-j ACCEPT/);
    expect(a.ip6tables).not.toMatch(/-j ACCEPT/);
    expect(a['mikrotik.rsc']).not.toMatch(/action=accept/);
    // A reply the device sends in a conversation its peer opened is judged by the rules for that peer.
    expect(a.nft).toContain('ct direction reply goto d1_peer');
    expect(a.iptables).toContain('-A NN_D1_OUT -m conntrack --ctdir REPLY -g NN_D1_PEERR');
  });
});

describe('finding 3: blocklists never break the household', () => {
  it('no published list (every profile, every device and all devices together) blocks a shared host', () => {
    const offending: string[] = [];
    const check = (where: string, list: { hosts: string[]; domains: string[] }) => {
      for (const h of list.hosts) if (isShared(h, false)) offending.push(`${where}: ${h}`);
      for (const d of list.domains) if (isShared(d, true)) offending.push(`${where}: *.${d}`);
    };
    for (const profile of PROFILES) {
      const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile, unknown: 'allow' });
      check(`all/${profile}`, blocklist(all));
      for (const d of dataset.devices) check(`${d.id}/${profile}`, blocklist(plan(dataset, { devices: [{ id: d.id }], profile, unknown: 'allow' })));
    }
    expect(offending).toEqual([]);
  });

  it('keeps push, browser, video, S3 and CDN names out even when a device does without them', () => {
    const device = dataset.devices.find((d) => d.id === 'roborock/s50')!;
    const want = (destination: string, kind: Endpoint['kind']): Endpoint => ({
      destination, kind, protocol: 'tcp', ports: [{ from: 443, to: 443 }], service: 'https', purpose: 'telemetry', party: 'third', evidence: ['python-miio-407'],
      needs: Object.fromEntries(['vendor-app', 'home-assistant'].map((f) => [f, { verdict: 'not-required', basis: 'documented', evidence: ['python-miio-407'] }])) as Needs,
    });
    const shared = ['fcm.googleapis.com', 'clientservices.googleapis.com', 'r4---sn-ntqe6n76.googlevideo.com', 'www.youtube.com', 'api-global.netflix.com', 's3-us-west-2.amazonaws.com', 's3.eu-central-1.amazonaws.com', 'storage.googleapis.com', 'connectivitycheck.gstatic.com'];
    const wild = ['*.cloudfront.net', '*.googlevideo.com', '*.amazonaws.com', '*.googleapis.com'];
    const own = 'telemetry.example-vendor.com';
    const endpoints = [...shared.map((h) => want(h, 'host')), ...wild.map((h) => want(h, 'wildcard')), want(own, 'host'), want('bucket.s3.amazonaws.com', 'host')];
    const test: Device = { ...device, endpoints };
    const p = plan({ ...dataset, devices: [test] }, { devices: [{ id: test.id, addresses: ['192.168.1.50'] }], profile: 'both', unknown: 'allow' });
    expect(blocklist(p)).toEqual({ hosts: ['bucket.s3.amazonaws.com', own], domains: [] });
    const out = Object.fromEntries(renderBlocklists(p).map((f) => [f.name, f.content]));
    for (const content of Object.values(out)) for (const h of [...shared, 'cloudfront.net', 'googlevideo.com', 'amazonaws.com']) expect(content).not.toMatch(new RegExp(`[|/ ']${h.replace(/\./g, '\\.')}[\\^/'\\n]`));
    // Scoped to the device where the blocker can: AdGuard Home's $client and a Pi-hole group.
    expect(out['blocklist.adguard-clients.txt']).toContain(`||${own}^$client=192.168.1.50\n`);
    expect(out['blocklist.pihole.sql']).toContain(`\n('d1', '192.168.1.50');\n`);
    expect(out['blocklist.pihole.sql']).toMatch(new RegExp(`\\n\\('d1', 1, '${own.replace(/\./g, '\\.')}'\\)[,;]\\n`));
  });

  it('cites a source for every group of the shared-infrastructure list', () => {
    for (const g of SHARED_INFRASTRUCTURE) expect(g.source, g.what).toMatch(/^(https:\/\/\S+|devices\/\S+\.yaml(, devices\/\S+\.yaml)*)$/);
    expect(sharedHost('fcm.googleapis.com')?.what).toMatch(/Firebase/);
    expect(sharedHost('d111.cloudfront.net')).toBeUndefined(); // one customer's distribution is not shared
  });
});

describe('finding 4: any-destination endpoints never open DNS, DoT or DoH, and only on request', () => {
  it.skipIf(!has('ring/doorbell'))('Ring: by default nothing goes to any address but NTP; opted in, never 53, 443 or 853', () => {
    const def = plan(dataset, { devices: [{ id: 'ring/doorbell' }], profile: 'both', unknown: 'allow' });
    expect(def.devices[0]!.allow.filter((a) => a.to.any).map((a) => `${a.service.protocol}:${a.service.ports.map((r) => `${r.from}-${r.to}`)}`)).toEqual(['udp:123-123']);
    expect(def.devices[0]!.refused.some((r) => r.what.startsWith('any internet address tcp+udp 53'))).toBe(true);
    const opted = plan(dataset, { devices: [{ id: 'ring/doorbell' }], profile: 'both', unknown: 'allow', anyDestination: 'allow' });
    for (const a of opted.devices[0]!.allow.filter((x) => x.to.any)) {
      for (const port of [53, 443, 853]) expect(a.service.ports.some((r) => r.from <= port && r.to >= port), `${a.service.protocol} ${port}`).toBe(false);
    }
    expect(opted.devices[0]!.allow.some((a) => a.to.any && a.service.ports.some((r) => r.from === 16500))).toBe(true);
  });

  it.skipIf(!has('amazon/echo'))('Echo: no any-destination HTTPS by default; every refused one is reported with its evidence', () => {
    const p = plan(dataset, { devices: [{ id: 'amazon/echo' }], profile: 'vendor-app', unknown: 'allow' });
    expect(p.devices[0]!.allow.some((a) => a.to.any && a.service.ports.some((r) => r.from <= 443 && r.to >= 443))).toBe(false);
    const anyEndpoints = p.devices[0]!.device.endpoints.filter((e) => e.kind === 'any' && e.protocol === 'tcp' && e.ports.some((r) => r.from <= 443 && r.to >= 443));
    for (const e of anyEndpoints) {
      const r = p.devices[0]!.refused.find((x) => x.what === `any internet address tcp ${e.ports.map((q) => (q.from === q.to ? q.from : `${q.from}-${q.to}`)).join(',')} (${e.service})`);
      expect(r, 'listed as refused').toBeDefined();
      expect(r!.evidence.length).toBeGreaterThan(0);
    }
  });
});

describe('finding 5: the LAN prefix can be given for IPv6', () => {
  it('puts the prefix into the home network of every format', () => {
    const out = files({ devices: [{ id: 'belkin/wemo-switch', addresses: ['192.168.1.51', '2001:db8:1::51'] }], lan: ['2001:db8:1::/64'] });
    expect(out.nft).toMatch(/set lan6 \{\n\s+type ipv6_addr\n\s+flags interval\n\s+elements = \{ 2001:db8:1::\/64, fc00::\/7, fe80::\/10 \}/);
    expect(out.ipset).toContain('add nn_lan6 2001:db8:1::/64 -exist');
    expect(out['mikrotik.rsc']).toMatch(/add list=netneeds-[0-9a-f]{8}-lan address=2001:db8:1::\/64/);
    expect(out['opnsense-aliases.json']).toContain('2001:db8:1::/64');
  });
});

describe('finding 6: sets survive a reload', () => {
  it('flushes rules, never the sets dnsmasq fills, in nftables, OpenWrt and ipset', () => {
    const out = files({ devices: [{ id: 'roborock/s50', addresses: ['192.168.1.50'] }, { id: 'belkin/wemo-switch', addresses: ['192.168.1.51'] }] });
    for (const name of ['nft', 'openwrt.nft']) {
      expect(out[name]!.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toContain('delete table');
      expect(out[name]).toContain('flush table inet netneeds');
      const nameSets = [...out[name]!.matchAll(/^\s+set (n[46]_[0-9a-f]{12}) \{/gm)].map((m) => m[1]);
      expect(nameSets.length).toBeGreaterThan(0);
      for (const s of nameSets) expect(out[name]).not.toContain(`flush set inet netneeds ${s}\n`);
    }
    const created = [...out.ipset!.matchAll(/^create (nn_n[46]_[0-9a-f]{12}) /gm)].map((m) => m[1]);
    expect(created.length).toBeGreaterThan(0);
    for (const s of created) expect(out.ipset).not.toContain(`flush ${s}\n`);
  });
});

describe('finding 7: every guide ends with the conntrack flush for the device', () => {
  it('says it last, in every format with instructions', () => {
    const out = files({ devices: [{ id: 'roborock/s50', addresses: ['192.168.1.50'] }] });
    const lastComment = (text: string, mark = '#') => text.split('\n').filter((l) => l.startsWith(mark)).pop()!;
    for (const name of ['nft', 'openwrt.nft', 'iptables', 'ip6tables']) expect(lastComment(out[name]!), name).toBe('#   conntrack -D -s 192.168.1.50; conntrack -D -d 192.168.1.50');
    expect(lastComment(out['opnsense/README.txt']!)).toContain('Diagnostics > States: filter 192.168.1.50, kill');
    expect(lastComment(out['mikrotik.rsc']!)).toContain('/ip firewall connection remove [find where src-address~"^192.168.1.50:"');
  });
});

describe('finding 8: MUD controller flows keep their meaning', () => {
  it.skipIf(!has('belkin/wemo-switch'))('DNS to the MUD controller goes to the router, never to Home Assistant, and nobody is told to add Home Assistant', () => {
    const p = plan(dataset, { devices: [{ id: 'belkin/wemo-switch', addresses: ['192.168.1.51'] }], profile: 'vendor-app', unknown: 'allow' });
    const d = p.devices[0]!;
    expect(d.local.filter((l) => l.name === 'dns').map((l) => l.peer)).toEqual(['router']);
    expect(d.local.some((l) => l.peer === 'controller')).toBe(false);
    expect(d.local.filter((l) => l.peer === 'home-assistant').every((l) => l.name !== 'dns')).toBe(true);
    expect(summary(p)).not.toContain('--controller');
    const out = files({ devices: [{ id: 'belkin/wemo-switch', addresses: ['192.168.1.51'] }], profile: 'vendor-app' }, [formatByName('nftables')!, formatByName('mud')!, formatByName('iptables')!]);
    expect(out.nft).not.toMatch(/@(ha|ctl)[46] [^\n]*dport 53/);
    expect(out.nft).not.toMatch(/@ctl[46]/);
    expect(out.iptables).not.toMatch(/nn_ctl4|nn_ha4 [^\n]*--dport 53/);
    const aces = JSON.stringify(JSON.parse(out['mud.json']!)['ietf-access-control-list:acls']);
    expect(aces).toContain('"controller":"urn:ietf:params:mud:dns"');
  });
});

describe('finding 9: no silent breakage', () => {
  it.skipIf(!has('shelly/shelly-1'))('Shelly with --unknown deny keeps Home Assistant\'s HTTP control on port 80, from Home Assistant only', () => {
    const p = plan(dataset, { devices: [{ id: 'shelly/shelly-1' }], homeAssistant: ['192.168.1.10'], profile: 'home-assistant', unknown: 'deny' });
    expect(p.devices[0]!.local).toContainEqual(expect.objectContaining({ initiator: 'peer', peer: 'home-assistant', service: { protocol: 'tcp', ports: [{ from: 80, to: 80 }] } }));
  });

  it('lists every refused flow that is needed, or local and unknown, with its evidence', () => {
    const p = plan(dataset, { devices: [{ id: 'belkin/wemo-switch' }], profile: 'vendor-app', unknown: 'deny' });
    const text = summary(p);
    expect(text).toMatch(/refused:\n/);
    expect(text).toMatch(/lan → device tcp 49153 \(unknown\): a local flow nobody has tested \(--unknown deny\)\n {6}evidence unsw-mudgee-2018 \(mud-profile\): https:\/\//);
  });
});

describe('trust level: which not-required verdicts are acted on', () => {
  const device = (type: 'blocking-test' | 'vendor-documentation' | 'community-blocklist'): Dataset => {
    const base = dataset.devices.find((d) => d.id === 'roborock/s50')!;
    const needs = Object.fromEntries(['vendor-app', 'home-assistant'].map((f) => [f, { verdict: 'not-required', basis: BASIS_OF_TYPE[type], evidence: ['e'] }])) as Needs;
    const e: Endpoint = { destination: 'ads.example-vendor.com', kind: 'host', protocol: 'tcp', ports: [{ from: 443, to: 443 }], service: 'https', purpose: 'advertising', party: 'third', evidence: ['e'], needs };
    return { ...dataset, devices: [{ ...base, endpoints: [e], evidence: [{ id: 'e', type, source: 'https://example.org/e' }] }] };
  };
  const verdict = (type: Parameters<typeof device>[0], trust: Selection['trust']) => {
    const p = plan(device(type), { devices: [{ id: 'roborock/s50' }], profile: 'both', unknown: 'deny', trust });
    return p.devices[0]!.wants.hosts.length ? 'blocked as a want' : 'treated as unknown';
  };
  it('acts on tested verdicts always, documented ones from documented up, community lists only at community', () => {
    expect(['tested', 'documented', 'community'].map((t) => verdict('blocking-test', t as Selection['trust']))).toEqual(['blocked as a want', 'blocked as a want', 'blocked as a want']);
    expect(['tested', 'documented', 'community'].map((t) => verdict('vendor-documentation', t as Selection['trust']))).toEqual(['treated as unknown', 'blocked as a want', 'blocked as a want']);
    expect(['tested', 'documented', 'community'].map((t) => verdict('community-blocklist', t as Selection['trust']))).toEqual(['treated as unknown', 'treated as unknown', 'blocked as a want']);
  });
});

describe('finding 10: OPNsense, pfSense and MikroTik for real', () => {
  it('uses valid alias names, floating rules for traffic to the device and interface rules for traffic from it', () => {
    const out = files({ devices: [{ id: 'roborock/s50', addresses: ['192.168.1.50'] }], homeAssistant: ['192.168.1.10'], profile: 'home-assistant' });
    const json = JSON.parse(out['opnsense-aliases.json']!) as { aliases: { alias: Record<string, { name: string }> } };
    const names = Object.values(json.aliases.alias).map((a) => a.name);
    expect(names).toContain('netneeds_d1');
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,30}$/);
    expect(out['pfsense-aliases.xml']).toContain('<name>netneeds_ha</name>');
    expect(out['opnsense/README.txt']).toContain('pass UDP ports 54321 from alias netneeds_ha to alias netneeds_d1 (floating, direction in, quick)');
    expect(out['opnsense/README.txt']).toMatch(/Floating rules[^\n]*\n(#   [^\n]*\n)+# Interface rules/);
  });

  it('MikroTik: adds the new generation, moves its jumps first, and only then removes the old one', () => {
    const out = files({ devices: [{ id: 'roborock/s50', addresses: ['192.168.1.50'] }] })['mikrotik.rsc']!;
    const lines = out.split('\n');
    const gen = /comment=netneeds:([0-9a-f]{8})/.exec(out)![1]!;
    const move = lines.indexOf(`/ip firewall filter move [find where comment="netneeds:${gen}" && chain="forward"] destination=0`);
    const remove = lines.indexOf(`/ip firewall filter remove [find where comment~"^netneeds" && comment!="netneeds:${gen}"]`);
    const lastAdd = lines.map((l, i) => (l.startsWith('add chain=') && l.includes(gen) && !l.includes(':v6') ? i : -1)).filter((i) => i >= 0 && i < move).pop()!;
    expect(move).toBeGreaterThan(lastAdd);
    expect(remove).toBeGreaterThan(move);
    expect(out).not.toMatch(/^\/ip firewall filter remove \[find comment=netneeds\]$/m); // no window without a policy
  });
});

describe('linear all-devices policy', () => {
  it('plans and renders a blocklist for the whole dataset through the device index', () => {
    const all = plan(dataset, { devices: dataset.devices.map((d) => ({ id: d.id })), profile: 'both', unknown: 'allow' });
    expect(all.devices.map((d) => d.id)).toEqual(dataset.devices.map((d) => d.id).sort());
    expect(renderBlocklists(all).length).toBe(6);
  });
});
