import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, baseVendor, brief, err, lineOf, lintDevice, lintVendor } from '../../../test/lint/helpers.js';

const capture = (id: string) => ({ id, type: 'packet-capture', date: '2024-03-01', source: `https://example.org/${id}` });

describe('evidence-refs', () => {
  it('stays silent when every reference resolves and every item is cited, in claims and when-blocked too', () => {
    const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': [{ verdict: 'unknown', evidence: ['test'] }, { verdict: 'unknown', evidence: ['capture'] }], 'home-assistant': 'unknown' } };
    const whenBlocked = { internet: [{ 'vendor-app': 'stops-working', 'home-assistant': 'keeps-working', evidence: ['report'] }], 'reject-or-drop': { advice: 'reject', evidence: ['report'] } };
    const device = { ...baseDevice(), endpoints: [endpoint], 'when-blocked': whenBlocked, evidence: [capture('capture'), capture('report'), capture('test')] };
    expect(lintDevice(device).problems).toEqual([]);
  });

  it('catches a reference to evidence the file does not have, naming the ones it has', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), evidence: ['capture', 'captur'] }] });
    expect(brief(problems)).toEqual([err('evidence-refs', lineOf(text, 'evidence: [captur, capture]'))]);
    expect(problems[0]!.message).toBe('evidence "captur" is not in this file\'s evidence list');
    expect(problems[0]!.hint).toBe('cite one of: capture');
    expect(problems[0]!.col).toBe(text.split('\n')[problems[0]!.line - 1]!.indexOf('captur,') + 1);
  });

  it('catches a dangling reference in a verdict claim and in reject-or-drop', () => {
    const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': [{ verdict: 'required', evidence: ['nope'] }], 'home-assistant': 'unknown' } };
    const a = lintDevice({ ...baseDevice(), endpoints: [endpoint, { ...baseEndpoint(), host: 'b.acme.example.com' }] });
    expect(brief(a.problems)).toEqual([err('evidence-refs', lineOf(a.text, 'evidence: [nope]'))]);
    const b = lintDevice({ ...baseDevice(), 'when-blocked': { 'reject-or-drop': { advice: 'either', evidence: ['nope'] } } });
    expect(brief(b.problems)).toEqual([err('evidence-refs', lineOf(b.text, 'evidence: [nope]'))]);
  });

  it('does not also call the item a mistyped reference meant "uncited": one mistake, one message', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), evidence: ['captrue'] }] });
    expect(brief(problems)).toEqual([err('evidence-refs', lineOf(text, 'evidence: [captrue]'))]);
  });

  it('catches an evidence id used twice, at the second', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), evidence: [capture('capture'), { ...capture('capture'), source: 'https://example.org/other' }] });
    expect(brief(problems)).toEqual([err('evidence-refs', lineOf(text, 'id: capture', 1))]);
  });

  it('catches evidence that nothing cites', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), evidence: [capture('capture'), capture('spare')] });
    expect(brief(problems)).toEqual([err('evidence-refs', lineOf(text, 'id: spare'))]);
    expect(problems[0]!.message).toBe('evidence "spare" is not cited by any endpoint, flow or verdict');
  });

  it('checks vendor files: group endpoints must cite the vendor\'s evidence', () => {
    const vendor = baseVendor();
    vendor.evidence = [...(vendor.evidence as unknown[]), capture('unused')];
    const { text, problems } = lintVendor(vendor);
    expect(brief(problems)).toEqual([err('evidence-refs', lineOf(text, 'id: unused'))]);
    expect(problems[0]!.hint).toBe('cite it from a group endpoint, or remove it');
  });
});
