import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DraftEvent, Format, ReadStats } from '../../scripts/draft/events.js';
import { detectFormat } from '../../scripts/draft/formats/index.js';
import { pcapFile, pcapngFile, plugSession } from './packets.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/draft/', import.meta.url));

async function readAll(path: string, needles: string[] | null = null): Promise<{ format: Format; events: DraftEvent[]; stats: ReadStats }> {
  const format = detectFormat(path);
  if (!format) throw new Error(`${path} not recognised`);
  const events: DraftEvent[] = [];
  const stats = await format.read(path, { emit: (e) => events.push({ ...e }) }, { filter: { needles, ips: new Set(), macs: new Set() }, year: 2024 });
  return { format, events, stats };
}
const flows = (events: DraftEvent[]) => events.filter((e) => e.kind === 'flow').map((e) => e.kind === 'flow' && `${e.src}:${e.sport ?? ''}>${e.dst}:${e.dport ?? ''}/${e.protocol}/${e.role}${e.sni ? `/${e.sni}` : ''}`);

describe('readers on the project fixtures', () => {
  it('filterlog: BSD and RFC 5424 headers, IPv4 and IPv6, tcp/udp/icmp; a broken line is counted', async () => {
    const { format, events, stats } = await readAll(FIXTURES + 'filterlog.txt');
    expect(format.name).toBe('filterlog');
    expect(flows(events)).toEqual([
      '192.168.1.50:50000>93.184.216.34:443/tcp/syn',
      '192.168.1.50:40000>162.159.200.1:123/udp/packet',
      '162.159.200.1:123>192.168.1.50:40000/udp/packet',
      '192.168.1.50:>9.9.9.9:/icmp/packet',
      '192.168.1.77:50001>93.184.216.34:443/tcp/syn',
      'fd00::50:65382>2606:4700:4700::1111:853/tcp/syn',
      '192.168.1.50:1900>239.255.255.250:1900/udp/packet',
    ]);
    expect(stats).toMatchObject({ records: 9, malformed: 1, other: 1 });
    expect(stats.malformedExamples[0]!.at).toBe('line 7');
    expect(new Date((events[0] as { time: number }).time).toISOString()).toBe('2024-03-03T10:00:01.000Z');
    expect(new Date((events[5] as { time: number }).time).toISOString()).toBe('2024-03-04T11:32:42.868Z');
  });

  it('filterlog with a device filter skips lines that cannot concern the device, and still counts them', async () => {
    const { events, stats } = await readAll(FIXTURES + 'filterlog.txt', ['192.168.1.50']);
    expect(flows(events)).not.toContain('192.168.1.77:50001>93.184.216.34:443/tcp/syn');
    expect(stats.records).toBe(9);
    expect(stats.skipped).toBeGreaterThan(0);
    expect(stats.malformedExamples[0]!.at).toBe('line 7');
  });

  it('netfilter: UFW, UniFi, Proxmox and nftables prefixes, MAC= source, SYN flag', async () => {
    const { format, events, stats } = await readAll(FIXTURES + 'netfilter.txt');
    expect(format.name).toBe('netfilter');
    expect(flows(events)).toEqual([
      '192.168.1.50:40001>52.94.236.248:8883/tcp/syn',
      '192.168.1.50:40002>8.8.8.8:53/udp/packet',
      '192.168.1.50:40003>3.120.0.1:3478/udp/packet',
      '192.168.1.50:40001>52.94.236.248:8883/tcp/packet',
    ]);
    expect(events.every((e) => e.kind !== 'flow' || e.srcMac === '02:00:00:00:00:50')).toBe(true);
    expect(new Date((events[2] as { time: number }).time).toISOString()).toBe('2024-03-03T10:00:03.000Z');
    expect(stats).toMatchObject({ malformed: 1, other: 1 });
  });

  it('mikrotik: IPv4 and bracketed IPv6, connection-state:new', async () => {
    const { events, stats } = await readAll(FIXTURES + 'mikrotik.txt');
    expect(flows(events)).toEqual([
      '192.168.1.50:40010>34.120.0.10:443/tcp/syn',
      '192.168.1.50:40011>34.120.0.11:5683/udp/initiator',
      '2001:4860::50:40012>2a00:1450:4001::200e:443/tcp/syn',
    ]);
    expect(stats).toMatchObject({ malformed: 1, other: 1 });
  });

  it('dnsmasq: answers go to the name asked for; config (spoofed) answers are never used; DHCPACK leases', async () => {
    const { events, stats } = await readAll(FIXTURES + 'dnsmasq.txt');
    const answers = events.filter((e) => e.kind === 'dns');
    expect(answers).toEqual([
      expect.objectContaining({ name: 'api.example.com', address: '93.184.216.34', client: '192.168.1.50' }),
      expect.objectContaining({ name: 'other.example.org', address: '93.184.216.35', client: '192.168.1.77' }),
      expect.objectContaining({ name: 'time.example.com', address: '162.159.200.1', client: '192.168.1.50' }),
    ]);
    expect(events.find((e) => e.kind === 'lease')).toMatchObject({ ip: '192.168.1.50', mac: '02:00:00:00:00:50' });
    expect(JSON.stringify(events)).not.toContain('203.0.113.99');
    expect(stats.malformed).toBe(1);
  });

  it('adguard: old and new querylog shapes; filtered answers are AdGuard\'s own and not used', async () => {
    const { events, stats } = await readAll(FIXTURES + 'adguard-querylog.json');
    expect(events.filter((e) => e.kind === 'dns')).toEqual([expect.objectContaining({ name: 'cloud.example.com', address: '52.28.0.9', client: '192.168.1.50' })]);
    expect(events.filter((e) => e.kind === 'query').map((e) => e.kind === 'query' && e.name)).toEqual(['cloud.example.com', 'blocked.example.com']);
    expect(stats.malformed).toBe(1);
  });

  it('zeek: conn and ssl TSV, dns JSON, dhcp TSV; rows that do not fit the header are counted', async () => {
    const conn = await readAll(FIXTURES + 'zeek-conn.tsv');
    expect(flows(conn.events)).toEqual([
      '192.168.1.50:40020>52.28.0.9:443/tcp/initiator',
      '192.168.1.50:40021>224.0.0.251:5353/udp/initiator',
      '192.168.1.10:50000>192.168.1.50:80/tcp/initiator',
    ]);
    expect(conn.stats.malformed).toBe(1);
    const ssl = await readAll(FIXTURES + 'zeek-ssl.tsv', ['192.168.1.50']);
    expect(flows(ssl.events)).toEqual(['192.168.1.50:40020>52.28.0.9:443/tcp/initiator/device.example.com']);
    expect(ssl.stats.malformed).toBe(1);
    const dns = await readAll(FIXTURES + 'zeek-dns.json');
    expect(dns.events.filter((e) => e.kind === 'dns')).toEqual([
      expect.objectContaining({ name: 'mqtt.example.com', address: '52.28.0.10', client: '192.168.1.50' }),
      expect.objectContaining({ name: 'not-mine.example.com', client: '192.168.1.77' }),
    ]);
    expect(dns.stats.malformed).toBe(1);
    const dhcp = await readAll(FIXTURES + 'zeek-dhcp.tsv');
    expect(dhcp.events).toEqual([expect.objectContaining({ kind: 'lease', mac: '02:00:00:00:00:50', ip: '192.168.1.50' })]);
  });

  it('suricata: dns answers, flow and tls events with SNI; a cut line is counted', async () => {
    const { events, stats } = await readAll(FIXTURES + 'suricata-eve.json');
    expect(events.filter((e) => e.kind === 'dns')).toEqual([expect.objectContaining({ name: 'push.example.com', address: '52.28.0.12' })]);
    expect(flows(events)).toEqual([
      '192.168.1.50:40030>52.28.0.12:5223/tcp/initiator',
      '192.168.1.50:40031>52.28.0.13:443/tcp/initiator/ota.example.com',
    ]);
    expect(stats).toMatchObject({ malformed: 1, other: 1 });
  });

  it('conntrack: -L and /proc/net/nf_conntrack lines, original direction only', async () => {
    const { events, stats } = await readAll(FIXTURES + 'conntrack.txt');
    expect(flows(events)).toEqual([
      '192.168.1.50:40040>52.28.0.20:443/tcp/initiator',
      '192.168.1.50:123>129.6.15.28:123/udp/initiator',
      '192.168.1.50:>8.8.4.4:/icmp/initiator',
    ]);
    expect(JSON.stringify(events)).not.toContain('203.0.113.5');
    expect(stats.malformed).toBe(1);
  });

  it('nfdump: header-driven columns; the summary block is not flows', async () => {
    const { events, stats } = await readAll(FIXTURES + 'nfdump.csv');
    expect(flows(events)).toEqual(['192.168.1.50:40050>52.28.0.30:1883/tcp/record']);
    expect(new Date((events[0] as { time: number }).time).toISOString()).toBe('2024-03-03T10:00:00.000Z');
    expect(stats.malformed).toBe(1);
  });

  for (const [kind, build] of [['pcap', pcapFile], ['pcapng', pcapngFile]] as const) {
    it(`${kind}: frames, DNS answers, DHCP leases and the TLS server name; a truncated frame is counted`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-'));
      const path = join(dir, `plug.${kind}`);
      writeFileSync(path, build(plugSession()));
      const { format, events, stats } = await readAll(path);
      expect(format.name).toBe('pcap');
      expect(events.find((e) => e.kind === 'lease')).toMatchObject({ mac: '02:00:00:00:00:50', ip: '192.168.1.50' });
      expect(events.find((e) => e.kind === 'dns')).toMatchObject({ name: 'cloud.example.com', address: '52.28.0.40', client: '192.168.1.50' });
      expect(flows(events)).toContain('192.168.1.50:40200>52.28.0.40:443/tcp/packet/tls.example.com');
      expect(new Date(events.find((e) => e.kind === 'flow')!.time).toISOString()).toBe('2024-03-03T10:00:00.000Z');
      expect(stats).toMatchObject({ records: 9, malformed: 1 });
    });
  }

  it('a capture cut short mid-record is reported, not fatal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-'));
    const path = join(dir, 'cut.pcap');
    const whole = pcapFile(plugSession());
    writeFileSync(path, whole.subarray(0, whole.length - 10));
    const { events, stats } = await readAll(path);
    expect(events.length).toBeGreaterThan(5);
    expect(stats.malformedExamples.at(-1)!.reason).toMatch(/file ends inside a record/);
  });
});
