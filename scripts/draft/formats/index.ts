import { openSync, readSync, closeSync } from 'node:fs';
import type { Format, FormatName } from '../events.js';
import { pcap } from './pcap.js';
import { filterlog } from './filterlog.js';
import { netfilter } from './netfilter.js';
import { mikrotik } from './mikrotik.js';
import { dnsmasq } from './dnsmasq.js';
import { adguard } from './adguard.js';
import { zeek } from './zeek.js';
import { suricata } from './suricata.js';
import { conntrack } from './conntrack.js';
import { nfdump } from './nfdump.js';
import { opnsenseJson } from './opnsense-json.js';
import { cef } from './cef.js';
import { dhcpd } from './dhcpd.js';
import { ipfix } from './ipfix.js';
import { netflow9 } from './netflow9.js';

export const FORMATS: readonly Format[] = [pcap, filterlog, netfilter, mikrotik, dnsmasq, adguard, zeek, suricata, conntrack, nfdump, ipfix, netflow9, opnsenseJson, cef, dhcpd];

export function formatByName(name: string): Format | undefined {
  return FORMATS.find((f) => f.name === (name as FormatName));
}

/** The format whose sniff scores the file's first 64 KiB highest, or null when none recognises it. */
export function detectFormat(path: string): Format | null {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(65536);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const bytes = head.subarray(0, n);
  let text = bytes.toString('latin1');
  const lastNewline = text.lastIndexOf('\n');
  if (n === head.length && lastNewline > 0) text = text.slice(0, lastNewline);
  let best: Format | null = null;
  let bestScore = 0.2;
  for (const format of FORMATS) {
    const score = format.sniff(bytes, text);
    if (score > bestScore) { best = format; bestScore = score; }
  }
  return best;
}
