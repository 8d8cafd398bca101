import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, baseVendor, brief, err, lineOf, lintDevice, lintVendor } from '../../../test/lint/helpers.js';

const item = (id: string, type: string, extra: Record<string, unknown> = {}) => ({ id, type, accessed: '2026-01-01', source: `https://example.org/${id}`, ...extra });
const quoted = { quote: 'the passage' };

describe('verdict-strength', () => {
  it('refuses a required verdict whose only evidence is an observation, at the verdict', () => {
    for (const type of ['packet-capture', 'firewall-log', 'dns-log', 'mud-profile']) {
      const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': 'required', 'home-assistant': 'unknown' }, evidence: ['obs'] };
      const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [endpoint], evidence: [item('obs', type)] });
      expect(brief(problems)).toEqual([err('verdict-strength', lineOf(text, 'vendor-app: required'))]);
      expect(problems[0]!.message).toBe(`"required" rests only on ${type}, which cannot carry it`);
      expect(problems[0]!.hint).toMatch(/observation shows that traffic happened, not that it is needed/);
    }
  });

  it('accepts tests, vendor and integration documentation, source code and papers for every definite verdict', () => {
    for (const type of ['blocking-test', 'vendor-documentation', 'integration-documentation', 'source-code', 'paper']) {
      for (const verdict of ['required', 'not-required', 'setup-only']) {
        const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': verdict, 'home-assistant': 'unknown' }, evidence: ['src'] };
        expect(lintDevice({ ...baseDevice(), endpoints: [endpoint], evidence: [item('src', type, quoted)] }).problems).toEqual([]);
      }
    }
  });

  it('lets a community blocklist say not-required (listed as blockable) but nothing stronger', () => {
    const ok = { ...baseEndpoint(), needs: { 'vendor-app': 'not-required', 'home-assistant': 'unknown' }, evidence: ['list'] };
    expect(lintDevice({ ...baseDevice(), endpoints: [ok], evidence: [item('list', 'community-blocklist')] }).problems).toEqual([]);
    const bad = { ...baseEndpoint(), needs: { 'vendor-app': [{ verdict: 'required', evidence: ['list'], note: 'kept open by the list' }], 'home-assistant': 'unknown' }, evidence: ['list'] };
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [bad], evidence: [item('list', 'community-blocklist')] });
    expect(brief(problems)).toEqual([err('verdict-strength', lineOf(text, '- verdict: required'))]);
    expect(problems[0]!.hint).toMatch(/community blocklist entry can only say not-required/);
  });

  it('judges each claim by its own evidence, and a strong source anywhere in a claim carries it', () => {
    const endpoint = {
      ...baseEndpoint(),
      needs: {
        'vendor-app': [{ verdict: 'required', evidence: ['doc', 'obs'] }, { verdict: 'not-required', evidence: ['report'] }],
        'home-assistant': 'unknown',
      },
      evidence: ['obs'],
    };
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [endpoint], evidence: [item('doc', 'vendor-documentation', quoted), item('obs', 'packet-capture'), item('report', 'community-report')] });
    expect(brief(problems)).toEqual([err('verdict-strength', lineOf(text, '- verdict: not-required'))]);
    expect(problems[0]!.message).toBe('"not-required" rests only on community-report, which cannot carry it');
  });

  it('checks local flows and vendor groups too; unknown needs no evidence of any kind', () => {
    const flow = { from: 'home-assistant', to: 'device', protocol: 'tcp', ports: [80], service: 'http', purpose: 'local-control', needs: { 'vendor-app': 'unknown', 'home-assistant': 'required' }, evidence: ['obs'] };
    const a = lintDevice({ ...baseDevice(), endpoints: [], local: [flow], evidence: [item('obs', 'firewall-log')] });
    expect(brief(a.problems)).toEqual([err('verdict-strength', lineOf(a.text, 'home-assistant: required'))]);
    const vendor = baseVendor();
    const b = lintVendor(vendor);
    expect(b.problems.filter((p) => p.rule === 'verdict-strength')).toEqual([]);
  });

  it('says nothing about a dangling evidence id: evidence-refs does', () => {
    const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': 'required', 'home-assistant': 'unknown' }, evidence: ['nope'] };
    const { problems } = lintDevice({ ...baseDevice(), endpoints: [endpoint], evidence: [item('obs', 'packet-capture')] });
    expect(problems.map((p) => p.rule)).not.toContain('verdict-strength');
  });
});
