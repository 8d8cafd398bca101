import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const doc = (extra: Record<string, unknown> = {}) => ({ id: 'doc', type: 'integration-documentation', accessed: '2026-01-01', source: 'https://example.org/doc', ...extra });
const requiredBy = (ids: string[]) => ({ ...baseEndpoint(), needs: { 'vendor-app': 'unknown', 'home-assistant': 'required' }, evidence: ids });

describe('evidence-quote', () => {
  it('asks documentation behind a definite verdict for its passage, once per item however many verdicts cite it', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [requiredBy(['doc']), { ...requiredBy(['doc']), host: 'b.acme.example.com' }], evidence: [doc()] });
    expect(brief(problems)).toEqual([err('evidence-quote', lineOf(text, 'id: doc'))]);
    expect(problems[0]!.message).toBe('evidence "doc" backs a definite verdict but has no quote');
  });

  it('is satisfied by a quote, and asks nothing of evidence behind unknown verdicts or of community blocklists', () => {
    expect(lintDevice({ ...baseDevice(), endpoints: [requiredBy(['doc'])], evidence: [doc({ quote: 'HA connects to port 80.' })] }).problems).toEqual([]);
    const unknown = { ...baseEndpoint(), evidence: ['doc'] };
    expect(lintDevice({ ...baseDevice(), endpoints: [unknown], evidence: [doc()] }).problems).toEqual([]);
    const listed = { ...baseEndpoint(), needs: { 'vendor-app': 'not-required', 'home-assistant': 'unknown' }, evidence: ['list'] };
    expect(lintDevice({ ...baseDevice(), endpoints: [listed], evidence: [{ id: 'list', type: 'community-blocklist', accessed: '2026-01-01', source: 'https://example.org/list.txt' }] }).problems).toEqual([]);
  });

  it('keeps quotes short: at most 25 words', () => {
    const long = Array.from({ length: 26 }, (_, i) => `w${i}`).join(' ');
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [requiredBy(['doc'])], evidence: [doc({ quote: long })] });
    expect(brief(problems)).toEqual([err('evidence-quote', lineOf(text, 'quote: w0'))]);
    expect(problems[0]!.message).toBe('quote has 26 words; at most 25');
  });
});
