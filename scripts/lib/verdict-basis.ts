// What a verdict rests on, by the kind of its evidence. The site shows it, the policy's trust level filters on it,
// and the verdict-strength rule refuses verdicts that rest on nothing stronger than an observation.
import type { Basis, Claim, EvidenceType, Verdict, VerdictWord } from '../build/types.js';

export type { Basis };

// tested: someone blocked the traffic and reported the result. documented: the maker, Home Assistant or a study says
// so, or the code shows it. community-listed: a community blocklist lists it as blockable. reported: another community
// statement. observed: the traffic was seen, which says nothing about need.

export const BASIS_OF_TYPE: Record<EvidenceType, Basis> = {
  'blocking-test': 'tested',
  'vendor-documentation': 'documented',
  'integration-documentation': 'documented',
  'source-code': 'documented',
  paper: 'documented',
  'community-blocklist': 'community-listed',
  'community-report': 'reported',
  'firewall-log': 'observed',
  'packet-capture': 'observed',
  'dns-log': 'observed',
  'mud-profile': 'observed',
};

/** Strongest first. */
const BASES: readonly Basis[] = ['tested', 'documented', 'community-listed', 'reported', 'observed'];

/** The strongest basis among the evidence types a claim cites; null for none. */
export function claimBasis(types: readonly EvidenceType[]): Basis | null {
  let best: Basis | null = null;
  for (const t of types) {
    const b = BASIS_OF_TYPE[t];
    if (best === null || BASES.indexOf(b) < BASES.indexOf(best)) best = b;
  }
  return best;
}

/** Which bases can carry a definite verdict on their own. */
export function basisCarries(basis: Basis, verdict: VerdictWord): boolean {
  if (verdict === 'unknown') return true;
  if (basis === 'tested' || basis === 'documented') return true;
  return basis === 'community-listed' && verdict === 'not-required';
}

/** Trust levels for acting on `not-required` verdicts: each admits its bases and the stronger ones. */
export type TrustLevel = 'tested' | 'documented' | 'community';
export const TRUST_LEVELS: readonly TrustLevel[] = ['tested', 'documented', 'community'];
export function trusted(basis: Basis | null | undefined, level: TrustLevel): boolean {
  if (!basis) return false;
  if (basis === 'tested') return true;
  if (basis === 'documented') return level !== 'tested';
  return basis === 'community-listed' && level === 'community';
}

/** Every claim behind a verdict, whether the verdict lists them or, having one, states it itself. */
export function verdictClaims(v: Verdict): Claim[] {
  if (v.claims) return v.claims;
  if (v.verdict === 'unknown' && v.evidence.length === 0) return [];
  return [{ verdict: v.verdict, evidence: v.evidence, ...(v.basis ? { basis: v.basis } : {}), ...(v.note ? { note: v.note } : {}) }];
}
