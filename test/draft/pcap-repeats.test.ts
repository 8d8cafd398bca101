import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector } from '../../scripts/draft/collect.js';
import type { DraftEvent, Sink } from '../../scripts/draft/events.js';
import { pcap } from '../../scripts/draft/formats/pcap.js';
import { dhcpAck, ethernet, pcapFile, tcp, udp, type Packet } from './packets.js';

const DEVICE = '192.168.1.50';

/** A pcap of bare Ethernet/IPv4/TCP frames, written in place: hundreds of thousands of packets build in well under a second. */
function capture(packets: { src: string; dst: string; sport: number; dport: number; flags: number }[]): Buffer {
  const FRAME = 54;
  const out = Buffer.alloc(24 + packets.length * (16 + FRAME));
  out.writeUInt32LE(0xa1b2c3d4, 0); out.writeUInt16LE(2, 4); out.writeUInt16LE(4, 6); out.writeUInt32LE(65535, 16); out.writeUInt32LE(1, 20);
  const t0 = Date.UTC(2024, 2, 3, 10) / 1000;
  packets.forEach((p, i) => {
    const r = 24 + i * (16 + FRAME);
    out.writeUInt32LE(t0 + Math.floor(i / 1000), r); out.writeUInt32LE((i % 1000) * 1000, r + 4); out.writeUInt32LE(FRAME, r + 8); out.writeUInt32LE(FRAME, r + 12);
    const f = r + 16;
    out.writeUInt16BE(0x0800, f + 12);
    out[f + 14] = 0x45; out.writeUInt16BE(40, f + 16); out[f + 22] = 64; out[f + 23] = 6;
    p.src.split('.').forEach((o, k) => { out[f + 26 + k] = Number(o); });
    p.dst.split('.').forEach((o, k) => { out[f + 30 + k] = Number(o); });
    out.writeUInt16BE(p.sport, f + 34); out.writeUInt16BE(p.dport, f + 36); out[f + 46] = 5 << 4; out[f + 47] = p.flags;
  });
  return out;
}

async function draft(path: string, fold: boolean): Promise<{ json: string; held: number; revision: number }> {
  const collector = new Collector({ ips: [DEVICE], macs: [] });
  let held = 0;
  // Without a revision the reader hands over every packet as it comes.
  const sink: Sink = fold
    ? { get revision() { return collector.revision; }, emit: (e: DraftEvent) => { if (e.kind === 'flow' && e.count !== undefined) held += e.count; collector.emit(e); } }
    : { emit: (e: DraftEvent) => collector.emit(e) };
  const stats = await pcap.read(path, sink, { filter: { needles: null, ips: new Set([DEVICE]), macs: new Set() } });
  return { json: JSON.stringify({ data: await collector.result(), stats }), held, revision: collector.revision };
}

describe('pcap: repeated flows handed over with a count', () => {
  it('give the same draft as packet by packet, also when the collector forgets conversations and their openers', async () => {
    // Eight long connections the device opened from port 21000+i to port 40000+i, whose packets repeat all along,
    // and 260,000 one-packet connections between them: past 200,000 the collector forgets the oldest conversations (the long
    // ones among them), and their next packets, judged by their ports alone, look opened from the internet.
    const packets: Parameters<typeof capture>[0] = [];
    for (let i = 0; i < 8; i++) packets.push({ src: DEVICE, dst: `34.1.0.${i + 1}`, sport: 21000 + i, dport: 40000 + i, flags: 0x02 });
    let long = 0;
    for (let k = 0; k < 260_000; k++) {
      packets.push({ src: DEVICE, dst: `52.0.0.${1 + Math.floor(k / 60_000)}`, sport: 1024 + (k % 60_000), dport: 443, flags: 0x10 });
      if (k % 50 !== 49) continue;
      for (let n = 0; n < 30; n++, long++) {
        const i = n % 8;
        packets.push(n % 3 ? { src: DEVICE, dst: `34.1.0.${i + 1}`, sport: 21000 + i, dport: 40000 + i, flags: 0x18 } : { src: `34.1.0.${i + 1}`, dst: DEVICE, sport: 40000 + i, dport: 21000 + i, flags: 0x10 });
      }
    }
    const path = join(mkdtempSync(join(tmpdir(), 'netneeds-repeats-')), 'long.pcap');
    writeFileSync(path, capture(packets));
    const folded = await draft(path, true);
    const plain = await draft(path, false);
    expect(folded.json).toBe(plain.json);
    // The case is real: most packets were held back and handed over with a count, and forgetting changed the verdicts.
    expect(folded.held).toBeGreaterThan(long * 0.9);
    expect(folded.revision).toBeGreaterThan(0);
    const data = JSON.parse(folded.json).data;
    expect(data.leftOut.inboundInternet).toBeGreaterThan(0);
    expect(data.endpoints.some((e: { address?: string; port?: number }) => e.address === '34.1.0.1' && e.port === 40000)).toBe(true);
  }, 60_000);

  it('are handed over one by one again once a SYN changes who opened their connection', async () => {
    // Each side sends a SYN in turn (a simultaneous open, or a reused port pair): every change makes the packets
    // after it count in the other direction, however the flows before were held back.
    const out = { src: DEVICE, dst: '34.2.0.1', sport: 30000, dport: 30001 };
    const back = { src: '34.2.0.1', dst: DEVICE, sport: 30001, dport: 30000 };
    const steps: [typeof out, number, number][] = [[out, 0x02, 1], [out, 0x10, 3], [back, 0x02, 1], [out, 0x10, 2], [out, 0x02, 1], [out, 0x10, 2], [back, 0x10, 2], [back, 0x02, 1], [out, 0x10, 1], [back, 0x10, 2]];
    const path = join(mkdtempSync(join(tmpdir(), 'netneeds-repeats-')), 'syns.pcap');
    writeFileSync(path, capture(steps.flatMap(([p, flags, n]) => Array.from({ length: n }, () => ({ ...p, flags })))));
    const folded = await draft(path, true);
    expect(folded.json).toBe((await draft(path, false)).json);
    expect(folded.held).toBeGreaterThan(0);
    expect(JSON.parse(folded.json).data.leftOut.inboundInternet).toBeGreaterThan(0);
  });

  it('are handed over before a lease only when the collector learns a device address from it', async () => {
    // The device (known by its MAC) gets a second address halfway; leases of other hosts come all along. Before
    // the lease, flows of the second address are other hosts' flows; after it, the device's.
    const deviceMac = '02:00:00:00:00:50';
    const second = '192.168.1.60';
    const packets: Packet[] = [];
    const frame = (f: Buffer) => packets.push({ time: Date.UTC(2024, 2, 3, 10) + packets.length, frame: ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', f) });
    const lease = (mac: string, ip: string) => frame(udp('192.168.1.1', '255.255.255.255', 67, 68, dhcpAck(mac, ip)));
    for (let k = 0; k < 2000; k++) {
      if (k === 1000) lease(deviceMac, second);
      frame(tcp(DEVICE, '34.1.0.1', 40000, 443, 0x10));
      frame(tcp(second, '34.1.0.2', 40001, 443, 0x10));
      if (k % 10 === 0) lease(`02:00:00:00:01:${(k % 256).toString(16).padStart(2, '0')}`, `192.168.1.${100 + (k % 100)}`);
    }
    const path = join(mkdtempSync(join(tmpdir(), 'netneeds-repeats-')), 'leases.pcap');
    writeFileSync(path, pcapFile(packets));
    // The reader knows no device address or MAC: it takes every packet and folds what repeats.
    const read = async (fold: boolean) => {
      const collector = new Collector({ ips: [DEVICE], macs: [deviceMac] });
      let handedOver = 0;
      const sink: Sink = fold
        ? { get revision() { return collector.revision; }, learnsFrom: (l) => collector.learnsFrom(l), emit: (e) => { if (e.kind === 'flow' && e.count !== undefined) handedOver++; collector.emit(e); } }
        : { emit: (e) => collector.emit(e) };
      await pcap.read(path, sink, { filter: { needles: null, ips: new Set(), macs: new Set() } });
      return { json: JSON.stringify(await collector.result()), handedOver };
    };
    const folded = await read(true);
    expect(folded.json).toBe((await read(false)).json);
    // 200 leases of other hosts handed nothing over; the one the device learnt from did.
    expect(folded.handedOver).toBeLessThan(20);
    const data = JSON.parse(folded.json);
    expect(data.deviceAddresses).toEqual([DEVICE, second]);
    expect(data.leftOut.otherFlows).toBe(1000 + 201); // and the leases' own packets
    expect(data.endpoints.find((e: { address?: string }) => e.address === '34.1.0.2')?.count).toBe(1000);
  });
});
