// End to end in network namespaces the test creates and removes: a router runs the generated nftables policy and
// a dnsmasq that fills its sets; a device, Home Assistant and "internet" test hosts hang off it on veth pairs.
// IPv4 and IPv6 run side by side. Every address is a 10.199.x.x or 2001:db8:: address, or 198.51.100.x (documentation
// addresses standing for public ones), inside these namespaces: nothing leaves the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadDataset } from '../../scripts/policy/index.js';
import { formatByName } from '../../scripts/policy/formats/index.js';
import type { Selection } from '../../scripts/policy/plan.js';
import type { Dataset } from '../../scripts/build/types.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURE = join(HERE, 'fixtures/netns');
const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const NS = { router: `nn-${id}-r`, device: `nn-${id}-d`, net: `nn-${id}-i`, ha: `nn-${id}-h`, other: `nn-${id}-s` };
const ZONE = {
  'allowed.netneeds.test': '10.199.2.2',
  'wanted.netneeds.test': '10.199.2.3',
  'cdn.netneeds.test': '10.199.2.4',
  'unknown.netneeds.test': '10.199.2.5',
};
const isRoot = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;

function sh(args: string[], ns?: string): string {
  const argv = ns ? ['ip', 'netns', 'exec', ns, ...args] : args;
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const children: ChildProcess[] = [];
/** Starts a long-running program in a namespace and waits for the line that says it is ready. */
function start(ns: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (b: Buffer) => { seen += b.toString(); if (ready.test(seen)) resolve(child); };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${seen}`)));
    setTimeout(() => reject(new Error(`${args[0]} not ready: ${seen}`)), 10_000).unref();
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
}

interface Probe { target: string; address?: string; result: string }
function probe(ns: string, targets: string[]): Record<string, Probe> {
  const out = sh(['node', join(HERE, 'netns/probe.mjs'), '10.199.1.1', ...targets], ns);
  return Object.fromEntries((JSON.parse(out) as Probe[]).map((p) => [p.target, p]));
}

function counter(name: string): number {
  const json = JSON.parse(sh(['nft', '-j', 'list', 'counter', 'inet', 'netneeds', name], NS.router)) as { nftables: { counter?: { packets: number } }[] };
  return json.nftables.find((x) => x.counter)!.counter!.packets;
}

describe.skipIf(!isRoot)('generated nftables policy in network namespaces', () => {
  const work = mkdtempSync(join(tmpdir(), 'netneeds-netns-'));
  let dataset: Dataset;
  let routerDns: ChildProcess | undefined;

  /** Generates the policy for the fixture plug, loads it into the router and (re)starts the router's dnsmasq. */
  async function apply(selection: Partial<Selection>, extraConf: string[] = [], restartDns = true) {
    const { files } = generate(dataset, {
      devices: [{ id: 'netns-test/plug', addresses: ['10.199.1.2'] }], homeAssistant: ['10.199.3.2'], profile: 'home-assistant', unknown: 'allow',
      ...selection,
    }, [formatByName('nftables')!, formatByName('blocklist')!]);
    const byName = Object.fromEntries(files.map((f) => [f.file.name, f.file.content]));
    writeFileSync(join(work, 'policy.nft'), byName.nft!);
    writeFileSync(join(work, 'sets.conf'), byName['dnsmasq-nftset.conf']!);
    writeFileSync(join(work, 'blocklist.conf'), byName['blocklist.dnsmasq.conf']!);
    sh(['nft', '-f', join(work, 'policy.nft')], NS.router);
    if (!restartDns) return byName;
    await stop(routerDns);
    // A real cache, as on a router: answers come from it until their TTL runs out, without refilling the sets.
    writeFileSync(join(work, 'router.conf'), [
      'no-resolv', 'no-hosts', 'bind-interfaces', 'listen-address=10.199.1.1,10.199.4.1', 'port=53', 'cache-size=1000', 'server=127.0.0.1#5354', '',
    ].join('\n'));
    routerDns = await start(NS.router, [
      'dnsmasq', '-k', '--user=root', '--pid-file=', '--log-facility=-', `--conf-file=${join(work, 'router.conf')}`,
      `--conf-file=${join(work, 'sets.conf')}`, ...extraConf.map((f) => `--conf-file=${join(work, f)}`),
    ], /started/);
    return byName;
  }

  beforeAll(async () => {
    const loaded = await loadDataset(FIXTURE);
    if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
    dataset = loaded;
    for (const ns of Object.values(NS)) { sh(['ip', 'netns', 'add', ns]); sh(['ip', 'link', 'set', 'lo', 'up'], ns); }
    const links: [string, number][] = [[NS.device, 1], [NS.net, 2], [NS.ha, 3], [NS.other, 4]];
    links.forEach(([ns, n], i) => {
      sh(['ip', 'link', 'add', `r${i}`, 'netns', NS.router, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      sh(['ip', 'addr', 'add', `10.199.${n}.1/24`, 'dev', `r${i}`], NS.router);
      sh(['ip', '-6', 'addr', 'add', `2001:db8:${n}::1/64`, 'dev', `r${i}`, 'nodad'], NS.router);
      sh(['ip', 'link', 'set', `r${i}`, 'up'], NS.router);
      sh(['ip', 'addr', 'add', `10.199.${n}.2/24`, 'dev', 'eth0'], ns);
      sh(['ip', '-6', 'addr', 'add', `2001:db8:${n}::2/64`, 'dev', 'eth0', 'nodad'], ns);
      sh(['ip', 'link', 'set', 'eth0', 'up'], ns);
      sh(['ip', 'route', 'add', 'default', 'via', `10.199.${n}.1`], ns);
      sh(['ip', '-6', 'route', 'add', 'default', 'via', `2001:db8:${n}::1`], ns);
    });
    for (const extra of ['10.199.2.3/24', '10.199.2.4/24', '10.199.2.5/24']) sh(['ip', 'addr', 'add', extra, 'dev', 'eth0'], NS.net);
    // A host outside the private ranges, for the fixture's any-destination port.
    sh(['ip', 'addr', 'add', '198.51.100.7/24', 'dev', 'eth0'], NS.net);
    sh(['ip', 'addr', 'add', '198.51.100.1/24', 'dev', 'r1'], NS.router);
    sh(['ip', 'addr', 'add', '198.51.100.53/24', 'dev', 'eth0'], NS.net);
    sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1'], NS.router);
    sh(['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1'], NS.router);
    // The upstream zone gives its answers a TTL, so the router's dnsmasq keeps them in its cache.
    writeFileSync(join(work, 'zone.conf'), [
      'no-resolv', 'no-hosts', 'bind-interfaces', 'listen-address=127.0.0.1', 'port=5354', 'local-ttl=600',
      ...Object.entries(ZONE).map(([name, ip]) => `address=/${name}/${ip}`), '',
    ].join('\n'));
    await start(NS.router, ['dnsmasq', '-k', '--user=root', '--pid-file=', '--log-facility=-', `--conf-file=${join(work, 'zone.conf')}`], /started/);
    // Another DNS server on the "internet", which answers every name with its own address: a device that asks it
    // directly must get the router's answer instead.
    writeFileSync(join(work, 'rogue.conf'), ['no-resolv', 'no-hosts', 'bind-interfaces', 'listen-address=198.51.100.53', 'port=53', 'address=/#/198.51.100.99', ''].join('\n'));
    await start(NS.net, ['dnsmasq', '-k', '--user=root', '--pid-file=', '--log-facility=-', `--conf-file=${join(work, 'rogue.conf')}`], /started/);
    await start(NS.net, ['node', join(HERE, 'netns/serve.mjs'), '443', '8443', '853', '22'], /listening/);
    await start(NS.device, ['node', join(HERE, 'netns/serve.mjs'), '6668', '22'], /listening/);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(children.map(stop));
    for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  });

  it('allows the needed destinations once dnsmasq resolved them, refuses the rest, and counts both', async () => {
    const files = await apply({ anyDestination: 'allow' });
    expect(files.nft).toContain('reject with tcp reset'); // the fixture says dropping breaks the device
    const before = probe(NS.device, ['10.199.2.2:443']);
    expect(before['10.199.2.2:443']!.result).toBe('refused'); // not in any set until the device looks the name up

    const r = probe(NS.device, [
      'allowed.netneeds.test:443', 'allowed.netneeds.test:8443', 'wanted.netneeds.test:443', 'fw.cdn.netneeds.test:443', 'unknown.netneeds.test:443',
    ]);
    expect(r['allowed.netneeds.test:443']).toMatchObject({ address: '10.199.2.2', result: 'open' });
    expect(r['allowed.netneeds.test:8443']!.result).toBe('refused');
    expect(r['wanted.netneeds.test:443']).toMatchObject({ address: '10.199.2.3', result: 'refused' });
    expect(r['fw.cdn.netneeds.test:443']).toMatchObject({ address: '10.199.2.4', result: 'open' }); // *.cdn.netneeds.test
    expect(r['unknown.netneeds.test:443']!.result).toBe('open'); // unknown destinations are allowed by default

    // The fixture's any-destination port: open to an address outside the private ranges, closed on other ports and
    // towards private addresses (10.199.2.2:8443 above).
    const any = probe(NS.device, ['198.51.100.7:8443', '198.51.100.7:443']);
    expect(any['198.51.100.7:8443']!.result).toBe('open');
    expect(any['198.51.100.7:443']!.result).toBe('refused');

    const fromHa = probe(NS.ha, ['10.199.1.2:6668', '10.199.1.2:22']);
    expect(fromHa['10.199.1.2:6668']!.result).toBe('open');
    expect(fromHa['10.199.1.2:22']!.result).toBe('refused');
    const fromInternet = probe(NS.net, ['10.199.1.2:6668']);
    expect(fromInternet['10.199.1.2:6668']!.result).toBe('refused');

    expect(counter('d1_allowed')).toBeGreaterThanOrEqual(4);
    expect(counter('d1_refused')).toBeGreaterThanOrEqual(5);
    const sets = sh(['nft', 'list', 'table', 'inet', 'netneeds'], NS.router).split('\n').filter((l) => l.includes('elements')).join('\n');
    expect(sets).toContain('10.199.2.2');
    expect(sets).not.toContain('10.199.2.3');
  });

  it('in strict mode refuses unknown destinations; the DNS blocklist answers wants with 0.0.0.0', async () => {
    await apply({ unknown: 'deny' }, ['blocklist.conf']);
    const r = probe(NS.device, ['allowed.netneeds.test:443', 'unknown.netneeds.test:443', 'wanted.netneeds.test:443']);
    expect(r['allowed.netneeds.test:443']!.result).toBe('open');
    expect(r['unknown.netneeds.test:443']).toMatchObject({ address: '10.199.2.5', result: 'refused' });
    expect(r['wanted.netneeds.test:443']!.address).toBe('0.0.0.0');
  });

  it('with --refuse drop, refused connections time out instead of being reset', async () => {
    await apply({ refuse: 'drop' });
    const r = probe(NS.device, ['allowed.netneeds.test:443', 'allowed.netneeds.test:8443']);
    expect(r['allowed.netneeds.test:443']!.result).toBe('open');
    expect(r['allowed.netneeds.test:8443']!.result).toBe('timeout');
    expect(counter('d1_refused')).toBeGreaterThanOrEqual(1);
  });
  it('closes IPv6 in both directions for a device given by IPv4 only', async () => {
    await apply({});
    // IPv4 traffic of the device teaches the router its MAC; its IPv6 is then refused both ways.
    expect(probe(NS.device, ['allowed.netneeds.test:443'])['allowed.netneeds.test:443']!.result).toBe('open');
    const out = probe(NS.device, ['[2001:db8:2::2]:443', '[2001:db8:2::2]:22', '[2001:db8:3::2]:443']);
    for (const r of Object.values(out)) expect(r.result, r.target).not.toBe('open');
    const inward = probe(NS.net, ['[2001:db8:1::2]:22', '[2001:db8:1::2]:6668']);
    for (const r of Object.values(inward)) expect(r.result, r.target).not.toBe('open');
    expect(probe(NS.ha, ['[2001:db8:1::2]:6668'])['[2001:db8:1::2]:6668']!.result).not.toBe('open');
    // Given its IPv6 address, IPv6 follows the policy: Home Assistant reaches the control port, the internet does not.
    await apply({ devices: [{ id: 'netns-test/plug', addresses: ['10.199.1.2', '2001:db8:1::2'] }], homeAssistant: ['10.199.3.2', '2001:db8:3::2'] });
    expect(probe(NS.ha, ['[2001:db8:1::2]:6668'])['[2001:db8:1::2]:6668']!.result).toBe('open');
    expect(probe(NS.net, ['[2001:db8:1::2]:22'])['[2001:db8:1::2]:22']!.result).not.toBe('open');
    expect(probe(NS.device, ['[2001:db8:2::2]:22'])['[2001:db8:2::2]:22']!.result).not.toBe('open');
  });

  it('gives the same verdict whatever the order of the devices: the switch never reaches the plug kept for Home Assistant', async () => {
    const plug = { id: 'netns-test/plug', addresses: ['10.199.1.2', '2001:db8:1::2'] };
    const other = { id: 'netns-test/lan-switch', addresses: ['10.199.4.2', '2001:db8:4::2'] };
    const results: string[] = [];
    // The switch sorts first (d1), so its chains run before the plug's on the opening packet.
    for (const devices of [[plug, other], [other, plug]]) {
      const files = await apply({ devices });
      results.push(files.nft!);
      const r = probe(NS.other, ['10.199.1.2:6668', '[2001:db8:1::2]:6668']);
      expect(r['10.199.1.2:6668']!.result).not.toBe('open');
      expect(r['[2001:db8:1::2]:6668']!.result).not.toBe('open');
      expect(probe(NS.ha, ['10.199.1.2:6668'])['10.199.1.2:6668']!.result).toBe('open');
    }
    expect(results[0]).toBe(results[1]);
  });

  it('iptables gives the same verdicts in both orders, IPv4 and IPv6', () => {
    spawnSync('ip', ['netns', 'exec', NS.router, 'nft', 'delete', 'table', 'inet', 'netneeds']);
    const plug = { id: 'netns-test/plug', addresses: ['10.199.1.2', '2001:db8:1::2'] };
    const other = { id: 'netns-test/lan-switch', addresses: ['10.199.4.2', '2001:db8:4::2'] };
    try {
      for (const devices of [[plug, other], [other, plug]]) {
        const { files } = generate(dataset, { devices, homeAssistant: ['10.199.3.2', '2001:db8:3::2'], profile: 'home-assistant', unknown: 'allow' }, [formatByName('iptables')!]);
        const byName = Object.fromEntries(files.map((f) => [f.file.name, f.file.content]));
        for (const tool of ['iptables', 'ip6tables']) for (const [table, chain] of [['filter', 'FORWARD'], ['mangle', 'PREROUTING'], ['nat', 'PREROUTING']]) sh([tool, '-t', table!, '-F', chain!], NS.router);
        for (const name of ['ipset', 'iptables', 'ip6tables']) writeFileSync(join(work, `policy.${name}`), byName[name]!);
        sh(['bash', '-c', `ipset restore < ${join(work, 'policy.ipset')} && iptables-restore --noflush < ${join(work, 'policy.iptables')} && ip6tables-restore --noflush < ${join(work, 'policy.ip6tables')}`], NS.router);
        const r = probe(NS.other, ['10.199.1.2:6668', '[2001:db8:1::2]:6668']);
        expect(r['10.199.1.2:6668']!.result).not.toBe('open');
        expect(r['[2001:db8:1::2]:6668']!.result).not.toBe('open');
        const ha = probe(NS.ha, ['10.199.1.2:6668', '[2001:db8:1::2]:6668', '10.199.1.2:22']);
        expect(ha['10.199.1.2:6668']!.result).toBe('open');
        expect(ha['[2001:db8:1::2]:6668']!.result).toBe('open');
        expect(ha['10.199.1.2:22']!.result).not.toBe('open');
        expect(probe(NS.net, ['[2001:db8:1::2]:22'])['[2001:db8:1::2]:22']!.result).not.toBe('open');
      }
    } finally {
      for (const tool of ['iptables', 'ip6tables']) for (const [table, chain] of [['filter', 'FORWARD'], ['mangle', 'PREROUTING'], ['nat', 'PREROUTING']]) spawnSync('ip', ['netns', 'exec', NS.router, tool, '-t', table!, '-F', chain!]);
    }
  });

  it('counts the IPv6 prefix given with --lan as the home network, not the internet', async () => {
    const devices = [{ id: 'netns-test/plug', addresses: ['10.199.1.2', '2001:db8:1::2'] }];
    await apply({ devices, anyDestination: 'allow' });
    expect(probe(NS.device, ['[2001:db8:2::2]:8443'])['[2001:db8:2::2]:8443']!.result).toBe('open');
    await apply({ devices, anyDestination: 'allow', lan: ['2001:db8::/32'] });
    expect(probe(NS.device, ['[2001:db8:2::2]:8443'])['[2001:db8:2::2]:8443']!.result).not.toBe('open');
    expect(probe(NS.device, ['198.51.100.7:8443'])['198.51.100.7:8443']!.result).toBe('open');
  });

  it('answers DNS asked of any other server itself, and refuses DNS over TLS', async () => {
    await apply({});
    const r = probe(NS.device, ['dns@198.51.100.53:allowed.netneeds.test', '198.51.100.53:853', '198.51.100.7:853']);
    expect(r['dns@198.51.100.53:allowed.netneeds.test']).toMatchObject({ address: '10.199.2.2' }); // not the rogue 198.51.100.99
    expect(r['198.51.100.53:853']!.result).not.toBe('open');
    expect(r['198.51.100.7:853']!.result).not.toBe('open');
  });

  it('keeps required endpoints reachable across a reload while dnsmasq answers from its warm cache', async () => {
    await apply({});
    expect(probe(NS.device, ['allowed.netneeds.test:443'])['allowed.netneeds.test:443']!.result).toBe('open');
    await apply({}, [], false); // nft -f again; dnsmasq keeps running with the name cached
    const r = probe(NS.device, ['allowed.netneeds.test:443']);
    expect(r['allowed.netneeds.test:443']).toMatchObject({ address: '10.199.2.2', result: 'open' });
    expect(sh(['nft', 'list', 'table', 'inet', 'netneeds'], NS.router)).toContain('10.199.2.2');
  });

  it('in log-only mode refuses nothing, logs what enforce would refuse, and draft reads the log back', async () => {
    const before = spawnSync('sysctl', ['-n', 'net.netfilter.nf_log_all_netns'], { encoding: 'utf8' }).stdout.trim();
    sh(['sysctl', '-qw', 'net.netfilter.nf_log_all_netns=1']);
    try {
      const files = await apply({ mode: 'log', unknown: 'deny' });
      expect(files.nft).toContain('log prefix "netneeds d1 refused: "');
      const r = probe(NS.device, ['wanted.netneeds.test:443', 'unknown.netneeds.test:443', 'allowed.netneeds.test:443']);
      expect(r['wanted.netneeds.test:443']!.result).toBe('open');
      expect(r['unknown.netneeds.test:443']!.result).toBe('open');
      const kernel = sh(['dmesg']).split('\n').filter((l) => l.includes('netneeds d1 refused: ') && l.includes('SRC=10.199.1.2 '));
      expect(kernel.some((l) => l.includes('DST=10.199.2.3 ') && l.includes('DPT=443 '))).toBe(true);
      expect(kernel.some((l) => l.includes('DST=10.199.2.5 '))).toBe(true);
      expect(kernel.some((l) => l.includes('DST=10.199.2.2 '))).toBe(false);
      // As the router's syslog stores kernel lines; then draft reads them.
      const log = join(work, 'kern.log');
      writeFileSync(log, kernel.map((l) => `Nov 29 08:00:00 router kernel: ${l.replace(/^\[[^\]]*\]\s*/, '')}`).join('\n') + '\n');
      const draft = spawnSync(process.execPath, [join(HERE, '../../scripts/bin/netneeds.js'), 'draft', log, '--device', '10.199.1.2', '--year', '2026'], { encoding: 'utf8', cwd: join(HERE, '../..') });
      expect(draft.status, draft.stderr).toBe(0);
      expect(draft.stdout).toMatch(/443/);
    } finally {
      sh(['sysctl', '-qw', `net.netfilter.nf_log_all_netns=${before || '0'}`]);
    }
  });
});
