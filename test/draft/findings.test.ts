// Issue 13: each finding from running draft on real third-party logs, replayed on a fixture the project
// wrote in the format its tool documents, through the whole command and the real validator.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { collectDraft } from '../../scripts/draft/command.js';
import { Collector } from '../../scripts/draft/collect.js';
import type { Flow } from '../../scripts/draft/events.js';
import { lint } from '../../scripts/lint/index.js';
import { be, clientHello, dnsQuery, dnsResponse, ethernet, flowSet, ipfixFile, ipfixMessage, ipfixOptionsTemplate, ipfixTemplate, netflow9OptionsTemplate, netflow9Packet, netflow9Template, overTcp, pcapFile, tcp, udp, type FieldSpec } from './packets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/draft/');
const SOURCE = 'https://example.org/captures/log';

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-findings-'));
  mkdirSync(join(dir, 'acme'));
  writeFileSync(join(dir, 'acme', '_vendor.yaml'), '# yaml-language-server: $schema=../../schema/vendor.schema.json\nid: acme\nname: Acme\n');
  return dir;
}

/** `netneeds draft` as a contributor runs it, into a fresh devices tree. */
function draft(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bin/netneeds.js'), 'draft', ...args], { cwd: ROOT, env: { ...process.env, NETNEEDS_DEVICES: dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const errors = (dir: string) => lint(dir).problems.filter((p) => p.severity === 'error').map((p) => `${p.file}:${p.line}: ${p.rule}: ${p.message}`);
const read = (dir: string) => readFileSync(join(dir, 'acme', 'plug.yaml'), 'utf8');

describe('finding 1: EdgeOS, VyOS and UniFi USG kernel lines (no space before IN=)', () => {
  it('are read as flows, and the draft names their destinations', async () => {
    const run = await collectDraft([FIXTURES + 'netfilter-edgeos.txt'], { ips: ['192.168.1.50'], macs: [] }, { year: 2024 });
    expect(run.inputs[0]!.format.name).toBe('netfilter');
    expect(run.inputs[0]!.stats).toMatchObject({ records: 4, other: 0, malformed: 0 });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['3.120.0.1/udp/3478', '52.94.236.248/tcp/8883', '8.8.8.8/udp/53']);
    expect(run.data.leftOut.inboundInternet).toBe(1);
  });
});

describe('finding 2: one-way flow records (nfdump, NetFlow/IPFIX) are paired, not taken for connections', () => {
  it('a reply never becomes a flow, and a record with both ports ephemeral is counted, not guessed', async () => {
    const run = await collectDraft([FIXTURES + 'nfdump-oneway.csv'], { ips: ['192.168.1.50'], macs: [] });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['162.159.200.1/udp/123', '52.28.0.30/tcp/8883', '8.8.8.8/udp/53']);
    expect(run.data.local.map((l) => `${l.from}>${l.to} ${l.protocol}/${l.port}`)).toEqual(['device>lan udp/53']);
    expect(run.data.leftOut.undeterminedOpener).toBe(2);
    // The scan from the internet and the device's reset to it: one inbound connection, two records.
    expect(run.data.leftOut.inboundInternet).toBe(2);
    const counts = Object.fromEntries(run.data.endpoints.map((e) => [e.address, e.count]));
    expect(counts).toEqual({ '8.8.8.8': 2, '52.28.0.30': 2, '162.159.200.1': 2 });
  });

  it('the report says how many records could not be paired', () => {
    const dir = tree();
    const r = draft(dir, [FIXTURES + 'nfdump-oneway.csv', '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 one-way flow records with both ports ephemeral/);
    expect(errors(dir)).toEqual([]);
  });
});

describe('finding 3: a DNS log alone drafts a file that validates', () => {
  it('its endpoints are the answered lookups of the device, protocol unknown, and the evidence is cited', () => {
    const dir = tree();
    const r = draft(dir, [FIXTURES + 'dnsmasq.txt', '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE, '--year', '2024']);
    expect(r.status, r.stderr).toBe(0);
    const doc = parse(read(dir));
    expect(doc.endpoints.map((e: { host: string; protocol: string }) => `${e.host}/${e.protocol}`).sort()).toEqual(['api.example.com/unknown', 'time.example.com/unknown']);
    expect(doc.evidence).toEqual([expect.objectContaining({ type: 'dns-log', date: '2024-03-03' })]);
    expect(errors(dir)).toEqual([]);
  });

  it('a DNS log with no answered lookup of the device writes nothing and says what to add', () => {
    const dir = tree();
    const r = draft(dir, [FIXTURES + 'dnsmasq.txt', '--device', '192.168.1.99', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nothing to draft/);
    expect(r.stderr).toMatch(/check --device/);
    expect(existsSync(join(dir, 'acme', 'plug.yaml'))).toBe(false);
  });
});

describe('finding 4: <PRI> followed by a BSD timestamp', () => {
  it('is read, and a guessed year is written into the evidence date and note', () => {
    const dir = tree();
    const log = join(dir, 'filter.log');
    copyFileSync(FIXTURES + 'filterlog-pri-bsd.txt', log);
    const written = new Date(Date.UTC(2023, 7, 1));
    utimesSync(log, written, written);
    const r = draft(dir, [log, '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE]);
    expect(r.status, r.stderr).toBe(0);
    const doc = parse(read(dir));
    expect(doc.evidence[0].date).toBe('2023-07-03');
    expect(doc.evidence[0].note).toMatch(/carry no year: 2023 was taken from the log file's modification time/);
    expect(doc.evidence[0].note).not.toMatch(/no timestamps/);
    expect(r.stderr).toMatch(/pass --year/);
    expect(errors(dir)).toEqual([]);
  });

  it('with --year the stamp gets that year and nothing is said about guessing', async () => {
    const run = await collectDraft([FIXTURES + 'filterlog-pri-bsd.txt'], { ips: ['192.168.1.50'], macs: [] }, { year: 2016 });
    expect(new Date(run.data.first).toISOString()).toBe('2016-07-03T19:10:30.000Z');
  });
});

describe('finding 5: privacy', () => {
  it('reverse lookups, home domains, single-label and dynamic-DNS names, and the file name stay out of the draft and its notes', () => {
    const dir = tree();
    const dns = join(dir, 'bobs-house-dns.txt');
    const fw = join(dir, 'bobs-house-filter.txt');
    copyFileSync(FIXTURES + 'dnsmasq-private.txt', dns);
    copyFileSync(FIXTURES + 'filterlog-private.txt', fw);
    const r = draft(dir, [dns, fw, '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE, '--year', '2024', '--ddns', 'castle.bobs-domain.net']);
    expect(r.status, r.stderr).toBe(0);
    const text = read(dir);
    expect(text).not.toMatch(/in-addr|fritz|home\.arpa|hub\.lan|tv\.local|svc\.internal|wpad|duckdns|bobs|81\.82\.83/);
    const doc = parse(text);
    expect(doc.endpoints.map((e: { host?: string; address?: string }) => e.host ?? e.address)).toEqual(['api.cloud-fixture.net']);
    expect(doc.notes).toMatch(/unused\.cloud-fixture\.net/);
    expect(r.stderr).toMatch(/1 name left out as reverse lookup/);
    expect(r.stderr).toMatch(/5 names left out as local or home-domain names/);
    expect(r.stderr).toMatch(/1 name left out as single-label name/);
    expect(r.stderr).toMatch(/2 names left out as your dynamic-DNS name/);
    expect(r.stderr).toMatch(/2 events to the address of your dynamic-DNS name/);
    expect(errors(dir)).toEqual([]);
  });

  it('a capture lists the names the device looked up without a flow', async () => {
    const dir = tree();
    const cap = join(dir, 'lookups.pcap');
    const t = Date.UTC(2024, 2, 3, 10);
    writeFileSync(cap, pcapFile([
      { time: t, frame: ethernet('02:00:00:00:00:50', '02:00:00:00:00:01', udp('192.168.1.50', '192.168.1.1', 40100, 53, dnsQuery('never-contacted.cloud-fixture.net'))) },
      { time: t + 1, frame: ethernet('02:00:00:00:00:50', '02:00:00:00:00:01', udp('192.168.1.50', '192.168.1.1', 40101, 53, dnsQuery('printer.lan'))) },
    ]));
    const run = await collectDraft([cap], { ips: ['192.168.1.50'], macs: [] });
    expect(run.data.queriedOnly).toEqual(['never-contacted.cloud-fixture.net']);
  });
});

describe('finding 7: scale', () => {
  it('--into is checked before any input is read', () => {
    const dir = tree();
    const r = draft(dir, [join(dir, 'no-such-input.log'), '--device', '192.168.1.50', '--into', join(dir, 'Acme', 'Plug.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--into must name devices\/<vendor>\/<model>\.yaml/);
  });

  it('thousands of destinations are aggregated under a cap, and the draft validates', () => {
    const dir = tree();
    const log = join(dir, 'conntrack.txt');
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const host = `${[34, 52, 104][i % 3]}.${(i >> 8) & 255}.${i % 40}.${(i * 7) % 250 + 1}`;
      lines.push(`tcp      6 431999 ESTABLISHED src=192.168.1.50 dst=${host} sport=${40000 + (i % 20000)} dport=${i % 5 === 0 ? 8883 : 443} src=${host} dst=192.168.1.50 sport=443 dport=40000 [ASSURED] mark=0 use=1`);
    }
    writeFileSync(log, lines.join('\n') + '\n');
    const r = draft(dir, [log, '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml'), '--source', SOURCE]);
    expect(r.status, r.stderr).toBe(0);
    const doc = parse(read(dir));
    expect(doc.endpoints.length).toBeLessThanOrEqual(250);
    expect(doc.endpoints.some((e: { address?: string }) => e.address?.endsWith('.0/24'))).toBe(true);
    expect(doc.notes).toMatch(/The inputs gave \d+ destination entries/);
    expect(Buffer.byteLength(read(dir))).toBeLessThan(1 << 20);
    expect(errors(dir)).toEqual([]);
  });
});

describe('finding 7: memory stays bounded', () => {
  it('a device talking to a few addresses on tens of thousands of ports folds the ports past a cap instead of a group each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-ports-'));
    const log = join(dir, 'conntrack.txt');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const host = `52.94.${i % 3}.${10 + (i % 7)}`;
      lines.push(`udp      17 29 src=192.168.1.50 dst=${host} sport=${1024 + (i % 500)} dport=${1 + i} src=${host} dst=192.168.1.50 sport=${1 + i} dport=${1024 + (i % 500)} mark=0 use=1`);
    }
    writeFileSync(log, lines.join('\n') + '\n');
    const run = await collectDraft([log], { ips: ['192.168.1.50'], macs: [] });
    expect(run.data.endpoints.length).toBeLessThanOrEqual(250);
    expect(run.data.aggregation.join(' ')).toMatch(/or 50000 address, protocol and port combinations, further ones were counted by \/24/);
    expect(run.inputs[0]!.stats).toMatchObject({ records: 60_000 });
  });
});

describe('finding 7: past the address limit', () => {
  const flow = (dst: string, dport = 443): Flow => ({ kind: 'flow', time: 1_700_000_000_000, src: '192.168.1.50', dst, protocol: 'tcp', sport: 40000, dport, role: 'syn' });
  /** A collector that already knows 20,000 addresses (the device and 19,999 remotes), and lists every group it keeps. */
  const full = () => {
    const collector = new Collector({ ips: ['192.168.1.50'], macs: [] }, new Set(), false, undefined, 1_000_000);
    for (let i = 0; i < 19_999; i++) collector.emit(flow(`34.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    return collector;
  };
  const counts = (endpoints: { address?: string; port?: number; count: number }[], prefix: string) =>
    new Map(endpoints.filter((e) => e.address?.startsWith(prefix)).map((e) => [`${e.address} ${e.port}`, e.count]));

  it('flows are counted per /24, port and direction; once 20,000 of those exist, per /16', async () => {
    const collector = full();
    for (let i = 0; i < 20_000; i++) collector.emit(flow(`52.${i >> 8}.${i & 255}.1`));
    for (let i = 0; i < 600; i++) collector.emit(flow(`53.${i % 6}.${i}.${1 + (i % 200)}`, i % 2 ? 443 : 8883));
    for (let i = 0; i < 300; i++) collector.emit(flow(`52.${i >> 8}.${i & 255}.${2 + (i % 100)}`));
    const { endpoints } = await collector.result();
    expect(endpoints.filter((e) => e.address?.startsWith('34.')).every((e) => !e.address!.includes('/'))).toBe(true);
    const narrow = counts(endpoints, '52.');
    expect(narrow.size).toBe(20_000);
    expect([...narrow].filter(([, n]) => n === 2).length).toBe(300);
    const wide = new Map<string, number>();
    for (let i = 0; i < 600; i++) { const k = `53.${i % 6}.0.0/16 ${i % 2 ? 443 : 8883}`; wide.set(k, (wide.get(k) ?? 0) + 1); }
    expect(counts(endpoints, '53.')).toEqual(wide);
  });

  it('IPv6 flows are counted per /48, port and direction', async () => {
    const collector = full();
    const expected = new Map<string, number>();
    for (let i = 0; i < 3_000; i++) {
      const port = i % 2 ? 443 : 8883;
      collector.emit(flow(`2a00:1450:40${10 + (i % 10)}:8${i % 7}::${(i + 1).toString(16)}`, port));
      const key = `2a00:1450:40${10 + (i % 10)}::/48 ${port}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(counts((await collector.result()).endpoints, '2a00:')).toEqual(expected);
  });
});

describe('finding 8: formats met in the wild', () => {
  it("OPNsense's JSON firewall-log export", async () => {
    const run = await collectDraft([FIXTURES + 'opnsense-firewall-log.json'], { ips: ['192.168.1.50'], macs: [] });
    expect(run.inputs[0]!.format.name).toBe('opnsense-json');
    expect(run.inputs[0]!.stats).toMatchObject({ records: 5, malformed: 1 });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port ?? ''}`).sort()).toEqual(['162.159.200.1/udp/123', '52.94.236.248/tcp/8883', '9.9.9.9/icmp/']);
    expect(new Date(run.data.first).toISOString()).toBe('2024-03-03T10:00:01.000Z');
  });

  it('UniFi CEF syslog: firewall and IPS events are flows, admin events are not', async () => {
    const run = await collectDraft([FIXTURES + 'unifi-cef.log'], { ips: ['192.168.1.50'], macs: [] }, { year: 2024 });
    expect(run.inputs[0]!.format.name).toBe('cef');
    expect(run.inputs[0]!.stats).toMatchObject({ records: 4, malformed: 1 });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['3.120.0.1/udp/3478', '52.94.236.248/tcp/8883']);
    expect(new Date(run.data.first).toISOString()).toBe('2024-03-03T10:00:02.120Z');
  });

  it('ISC dhcpd leases make --device <mac> find the device in a log without MACs', async () => {
    const run = await collectDraft([FIXTURES + 'dhcpd.log', FIXTURES + 'filterlog.txt'], { ips: [], macs: ['02:00:00:00:00:50'] }, { year: 2024 });
    expect(run.inputs[0]!.format.name).toBe('dhcpd');
    expect(run.data.deviceAddresses).toEqual(['192.168.1.50']);
    expect(run.data.endpoints.map((e) => e.address).sort()).toEqual(['162.159.200.1', '9.9.9.9', '93.184.216.34']);
    expect(run.inputs[0]!.stats).toMatchObject({ malformed: 1 });
  });

  it('Zeek conn logs with the extra label columns of IoT-23', async () => {
    const run = await collectDraft([FIXTURES + 'zeek-iot23-conn.log.labeled'], { ips: ['192.168.1.50'], macs: [] });
    expect(run.inputs[0]!.format.name).toBe('zeek');
    expect(run.inputs[0]!.stats).toMatchObject({ malformed: 1 });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['52.28.0.60/tcp/443', '65.127.233.163/tcp/23', '8.8.8.8/udp/53']);
  });

  it('a forced --format that marks every record malformed fails instead of exiting 0', () => {
    const dir = tree();
    const r = draft(dir, [FIXTURES + 'dnsmasq.txt', '--format', 'zeek', '--device', '192.168.1.50', '--into', join(dir, 'acme', 'plug.yaml')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/every zeek record was malformed .*leave out --format/);
    expect(existsSync(join(dir, 'acme', 'plug.yaml'))).toBe(false);
  });
});

describe('captures: TLS server names split across segments, and DNS over TCP', () => {
  it('a ClientHello in two segments still names the flow, and a DNS answer over TCP names its address', async () => {
    const dir = tree();
    const cap = join(dir, 'split.pcap');
    const t = Date.UTC(2024, 2, 3, 10);
    const PLUG = '02:00:00:00:00:50';
    const GW = '02:00:00:00:00:01';
    const hello = clientHello('split.cloud-fixture.net', 1800);
    expect(hello.length).toBeGreaterThan(1460);
    const first = hello.subarray(0, 1400);
    const rest = hello.subarray(1400);
    writeFileSync(cap, pcapFile([
      { time: t, frame: ethernet(GW, PLUG, tcp('192.168.1.1', '192.168.1.50', 53, 40100, 0x18, overTcp(dnsResponse('tcp-dns.cloud-fixture.net', '52.28.0.71')))) },
      { time: t + 10, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.71', 40201, 8883, 0x02, Buffer.alloc(0), 999)) },
      { time: t + 20, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.70', 40200, 443, 0x02, Buffer.alloc(0), 1000)) },
      { time: t + 30, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.70', 40200, 443, 0x18, first, 1001)) },
      // A retransmission of the first segment changes nothing; the second completes the hello.
      { time: t + 40, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.70', 40200, 443, 0x18, first, 1001)) },
      { time: t + 50, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.70', 40200, 443, 0x18, rest, 1001 + first.length)) },
    ]));
    const run = await collectDraft([cap], { ips: ['192.168.1.50'], macs: [] });
    const named = Object.fromEntries(run.data.endpoints.map((e) => [`${e.port}`, `${e.host}/${e.nameSource}`]));
    expect(named).toEqual({ '443': 'split.cloud-fixture.net/sni', '8883': 'tcp-dns.cloud-fixture.net/dns' });
  });

  it('DNS over TCP is reassembled across segments: a split length, a split message, two messages in a row', async () => {
    const dir = tree();
    const cap = join(dir, 'dns-tcp.pcap');
    const t = Date.UTC(2024, 2, 3, 10);
    const PLUG = '02:00:00:00:00:50';
    const GW = '02:00:00:00:00:01';
    // The device's lookups: one query whose two-byte length is itself split, then a query in the same segment as the
    // start of the next one.
    const queries = Buffer.concat([overTcp(dnsQuery('split-query.cloud-fixture.net')), overTcp(dnsQuery('second-query.cloud-fixture.net'))]);
    // The resolver's answers: the first split inside its message, the second starting in the segment that ends the first.
    const answers = Buffer.concat([overTcp(dnsResponse('split-answer.cloud-fixture.net', '52.28.0.81')), overTcp(dnsResponse('second-answer.cloud-fixture.net', '52.28.0.82'))]);
    const q = (seq: number, from: number, to?: number) => ethernet(PLUG, GW, tcp('192.168.1.50', '192.168.1.1', 40300, 53, 0x18, queries.subarray(from, to), seq));
    const a = (seq: number, from: number, to?: number) => ethernet(GW, PLUG, tcp('192.168.1.1', '192.168.1.50', 53, 40300, 0x18, answers.subarray(from, to), seq));
    const cut = 20;
    writeFileSync(cap, pcapFile([
      { time: t, frame: q(5000, 0, 1) },
      { time: t + 1, frame: q(5001, 1, 40) },
      { time: t + 2, frame: q(5001, 1, 40) }, // a retransmission changes nothing
      { time: t + 3, frame: q(5040, 40) },
      { time: t + 4, frame: a(9000, 0, cut) },
      { time: t + 5, frame: a(9000 + cut, cut, answers.length - 10) },
      { time: t + 6, frame: a(9000 + answers.length - 10, answers.length - 10) },
      { time: t + 10, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.81', 40301, 8883, 0x02)) },
      { time: t + 11, frame: ethernet(PLUG, GW, tcp('192.168.1.50', '52.28.0.82', 40302, 443, 0x02)) },
    ]));
    const run = await collectDraft([cap], { ips: ['192.168.1.50'], macs: [] });
    expect(Object.fromEntries(run.data.endpoints.map((e) => [`${e.port}`, `${e.host}/${e.nameSource}`]))).toEqual({
      '8883': 'split-answer.cloud-fixture.net/dns', '443': 'second-answer.cloud-fixture.net/dns',
    });
    expect(run.data.queriedOnly).toEqual(['second-query.cloud-fixture.net', 'split-query.cloud-fixture.net']);
  });
});

describe('finding 2 for IPFIX files: one record per direction, paired', () => {
  it('replies never become flows; both-ephemeral records are counted', async () => {
    const dir = tree();
    const file = join(dir, 'flows.ipfix');
    const t = Date.UTC(2024, 2, 3, 10);
    const pair = (a: string, ap: number, b: string, bp: number, protocol: number, start: number) => [
      { src: a, dst: b, sport: ap, dport: bp, protocol, start }, { src: b, dst: a, sport: bp, dport: ap, protocol, start: start + 5 },
    ];
    writeFileSync(file, ipfixFile([
      ...pair('192.168.1.50', 6449, '8.8.8.8', 53, 17, t),
      ...pair('192.168.1.50', 40050, '52.28.0.30', 8883, 6, t + 1000),
      ...pair('192.168.1.50', 50000, '52.28.0.31', 60000, 17, t + 2000),
      ...pair('45.155.205.1', 51234, '192.168.1.50', 23, 6, t + 3000),
    ]));
    const run = await collectDraft([file], { ips: ['192.168.1.50'], macs: [] });
    expect(run.inputs[0]!.format.name).toBe('ipfix');
    expect(run.inputs[0]!.stats).toMatchObject({ records: 8, malformed: 0 });
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['52.28.0.30/tcp/8883', '8.8.8.8/udp/53']);
    expect(run.data.leftOut).toMatchObject({ undeterminedOpener: 2, inboundInternet: 2 });
    expect(new Date(run.data.first).toISOString()).toBe('2024-03-03T10:00:00.000Z');
  });
});

/** Every record read is used, other, malformed or skipped: none is lost and none counted twice. */
const accounted = (stats: { records: number; other: number; malformed: number; skipped: number }, used: number) =>
  expect(stats.records).toBe(used + stats.other + stats.malformed + stats.skipped);

describe('IPFIX biflows (RFC 5103) and options templates (RFC 7011)', () => {
  it('reads a record with reverse elements as one connection its forward side opened, and steps over options records', async () => {
    const dir = tree();
    const file = join(dir, 'biflows.ipfix');
    const t = Date.UTC(2024, 2, 3, 10);
    const REVERSE = 29305;
    // Template 300 (YAF's shape): addresses, ports, protocol, start, and the reverse octet and packet counts.
    const biflow: FieldSpec[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 }, { id: 152, length: 8 }, { id: 1, length: 8 }, { id: 1, length: 8, enterprise: REVERSE }, { id: 2, length: 8, enterprise: REVERSE }];
    // Template 301: the same with biflowDirection (IE 239), 2 = the reverse side opened, 0 = arbitrary.
    const directed: FieldSpec[] = [...biflow, { id: 239, length: 1 }];
    const record = (src: string, dst: string, sport: number, dport: number, protocol: number, start: number, reverseOctets: number, direction?: number) => Buffer.concat([
      be.ip4(src), be.ip4(dst), be.u16(sport), be.u16(dport), be.u8(protocol), be.u64(start), be.u64(600), be.u64(reverseOctets), be.u64(reverseOctets ? 3 : 0), ...(direction === undefined ? [] : [be.u8(direction)]),
    ]);
    // Options template 400: scope observationDomainId (149), then exportedFlowRecordTotalCount (42): exporter statistics.
    const options = ipfixOptionsTemplate(400, [{ id: 149, length: 4 }], [{ id: 42, length: 8 }]);
    writeFileSync(file, Buffer.concat([
      ipfixMessage([flowSet(2, Buffer.concat([ipfixTemplate(300, biflow), ipfixTemplate(301, directed)])), flowSet(3, options)], t / 1000),
      ipfixMessage([flowSet(256 + 44, Buffer.concat([
        record('192.168.1.50', '52.28.0.40', 40001, 8883, 6, t, 900),
        // Both ports ephemeral: a one-way record could not tell who opened it; a biflow's forward side did.
        record('192.168.1.50', '52.28.0.41', 50001, 60001, 17, t + 1000, 300),
      ]))], t / 1000 + 1),
      ipfixMessage([flowSet(301, Buffer.concat([
        record('52.28.0.44', '192.168.1.50', 61000, 62000, 17, t + 2000, 120, 2),
        record('52.28.0.45', '192.168.1.50', 61001, 62001, 17, t + 3000, 120, 0),
      ])), flowSet(400, Buffer.concat([be.u32(7), be.u64(6), be.u32(7), be.u64(7)]))], t / 1000 + 4),
    ]));
    const run = await collectDraft([file], { ips: ['192.168.1.50'], macs: [] });
    expect(run.inputs[0]!.format.name).toBe('ipfix');
    const stats = run.inputs[0]!.stats!;
    expect(stats).toMatchObject({ records: 6, other: 2, malformed: 0 });
    accounted(stats, 4);
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['52.28.0.40/tcp/8883', '52.28.0.41/udp/60001', '52.28.0.44/udp/61000']);
    // biflowDirection 0 (arbitrary) says nothing of the opener: both ports ephemeral, so counted, not guessed.
    expect(run.data.leftOut).toMatchObject({ undeterminedOpener: 1, inboundInternet: 0 });
    // A template record with no fields withdraws the template (RFC 7011 section 8.1): its later records cannot be read.
    const withdrawn = join(dir, 'withdrawn.ipfix');
    writeFileSync(withdrawn, Buffer.concat([
      ipfixMessage([flowSet(2, ipfixTemplate(300, biflow))], t / 1000),
      ipfixMessage([flowSet(256 + 44, record('192.168.1.50', '52.28.0.46', 40002, 443, 6, t, 900))], t / 1000 + 1),
      ipfixMessage([flowSet(2, Buffer.concat([be.u16(300), be.u16(0)]))], t / 1000 + 2),
      ipfixMessage([flowSet(256 + 44, record('192.168.1.50', '52.28.0.47', 40003, 443, 6, t, 900))], t / 1000 + 3),
    ]));
    const after = await collectDraft([withdrawn], { ips: ['192.168.1.50'], macs: [] });
    expect(after.inputs[0]!.stats).toMatchObject({ records: 2, malformed: 1 });
    expect(after.inputs[0]!.stats!.malformedExamples[0]!.reason).toBe('data set 300 before its template');
    expect(after.data.endpoints.map((e) => e.address)).toEqual(['52.28.0.46']);
  });
});

describe('NetFlow v9 export packets (RFC 3954)', () => {
  it('reads templates, options templates and data FlowSets, pairs one-way records, and dates them from the header', async () => {
    const dir = tree();
    const file = join(dir, 'flows.nf9');
    const boot = Date.UTC(2024, 2, 3, 9);
    const t = Date.UTC(2024, 2, 3, 10);
    // Template 260: IPV4_SRC_ADDR, IPV4_DST_ADDR, L4_SRC_PORT, L4_DST_PORT, PROTOCOL, IN_BYTES, FIRST_SWITCHED, LAST_SWITCHED.
    const fields: FieldSpec[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 }, { id: 1, length: 4 }, { id: 22, length: 4 }, { id: 21, length: 4 }];
    const record = (src: string, dst: string, sport: number, dport: number, protocol: number, at: number) =>
      Buffer.concat([be.ip4(src), be.ip4(dst), be.u16(sport), be.u16(dport), be.u8(protocol), be.u32(300), be.u32(at - boot), be.u32(at - boot + 20)]);
    const pair = (a: string, ap: number, b: string, bp: number, protocol: number, at: number) => [record(a, b, ap, bp, protocol, at), record(b, a, bp, ap, protocol, at + 5)];
    const header = (count: number, at: number, sequence: number) => ({ count, uptimeMs: at - boot, unixSeconds: Math.floor(at / 1000), source: 3, sequence });
    // Options template 270: scope System (1) of 4 bytes, then SAMPLING_INTERVAL (34): the exporter's own settings.
    const options = netflow9OptionsTemplate(270, [{ id: 1, length: 4 }], [{ id: 34, length: 4 }]);
    writeFileSync(file, Buffer.concat([
      netflow9Packet([flowSet(0, netflow9Template(260, fields), 4), flowSet(1, options, 4), flowSet(270, Buffer.concat([be.u32(1), be.u32(100)]), 4)], header(3, t, 1)),
      netflow9Packet([flowSet(260, Buffer.concat([
        ...pair('192.168.1.50', 6449, '8.8.8.8', 53, 17, t),
        ...pair('192.168.1.50', 40050, '52.28.0.30', 8883, 6, t + 1000),
      ]), 4)], header(4, t + 2000, 2)),
      netflow9Packet([flowSet(260, Buffer.concat([
        ...pair('192.168.1.50', 50000, '52.28.0.31', 60000, 17, t + 2000),
        ...pair('45.155.205.1', 51234, '192.168.1.50', 23, 6, t + 3000),
      ]), 4)], header(4, t + 4000, 3)),
    ]));
    const run = await collectDraft([file], { ips: ['192.168.1.50'], macs: [] });
    expect(run.inputs[0]!.format.name).toBe('netflow9');
    const stats = run.inputs[0]!.stats!;
    expect(stats).toMatchObject({ records: 9, other: 1, malformed: 0 });
    accounted(stats, 8);
    expect(run.data.endpoints.map((e) => `${e.address}/${e.protocol}/${e.port}`).sort()).toEqual(['52.28.0.30/tcp/8883', '8.8.8.8/udp/53']);
    expect(run.data.leftOut).toMatchObject({ undeterminedOpener: 2, inboundInternet: 2 });
    // FIRST_SWITCHED counts from the exporter's boot: the header's UNIX seconds minus its sysUptime.
    expect(new Date(run.data.first).toISOString()).toBe('2024-03-03T10:00:00.000Z');
    // A data FlowSet whose template never came is one malformed unit, and the rest of the file is still read.
    const orphan = join(dir, 'orphan.nf9');
    writeFileSync(orphan, Buffer.concat([
      netflow9Packet([flowSet(261, record('192.168.1.50', '52.28.0.32', 40000, 443, 6, t), 4)], header(1, t, 1)),
      netflow9Packet([flowSet(0, netflow9Template(261, fields), 4), flowSet(261, record('192.168.1.50', '52.28.0.33', 40001, 443, 6, t), 4)], header(2, t, 2)),
    ]));
    const again = await collectDraft([orphan], { ips: ['192.168.1.50'], macs: [] });
    expect(again.inputs[0]!.stats).toMatchObject({ records: 2, malformed: 1 });
    expect(again.inputs[0]!.stats!.malformedExamples[0]!.reason).toBe('data set 261 before its template');
    expect(again.data.endpoints.map((e) => e.address)).toEqual(['52.28.0.33']);
  });
});

describe.skipIf(!existsSync('/usr/bin/script'))('progress', () => {
  it('is shown on stderr when it is a terminal, and not in a pipe', () => {
    const dir = tree();
    const cmd = `${process.execPath} ${join(ROOT, 'scripts/bin/netneeds.js')} draft ${FIXTURES}filterlog.txt --device 192.168.1.50 --year 2024`;
    // script(1) gives the command a terminal; its output is what the terminal showed.
    const tty = spawnSync('/usr/bin/script', ['-qec', `${cmd} >/dev/null`, '/dev/null'], { cwd: ROOT, env: { ...process.env, NETNEEDS_DEVICES: dir }, encoding: 'utf8' });
    expect(tty.stdout).toMatch(/reading filterlog\.txt \(1\/1\): 100 %/);
    expect(draft(dir, [FIXTURES + 'filterlog.txt', '--device', '192.168.1.50', '--year', '2024']).stderr).not.toMatch(/reading /);
  });
});
