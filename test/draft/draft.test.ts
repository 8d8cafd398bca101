import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { collectDraft } from '../../scripts/draft/command.js';
import { mergeDraft } from '../../scripts/draft/device-file.js';
import { draftParts, writeDraft, SOURCE_PLACEHOLDER } from '../../scripts/draft/write.js';
import { lint } from '../../scripts/lint/index.js';
import { pcapFile, plugSession } from './packets.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/draft/', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));
const TP_LINK_SOURCE = 'https://github.com/fdekeers/iot-firewall/blob/a1ddb91c7d49a1ec24703538be88353a6528f403/data/traces/tplink-plug/tp-link.pcap';

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-tree-'));
  mkdirSync(join(dir, 'acme'));
  writeFileSync(join(dir, 'acme', '_vendor.yaml'), '# yaml-language-server: $schema=../../schema/vendor.schema.json\nid: acme\nname: Acme\n');
  return dir;
}
const info = (source?: string) => ({ type: 'firewall-log' as const, ...(source ? { source } : {}), inputs: ['test inputs'], fallbackDate: '2024-03-05' });
const newDevice = { device: { id: 'acme/plug', name: 'Acme Plug', category: 'plug' } };

describe('draft end to end', () => {
  it('a DNS log plus a firewall log: names from the device\'s own answers, spoofed and foreign answers unused', async () => {
    const run = await collectDraft([FIXTURES + 'dnsmasq.txt', FIXTURES + 'filterlog.txt'], { ips: ['192.168.1.50'], macs: [] }, { year: 2024 });
    expect(run.evidenceType).toBe('firewall-log');
    const hosts = run.data.endpoints.map((e) => `${e.host ?? e.address}/${e.protocol}/${e.port ?? ''}/${e.service}`).sort();
    expect(hosts).toEqual(['9.9.9.9/icmp//icmp', 'api.example.com/tcp/443/https', 'time.example.com/udp/123/ntp']);
    expect(run.data.local).toEqual([expect.objectContaining({ from: 'device', to: 'multicast', group: '239.255.255.250', service: 'ssdp', purpose: 'discovery' })]);
    expect(run.data.leftOut.otherFlows).toBe(0); // the other host's line was skipped unparsed by the device filter
    expect(run.data.queriedOnly).toEqual(['portal.example.org']);
  });

  it('attributes by MAC through DHCP leases, and writes a file the lint accepts once a source URL is given', async () => {
    const dir = tree();
    const cap = join(dir, 'plug.pcap');
    writeFileSync(cap, pcapFile(plugSession()));
    const run = await collectDraft([cap], { ips: [], macs: ['02:00:00:00:00:50'] });
    expect(run.data.deviceAddresses).toEqual(['192.168.1.50']);
    const out = await writeDraft(run.data, { ...info('https://example.org/captures/plug'), type: run.evidenceType }, newDevice);
    const doc = parse(out.text);
    expect(doc.endpoints.map((e: { host?: string; address?: string }) => e.host ?? e.address)).toEqual(['tls.example.com', '52.28.0.41']);
    expect(doc.endpoints.every((e: { needs: Record<string, string> }) => e.needs['vendor-app'] === 'unknown' && e.needs['home-assistant'] === 'unknown')).toBe(true);
    expect(doc.evidence).toEqual([expect.objectContaining({ type: 'packet-capture', date: '2024-03-03', source: 'https://example.org/captures/plug' })]);
    // Privacy: no MAC, not the device's own address, not the other host.
    expect(out.text).not.toMatch(/02:00:00|192\.168\.1\.(50|77)|52\.28\.0\.99/);
    writeFileSync(join(dir, 'acme', 'plug.yaml'), out.text);
    const { problems } = lint(dir, { today: '2026-01-01' });
    expect(problems).toEqual([]);
  });

  it('without --source the placeholder fails validation with a message naming it', async () => {
    const dir = tree();
    const run = await collectDraft([FIXTURES + 'conntrack.txt'], { ips: ['192.168.1.50'], macs: [] });
    const out = await writeDraft(run.data, info(), newDevice);
    expect(out.text).toContain(SOURCE_PLACEHOLDER);
    writeFileSync(join(dir, 'acme', 'plug.yaml'), out.text);
    const { problems } = lint(dir, { today: '2026-01-01' });
    expect(problems.map((p) => p.rule)).toEqual(['source-url']);
    expect(problems[0]!.message).toContain('replace-with-a-public-link-to-your-capture');
  });

  it('merging twice adds nothing the second time, and keeps what the contributor filled in', async () => {
    const run = await collectDraft([FIXTURES + 'netfilter.txt'], { ips: ['192.168.1.50'], macs: [] }, { year: 2024 });
    const first = await writeDraft(run.data, info('https://example.org/log'), newDevice);
    const edited = first.text.replace('vendor-app: unknown', 'vendor-app: required');
    const second = await writeDraft(run.data, info('https://example.org/log'), { existing: edited });
    expect(second.added).toEqual({ endpoints: 0, local: 0 });
    expect(second.evidenceReused).toBe(true);
    expect(second.text).toBe(edited);
    const other = await writeDraft(run.data, info('https://example.org/another-log'), { existing: edited });
    const doc = parse(other.text);
    expect(doc.evidence.map((e: { id: string }) => e.id)).toEqual(['firewall-log-2024-03-03', 'firewall-log-2024-03-03-2']);
    expect(doc.endpoints[0].evidence).toEqual(['firewall-log-2024-03-03', 'firewall-log-2024-03-03-2']);
    expect(doc.endpoints).toHaveLength(parse(first.text).endpoints.length);
  });

  it('hostile names from DNS or SNI never become hosts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-draft-'));
    const log = join(dir, 'dns.txt');
    writeFileSync(log, [
      'Mar  3 10:00:00 dnsmasq[1]: query[A] <script>.example.com from 192.168.1.50',
      'Mar  3 10:00:00 dnsmasq[1]: reply <script>.example.com is 93.184.216.34',
      'Mar  3 10:00:01 dnsmasq[1]: query[A] UPPER.Example.COM from 192.168.1.50',
      'Mar  3 10:00:01 dnsmasq[1]: reply UPPER.Example.COM is 93.184.216.35',
    ].join('\n') + '\n');
    const fw = join(dir, 'fw.txt');
    writeFileSync(fw, 'Mar  3 10:00:02 fw filterlog[1]: 5,,,1,igb1,match,pass,in,4,0x0,,64,1,0,DF,6,tcp,60,192.168.1.50,93.184.216.34,50000,443,0,S,1,,64240,,mss\n'
      + 'Mar  3 10:00:02 fw filterlog[1]: 5,,,1,igb1,match,pass,in,4,0x0,,64,1,0,DF,6,tcp,60,192.168.1.50,93.184.216.35,50000,443,0,S,1,,64240,,mss\n');
    const run = await collectDraft([log, fw], { ips: ['192.168.1.50'], macs: [] }, { year: 2024 });
    expect(run.data.endpoints.map((e) => e.host ?? e.address).sort()).toEqual(['93.184.216.34', 'upper.example.com']);
    expect(run.data.leftOut.invalidNames).toBe(1);
  });
});

describe.skipIf(!existsSync(SAMPLES))('draft on the real third-party samples in ../shared/samples', () => {
  const s = (p: string) => SAMPLES + p;

  it('the TP-Link capture drafts a device file that validates with only its verdicts left to fill in', async () => {
    const dir = tree();
    const run = await collectDraft([s('pcap/fdekeers-iotfw-tp-link.pcap')], { ips: ['10.42.0.87'], macs: [] });
    const hosts = run.data.endpoints.map((e) => e.host).filter(Boolean);
    expect(hosts).toEqual(expect.arrayContaining(['n-euw1-wap.tplinkcloud.com', 'euw1-app-server.iot.i.tplinknbu.com']));
    const out = await writeDraft(run.data, { type: run.evidenceType, source: TP_LINK_SOURCE, inputs: ['tp-link.pcap'], fallbackDate: '2022-11-22' }, { device: { id: 'acme/plug', name: 'TP-Link plug', category: 'plug' } });
    writeFileSync(join(dir, 'acme', 'plug.yaml'), out.text);
    expect(lint(dir).problems).toEqual([]);
    expect(out.text).not.toContain('10.42.0.87');
  });

  it('a filterlog with no internet destination gives none', async () => {
    const run = await collectDraft([s('filterlog/ai-siem-pfsense-filter.log')], { ips: ['192.168.200.38'], macs: [] }, { year: 2025 });
    expect(run.data.endpoints).toEqual([]);
    expect(run.data.local.length).toBeGreaterThan(0);
  });

  it('a captive portal\'s spoofed answers are not taken as destination names', async () => {
    const run = await collectDraft([s('dnsmasq/dhbw-wilan-captiveportal-dnsmasq.log')], { ips: ['192.168.4.3'], macs: [] }, { year: 2024 });
    // A DNS log alone: only names an upstream reply answered become endpoints, protocol and port unknown.
    expect(run.data.dnsOnly).toBe(true);
    expect(run.data.endpoints.map((e) => e.host).sort()).toEqual(['detectportal.firefox.com', 'go.trouter.skype.com', 'pub-csm-plce-02-t.trouter.skype.com', 'safebrowsing.googleapis.com']);
    expect(run.data.endpoints.every((e) => e.protocol === 'unknown' && e.port === undefined && e.nameSource === 'lookup')).toBe(true);
    expect(run.data.queriedOnly).not.toContain('www.msftconnecttest.com'.replace('www.', 'x.')); // answered only by the portal's config
    expect(run.data.queriedOnly).toContain('www.msftconnecttest.com');
    expect(run.data.queriedOnly.length).toBeGreaterThan(10);
  });

  it('corrupted Zeek rows are counted and skipped, the rest still name destinations', async () => {
    const run = await collectDraft([s('zeek/kishpud-soczeeklab-ssl.log')], { ips: ['192.168.64.28'], macs: [] });
    expect(run.inputs[0]!.stats!.malformed).toBeGreaterThan(10);
    expect(run.data.endpoints.map((e) => e.host)).toEqual(expect.arrayContaining(['live.thunderbird.net', 'accounts.google.com']));
  });

  it('a public client address still works', async () => {
    const run = await collectDraft([s('pcap/zeek-traces-wikipedia.pcap')], { ips: ['141.142.220.118'], macs: [] });
    expect(run.data.endpoints.map((e) => e.host).filter(Boolean)).toEqual(expect.arrayContaining(['upload.wikimedia.org', 'meta.wikimedia.org']));
  });

  it('every sample drafts a file that validates, or has nothing to draft', async () => {
    // The device in each sample: the busiest host of the capture, or the client the log was written about.
    const files: [string, string][] = [
      ['filterlog/crowdsec-pf-logs.log', '10.0.2.15'], ['filterlog/crowdsec-pf-scan-multi-port.log', '10.0.2.15'], ['filterlog/crowdsec-pfsense-rfc5424-filterlog.log', '192.168.5.6'],
      ['filterlog/ai-siem-pfsense-filter.log', '192.168.200.38'], ['iptables/crowdsec-proxmox-iptables.log', '10.3.94.12'], ['iptables/hbdevelop1-bootlost-laptop-ufw.log', '192.168.1.103'],
      ['unifi/crowdsec-unifi-logs.log', '192.168.1.25'], ['dnsmasq/bazmonk-full_pihole-v6.log', '192.168.1.116'], ['dnsmasq/dhbw-wilan-captiveportal-dnsmasq.log', '192.168.4.3'],
      ['adguard/jaffa3-adguardhome-2018-querylog.json', '10.100.2.111'], ['zeek/kishpud-soczeeklab-conn.log', '192.168.64.28'], ['zeek/kishpud-soczeeklab-dns.log', '192.168.64.28'],
      ['zeek/kishpud-soczeeklab-ssl.log', '192.168.64.28'], ['zeek/evanswj-json-conn.log', '192.168.100.121'], ['zeek/evanswj-json-dns.log', '192.168.100.121'],
      ['suricata/carllos-relatorio-rede-eve.json', '172.20.1.62'], ['pcap/fdekeers-iotfw-tp-link.pcap', '10.42.0.87'], ['pcap/fdekeers-pingpong-wlan1.local.dns.pcap', '192.168.1.159'],
      ['pcap/fdekeers-pingpong-TP_LINK_REMOTE_ON.pcap', '192.168.1.159'], ['pcap/fdekeers-iotfw-dhcp-xiaomi.pcap', '192.168.1.1'], ['pcap/zeek-traces-mqtt.pcap', '10.0.1.4'],
      ['pcap/zeek-traces-ntp_NTP_sync.pcap', '192.168.50.50'], ['pcap/zeek-traces-ntp_ntp.pcap', '192.168.43.118'], ['pcap/zeek-traces-dns_mdns.pcap', '10.0.2.7'],
      ['pcap/zeek-traces-igmp_home-multicast-short.pcap', '192.168.0.10'], ['pcap/zeek-traces-wikipedia.pcap', '141.142.220.118'], ['pcap/tjoconnor-lockly-hub-01.pcap', '192.168.1.128'],
      ['pcap/tjoconnor-sifely-hub-01.pcap', '192.168.1.127'],
    ];
    // Servers on the internet scanned from outside, and a lease log: no destination of a device to draft.
    const nothing: [string, string][] = [['iptables/crowdsec-iptables-logs.log', '51.15.166.67'], ['mikrotik/crowdsec-mikrotik-logs.log', '81.82.202.145'], ['zeek/kishpud-soczeeklab-dhcp.log', '192.168.64.28']];
    const listed = new Set([...files, ...nothing].map(([f]) => f));
    const provenance = readFileSync(SAMPLES + 'PROVENANCE.tsv', 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]!).filter(Boolean);
    expect(provenance.filter((f) => !listed.has(f))).toEqual([]);
    const dir = tree();
    for (const [i, [file, ip]] of files.entries()) {
      const run = await collectDraft([s(file)], { ips: [ip], macs: [] }, { year: 2024 });
      expect(run.data.endpoints.length + run.data.local.length, file).toBeGreaterThan(0);
      const info = { type: run.evidenceType, source: 'https://example.org/x', inputs: [file], fallbackDate: '2024-01-01' };
      const target = { device: { id: `acme/sample-${i}`, name: `Sample ${i}`, category: 'other' } };
      const out = await writeDraft(run.data, info, target);
      // A new draft is written without the YAML library: byte for byte what the serializer writes.
      expect(out.text, file).toBe(mergeDraft(draftParts(run.data, info), target).text);
      writeFileSync(join(dir, 'acme', `sample-${i}.yaml`), out.text);
    }
    expect(lint(dir).problems.filter((p) => p.severity === 'error').map((p) => `${p.file}: ${p.rule}: ${p.message}`)).toEqual([]);
    for (const [file, ip] of nothing) {
      const run = await collectDraft([s(file)], { ips: [ip], macs: [] }, { year: 2024 });
      expect(run.data.endpoints.length + run.data.local.length, file).toBe(0);
    }
  });
});
