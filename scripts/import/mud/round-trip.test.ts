// Import followed by export never allows more than the profile it came from: every ACE of the MUD file the
// policy writes for the imported device is covered by an ACE of the original (or is the reply half of one), field by
// field: direction, IP version, protocol, peer, both ports, ICMP type and code, direction-initiated. yanglint accepts it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/project.js';
import { isRecord, type Rec } from '../../lib/walk.js';
import { loadDataset } from '../../policy/index.js';
import { plan } from '../../policy/plan.js';
import { mudFile } from '../../policy/formats/mud.js';
import { checkMud } from '../../../test/policy/checkers.js';
import { importMud, parseMudText } from './index.js';
import { mudAuthority } from './convert.js';
import { readMud, type MudAce } from './read.js';

const FIXTURES = join(ROOT, 'test/fixtures/mud');
const SHARED = join(ROOT, '../shared/data/mud');
/** Fixtures that are not importable profiles: each has its own test of the refusal. */
const REFUSED = new Set(['not-mud.json', 'draft-era.json', 'duplicate-acl-names.json']);

interface Range { from: number; to: number }
interface Ace {
  direction: string;
  family: 'ipv4' | 'ipv6' | null;
  protocol: number | null;
  icmp?: { type?: number; code?: number };
  remote: { kind: 'dns' | 'net' | 'mud' | 'controller' | 'manufacturer'; value: string } | null;
  src?: Range;
  dst?: Range;
  initiated?: string;
}

const rangeOf = (spec: unknown): Range | undefined => {
  if (!isRecord(spec)) return undefined;
  if ('lower-port' in spec) return { from: Number(spec['lower-port']), to: Number(spec['upper-port']) };
  const port = Number(spec.port);
  const op = spec.operator ?? 'eq';
  return op === 'lte' ? { from: 0, to: port } : op === 'gte' ? { from: port, to: 65535 } : { from: port, to: port };
};

function normalize(ace: MudAce, authority: string): Ace {
  const m = ace.matches;
  const family = 'ipv4' in m ? 'ipv4' : 'ipv6' in m ? 'ipv6' : null;
  const ip: Rec = family && isRecord(m[family]) ? (m[family] as Rec) : {};
  const out: Ace = { direction: ace.direction, family, protocol: typeof ip.protocol === 'number' ? ip.protocol : null, remote: null };
  const fromDevice = ace.direction === 'from-device';
  const dns = ip[fromDevice ? 'ietf-acldns:dst-dnsname' : 'ietf-acldns:src-dnsname'];
  const net = ip[`${fromDevice ? 'destination' : 'source'}-${family}-network`];
  const mud = isRecord(m['ietf-mud:mud']) ? m['ietf-mud:mud'] : null;
  if (typeof dns === 'string') out.remote = { kind: 'dns', value: dns.toLowerCase() };
  else if (typeof net === 'string') out.remote = { kind: 'net', value: net.includes('/') ? net : `${net}/${net.includes(':') ? 128 : 32}` };
  else if (mud) {
    const [key, value] = Object.entries(mud)[0]!;
    if (key === 'controller') out.remote = { kind: 'controller', value: String(value) };
    else if (key === 'manufacturer') out.remote = String(value).toLowerCase() === authority ? { kind: 'mud', value: 'same-manufacturer' } : { kind: 'manufacturer', value: String(value).toLowerCase() };
    else out.remote = { kind: 'mud', value: key };
  }
  if (isRecord(m.icmp)) {
    const { type, code } = m.icmp;
    out.icmp = { ...(typeof type === 'number' ? { type } : {}), ...(typeof code === 'number' ? { code } : {}) };
  }
  for (const t of ['tcp', 'udp'] as const) {
    const l4 = m[t];
    if (!isRecord(l4)) continue;
    out.protocol ??= t === 'tcp' ? 6 : 17;
    const src = rangeOf(l4['source-port']);
    const dst = rangeOf(l4['destination-port']);
    if (src) out.src = src;
    if (dst) out.dst = dst;
    if (typeof l4['ietf-mud:direction-initiated'] === 'string') out.initiated = l4['ietf-mud:direction-initiated'];
  }
  return out;
}

const within = (inner: Range | undefined, outer: Range | undefined) => outer === undefined || (inner !== undefined && inner.from >= outer.from && inner.to <= outer.to);

function remoteCovered(e: Ace['remote'], o: Ace['remote']): boolean {
  if (o === null) return true;
  // The local broadcast address reaches local hosts only.
  if (e?.kind === 'net' && e.value === '255.255.255.255/32' && o.kind === 'mud' && o.value === 'local-networks') return true;
  if (e === null || e.kind !== o.kind) return false;
  if (e.kind !== 'net') return e.value === o.value;
  const [ea, ep] = ipaddr.parseCIDR(e.value);
  const [oa, op] = ipaddr.parseCIDR(o.value);
  return ea.kind() === oa.kind() && ep >= op && ea.match(oa, op);
}

const icmpWithin = (e: Ace['icmp'], o: Ace['icmp']) =>
  o?.type === undefined || (e?.type === o.type && (o.code === undefined || e.code === o.code));

/** Every way an exported ACE can be no wider than an original one, field by field. */
function covered(e: Ace, o: Ace): boolean {
  return e.direction === o.direction
    && (o.family === null || o.family === e.family)
    && (o.protocol === null || o.protocol === e.protocol)
    && remoteCovered(e.remote, o.remote)
    && within(e.src, o.src) && within(e.dst, o.dst)
    && icmpWithin(e.icmp, o.icmp)
    && (o.initiated === undefined || o.initiated === e.initiated);
}

/** ICMP query types and their replies (RFC 792, RFC 4443), both ways. */
const ICMP_PAIRS: Record<number, Record<number, number>> = { 1: { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 }, 58: { 128: 129, 129: 128 } };

/** The other half of the conversation an ACE belongs to: the reply to a request, the request a reply answers. */
function mirror(e: Ace): Ace {
  const { src, dst, icmp, ...rest } = e;
  const type = icmp?.type !== undefined && e.protocol !== null ? ICMP_PAIRS[e.protocol]?.[icmp.type] : undefined;
  return {
    ...rest,
    direction: e.direction === 'from-device' ? 'to-device' : 'from-device',
    ...(dst ? { src: dst } : {}),
    ...(src ? { dst: src } : {}),
    // An ICMP message that is neither a query nor a reply has no other half.
    ...(icmp ? { icmp: type === undefined && icmp.type !== undefined ? { type: -1 } : { ...icmp, ...(type !== undefined ? { type } : {}) } } : {}),
  };
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('MUD round trip: import, export, yanglint, equal or narrower', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && !REFUSED.has(f)).sort().map((f) => join(FIXTURES, f));
  // The real profiles in ../shared as well, when they are there.
  for (const group of ['rfc-examples', 'unsw-mudgee']) {
    const dir = join(SHARED, group);
    if (existsSync(dir)) files.push(...readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f)));
  }

  it('covers the importable fixtures', () => {
    expect(files.map((f) => basename(f))).toEqual(expect.arrayContaining(['rfc-shape.json', 'pre-rfc-shape.json', 'controllers.json', 'empty-from-policy.json', 'mirrored-both-ports.json', 'ip-version.json', 'icmp-types.json', 'source-ports.json', 'no-dns-ntp-controller.json']));
  });

  for (const path of files) {
    const file = basename(path);
    it(file, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'netneeds-mud-round-trip-'));
      dirs.push(dir);
      const original = parseMudText(readFileSync(path, 'utf8'), file);
      const id = 'fixture/device';
      const imported = importMud(original, dir, { id, name: 'Fixture device', category: 'other', source: 'https://example.net/profile.json', vendor: { name: 'Fixture' } });
      if (imported.outcome === null) { expect(imported.result.skipped.length, file).toBe(original.aces.length + original.refused.length); return; }
      const dataset = await loadDataset(dir);
      if ('errors' in dataset) throw new Error(dataset.errors.join('\n'));
      const policy = plan(dataset, { devices: [{ id }], profile: 'both', unknown: 'allow' });
      const exported = mudFile(policy, policy.devices[0]!);
      const out = join(dir, `${file}`);
      writeFileSync(out, JSON.stringify(exported, null, 2));
      expect(checkMud([out]).failures, file).toEqual([]);

      const before = original.aces.map((a) => normalize(a, mudAuthority(original.url)));
      const after = readMud(exported).aces.map((a) => normalize(a, mudAuthority(String((exported['ietf-mud:mud'] as Rec)['mud-url']))));
      // The reply half of a conversation the original allows is allowed with it: the importer reads MUD so.
      const wider = after.filter((e) => !before.some((o) => covered(e, o) || covered(mirror(e), o)));
      expect(wider, `${file}: exported entries the original does not allow`).toEqual([]);
    });
  }
});
