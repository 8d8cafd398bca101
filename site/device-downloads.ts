import type { Element } from 'hast';
import { h } from 'hastscript';
import type { OutputFile } from '../scripts/build/emit/emitter.js';
import { scrollTable } from './components.js';
import { rel } from './layout.js';

/** One ready-made file for a device: a rule set, blocklist or MUD profile for one profile (which functions to keep working). */
export interface DeviceDownload { profile: string; kind: string; path: string }

const PROFILES: [id: string, label: string][] = [
  ['home-assistant', 'Keep Home Assistant working'], ['vendor-app', 'Keep the vendor app working'], ['both', 'Keep both working'],
];
const KIND_LABEL: Record<string, string> = {
  nft: 'nftables', 'dnsmasq-nftset.conf': 'dnsmasq filling nftables sets', iptables: 'iptables-restore (IPv4)', ip6tables: 'ip6tables-restore (IPv6)',
  ipset: 'ipset', 'dnsmasq-ipset.conf': 'dnsmasq filling ipsets', 'openwrt.nft': 'OpenWrt fw4 include', 'openwrt-dnsmasq.conf': 'OpenWrt dnsmasq',
  'opnsense/': 'OPNsense / pfSense aliases', 'mikrotik.rsc': 'MikroTik RouterOS', 'domains.txt': 'Blocklist: domains', hosts: 'Blocklist: hosts file',
  'adguard.txt': 'Blocklist: AdGuard Home', 'dnsmasq.conf': 'Blocklist: dnsmasq', mud: 'MUD profile (RFC 8520)',
};

const splitProfile = (name: string) => { const dot = name.indexOf('.'); return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] as const : undefined; };

/**
 * Finds the files other emitters wrote for each device: rules/<id>/<profile>.<kind> (a folder for multi-file
 * formats), blocklists/<id>/<profile>.<kind>, mud/<id>.json (both functions) and mud/<id>/<profile>.json.
 */
export function collectDeviceDownloads(files: readonly OutputFile[], ids: string[]): Map<string, DeviceDownload[]> {
  const known = new Set(ids);
  const out = new Map<string, DeviceDownload[]>();
  const seen = new Set<string>();
  const add = (id: string, profile: string, kind: string, path: string) => {
    if (!known.has(id) || seen.has(`${id} ${profile} ${kind}`)) return;
    seen.add(`${id} ${profile} ${kind}`);
    (out.get(id) ?? out.set(id, []).get(id)!).push({ profile, kind, path });
  };
  const readmeFirst = [...files].sort((a, b) => Number(b.path.endsWith('/README.txt')) - Number(a.path.endsWith('/README.txt')));
  for (const f of readmeFirst) {
    const m = /^(rules|blocklists)\/([^/]+\/[^/]+)\/([^/]+)(\/.+)?$/.exec(f.path);
    if (m) {
      const parts = splitProfile(m[3]!);
      if (parts) add(m[2]!, parts[0], m[4] ? `${parts[1]}/` : parts[1], f.path);
      continue;
    }
    const mud = /^mud\/([^/]+\/[^/]+?)(?:\/([^/.]+))?\.json$/.exec(f.path);
    if (mud) add(mud[1]!, mud[2] ?? 'both', 'mud', f.path);
  }
  return out;
}

/** The path below the device's folder; the one MUD file that sits beside the folder keeps its own name. */
const fileLabel = (path: string) => path.split('/').slice(3).join('/') || path.slice(path.lastIndexOf('/') + 1);

/** Rows are formats, columns the three profiles; each cell links the file. */
export function downloadsTable(downloads: DeviceDownload[], depth: number): Element {
  const rank = (kind: string) => { const i = Object.keys(KIND_LABEL).indexOf(kind); return i < 0 ? Infinity : i; };
  const kinds = [...new Set(downloads.map((d) => d.kind))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const profiles = PROFILES.filter(([id]) => downloads.some((d) => d.profile === id));
  return scrollTable('Rules for this device', h('table.rules', [
    h('caption.visually-hidden', 'Rules for this device'),
    h('thead', h('tr', [h('th', { scope: 'col' }, 'Format'), ...profiles.map(([, label]) => h('th', { scope: 'col' }, label))])),
    h('tbody', kinds.map((kind) => h('tr', [
      h('th', { scope: 'row' }, KIND_LABEL[kind] ?? kind),
      ...profiles.map(([id]) => {
        const file = downloads.find((d) => d.kind === kind && d.profile === id);
        return h('td', file ? h('a', { href: rel(depth, file.path) }, fileLabel(file.path)) : '—');
      }),
    ]))),
  ]));
}
