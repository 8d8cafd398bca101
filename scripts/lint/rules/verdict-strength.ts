import type { PathSegment } from '../../lib/load.js';
import type { EvidenceType } from '../../lib/source-types.js';
import { BASIS_OF_TYPE, basisCarries, claimBasis } from '../../lib/verdict-basis.js';
import { asArray, endpointsOf, evidenceItemsOf, isRecord, localFlowsOf, type Rec } from '../../lib/walk.js';
import type { Rule } from '../rule.js';

export interface DefiniteVerdict { verdict: string; evidence: string[]; path: PathSegment[] }

/** Every required, not-required and setup-only verdict of a file, with the evidence ids that back it. */
export function* definiteVerdictsOf(data: Rec): Generator<DefiniteVerdict> {
  for (const { value: entry, path } of [...endpointsOf(data), ...localFlowsOf(data)]) {
    if (!isRecord(entry.needs)) continue;
    for (const [fn, v] of Object.entries(entry.needs)) {
      if (typeof v === 'string') {
        if (v !== 'unknown') yield { verdict: v, evidence: asArray(entry.evidence).filter((x): x is string => typeof x === 'string'), path: [...path, 'needs', fn] };
        continue;
      }
      const claims = asArray(v);
      for (let c = 0; c < claims.length; c++) {
        const claim = claims[c];
        if (!isRecord(claim) || typeof claim.verdict !== 'string' || claim.verdict === 'unknown') continue;
        yield { verdict: claim.verdict, evidence: asArray(claim.evidence).filter((x): x is string => typeof x === 'string'), path: [...path, 'needs', fn, c, 'verdict'] };
      }
    }
  }
}

export function evidenceTypes(data: Rec): Map<string, EvidenceType> {
  const types = new Map<string, EvidenceType>();
  for (const { value } of evidenceItemsOf(data)) {
    if (typeof value.id === 'string' && typeof value.type === 'string' && Object.hasOwn(BASIS_OF_TYPE, value.type)) types.set(value.id, value.type as EvidenceType);
  }
  return types;
}

const describe = (types: EvidenceType[]) => [...new Set(types)].join(', ') || 'no evidence of a known type';

/** A definite verdict must rest on evidence that can carry it: an observation shows traffic, never need. */
export const verdictStrength: Rule = {
  name: 'verdict-strength',
  description: 'required, not-required and setup-only cite a blocking test, vendor or integration documentation, source code or a paper; not-required may rest on a community blocklist.',
  appliesTo: ['device', 'vendor'],
  check({ data, report }) {
    const types = evidenceTypes(data);
    for (const v of definiteVerdictsOf(data)) {
      const cited = v.evidence.map((id) => types.get(id)).filter((t): t is EvidenceType => t !== undefined);
      if (cited.length < v.evidence.length) continue; // evidence-refs reports the dangling id
      const basis = claimBasis(cited);
      if (basis && basisCarries(basis, v.verdict as never)) continue;
      report(v.path, `"${v.verdict}" rests only on ${describe(cited)}, which cannot carry it`, {
        hint: basis === 'observed'
          ? 'an observation shows that traffic happened, not that it is needed: cite a blocking test, vendor or integration documentation or source code, or write unknown'
          : basis === 'community-listed'
            ? 'a community blocklist entry can only say not-required (listed as blockable): write unknown or cite stronger evidence'
            : 'cite a blocking test, vendor or integration documentation, source code or a paper, or write unknown',
      });
    }
  },
};
