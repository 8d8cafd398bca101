// How far the dataset answers its question: the verdict table (function × verdict × strongest evidence type) and
// the device counts the project tracks, read from a built bundle. Usage: tsx scripts/tools/coverage.ts [dist/netneeds.json]
import { readFileSync } from 'node:fs';
import type { Dataset, Device, EvidenceType, NeedFunction, Verdict } from '../build/types.js';
import { EVIDENCE_STRENGTH } from '../build/model.js';

const SETTLING: readonly EvidenceType[] = ['blocking-test', 'vendor-documentation', 'integration-documentation', 'source-code'];
const FUNCTIONS: readonly NeedFunction[] = ['vendor-app', 'home-assistant'];

/** The strongest kind of evidence behind the claim that applies. */
function strongestType(v: Verdict, evidence: Map<string, EvidenceType>): EvidenceType | 'none' {
  let best: EvidenceType | 'none' = 'none';
  for (const id of v.evidence) {
    const t = evidence.get(id);
    if (t && (best === 'none' || EVIDENCE_STRENGTH[t] > EVIDENCE_STRENGTH[best])) best = t;
  }
  return best;
}

export interface Coverage {
  devices: number;
  withIntegration: number;
  table: { fn: NeedFunction; verdict: string; strongest: string; count: number }[];
  bothSettled: string[];
  /** Of bothSettled, the entries of category software (self-hosted servers), counted apart from devices. */
  bothSettledSoftware: string[];
  withWhenBlocked: number;
  settledByFunction: Record<NeedFunction, number>;
}

export function coverage(data: Dataset): Coverage {
  const table = new Map<string, number>();
  const bothSettled: string[] = [];
  const settledByFunction = { 'vendor-app': 0, 'home-assistant': 0 } as Record<NeedFunction, number>;
  for (const d of data.devices) {
    const evidence = new Map(d.evidence.map((e) => [e.id, e.type]));
    const settled = new Set<NeedFunction>();
    for (const entry of [...d.endpoints, ...d.local] as Pick<Device['endpoints'][number], 'needs'>[]) {
      for (const fn of FUNCTIONS) {
        const v = entry.needs[fn];
        const strongest = v.verdict === 'unknown' ? '—' : strongestType(v, evidence);
        const key = `${fn}\t${v.verdict}\t${strongest}`;
        table.set(key, (table.get(key) ?? 0) + 1);
        if (v.verdict !== 'unknown' && SETTLING.includes(strongest as EvidenceType)) settled.add(fn);
      }
    }
    for (const fn of settled) settledByFunction[fn]++;
    if (settled.size === 2) bothSettled.push(d.id);
  }
  return {
    devices: data.devices.length,
    withIntegration: data.devices.filter((d) => d.homeAssistant.integrations.length > 0).length,
    table: [...table].map(([k, count]) => { const [fn, verdict, strongest] = k.split('\t') as [NeedFunction, string, string]; return { fn, verdict, strongest, count }; })
      .sort((a, b) => a.fn.localeCompare(b.fn) || a.verdict.localeCompare(b.verdict) || b.count - a.count),
    bothSettled,
    bothSettledSoftware: bothSettled.filter((id) => data.devices.find((d) => d.id === id)?.category === 'software'),
    withWhenBlocked: data.devices.filter((d) => d.whenBlocked.internet.length > 0).length,
    settledByFunction,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const data = JSON.parse(readFileSync(process.argv[2] ?? 'dist/netneeds.json', 'utf8')) as Dataset;
  const c = coverage(data);
  console.log(`devices: ${c.devices}; naming a Home Assistant integration: ${c.withIntegration}; with a when-blocked report: ${c.withWhenBlocked}`);
  console.log(`devices with a tested or documented definite verdict — vendor app: ${c.settledByFunction['vendor-app']}, Home Assistant: ${c.settledByFunction['home-assistant']}, both: ${c.bothSettled.length} (${c.bothSettled.length - c.bothSettledSoftware.length} devices, ${c.bothSettledSoftware.length} self-hosted software)`);
  console.log('\n| function | verdict | strongest evidence | entries |\n|---|---|---|---|');
  for (const r of c.table) console.log(`| ${r.fn} | ${r.verdict} | ${r.strongest} | ${r.count} |`);
}
