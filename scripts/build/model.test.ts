import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, lintDevice } from '../../test/lint/helpers.js';
import { buildDataset } from './model.js';
import { verdictClaims } from '../lib/verdict-basis.js';

const item = (id: string, type: string) => ({ id, type, accessed: '2026-01-01', source: `https://example.org/${id}`, quote: 'the passage' });

/** Builds the dataset of one device, after checking that the device is valid (the build only takes valid files). */
function deviceOf(device: Record<string, unknown>) {
  const { files, problems } = lintDevice(device, {}, { keepDocuments: true });
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return buildDataset(files).devices.find((d) => d.id === 'acme/widget')!;
}

describe('dataset model', () => {
  it('gives every claim and verdict its basis, from the strongest kind of evidence it cites', () => {
    const endpoint = {
      ...baseEndpoint(),
      needs: {
        'vendor-app': [{ verdict: 'not-required', evidence: ['list'] }],
        'home-assistant': [{ verdict: 'required', evidence: ['docs', 'capture'] }],
      },
      evidence: ['capture'],
    };
    const d = deviceOf({ ...baseDevice(), endpoints: [endpoint], evidence: [{ id: 'capture', type: 'packet-capture', date: '2024-03-01', source: 'https://example.org/c' }, item('docs', 'integration-documentation'), item('list', 'community-blocklist')] });
    expect(d.endpoints[0]!.needs['home-assistant']).toEqual({ verdict: 'required', basis: 'documented', evidence: ['capture', 'docs'] });
    expect(d.endpoints[0]!.needs['vendor-app']).toEqual({ verdict: 'not-required', basis: 'community-listed', evidence: ['list'] });
  });

  it('lists claims only where one verdict, basis, evidence and note cannot say it all; verdictClaims gives them back either way', () => {
    const endpoint = {
      ...baseEndpoint(),
      needs: {
        'vendor-app': [{ verdict: 'required', evidence: ['docs'], note: 'the app says so' }],
        'home-assistant': [{ verdict: 'not-required', evidence: ['test', 'docs'] }, { verdict: 'required', evidence: ['docs2'], note: 'needed, says the maker' }, { verdict: 'not-required', evidence: ['list'] }],
      },
      evidence: ['docs'],
    };
    const unknownWithSource = { ...baseEndpoint(), host: 'other.example.com', needs: { 'vendor-app': 'unknown', 'home-assistant': [{ verdict: 'unknown', evidence: ['docs'], note: 'the docs do not say' }] }, evidence: ['docs'] };
    const d = deviceOf({ ...baseDevice(), endpoints: [endpoint, unknownWithSource], evidence: [item('docs', 'vendor-documentation'), item('test', 'blocking-test'), item('list', 'community-blocklist'), item('docs2', 'vendor-documentation')] });
    const [one, other] = d.endpoints;
    expect(one!.needs['vendor-app']).toEqual({ verdict: 'required', basis: 'documented', evidence: ['docs'], note: 'the app says so' });
    expect(verdictClaims(one!.needs['vendor-app'])).toEqual([{ verdict: 'required', evidence: ['docs'], basis: 'documented', note: 'the app says so' }]);
    const ha = one!.needs['home-assistant'];
    expect(ha).toMatchObject({ verdict: 'not-required', basis: 'tested', evidence: ['docs', 'test', 'list'], disputed: true });
    expect(ha.note).toBeUndefined();
    expect(ha.claims?.map((c) => [c.verdict, c.basis])).toEqual([['not-required', 'tested'], ['required', 'documented'], ['not-required', 'community-listed']]);
    expect(verdictClaims(ha)).toBe(ha.claims);
    expect(other!.needs['vendor-app']).toEqual({ verdict: 'unknown', basis: null, evidence: [] });
    expect(verdictClaims(other!.needs['vendor-app'])).toEqual([]);
    // An unknown claim has a basis of its own, which the verdict (basis null) cannot carry: the claim stays listed.
    expect(other!.needs['home-assistant']).toEqual({ verdict: 'unknown', basis: null, evidence: ['docs'], claims: [{ verdict: 'unknown', evidence: ['docs'], basis: 'documented', note: 'the docs do not say' }] });
  });

  it('marks two entries for the same destination that disagree as disputed, though each agrees with itself', () => {
    const required = { ...baseEndpoint(), needs: { 'vendor-app': 'required', 'home-assistant': 'unknown' }, evidence: ['docs'] };
    const notRequired = { ...baseEndpoint(), protocol: 'unknown', ports: undefined, service: 'unknown', needs: { 'vendor-app': 'not-required', 'home-assistant': 'unknown' }, evidence: ['test'] };
    const otherPort = { ...baseEndpoint(), protocol: 'udp', ports: [123], service: 'ntp', purpose: 'time', needs: { 'vendor-app': 'not-required', 'home-assistant': 'unknown' }, evidence: ['test'] };
    const d = deviceOf({ ...baseDevice(), endpoints: [required, notRequired, otherPort], evidence: [item('docs', 'vendor-documentation'), item('test', 'blocking-test')] });
    expect(Object.fromEntries(d.endpoints.map((e) => [e.protocol, e.needs['vendor-app'].disputed === true]))).toEqual({ tcp: true, unknown: true, udp: false });
  });

  it('is sure only from verdicts: all unknown is "none" however many sources, both functions documented is "high"', () => {
    const many = Array.from({ length: 5 }, (_, i) => item(`doc${i}`, 'vendor-documentation'));
    const unknown = { ...baseEndpoint(), evidence: many.map((e) => e.id) };
    const none = deviceOf({ ...baseDevice(), endpoints: [unknown], evidence: many });
    expect(none.derived.evidence.confidence).toBe('none');
    expect(none.derived.evidence.verdicts).toEqual({ total: 2, definite: 0, byBasis: {} });

    const both = { ...baseEndpoint(), needs: { 'vendor-app': 'required', 'home-assistant': 'not-required' }, evidence: ['doc0'] };
    const high = deviceOf({ ...baseDevice(), endpoints: [both], evidence: [many[0]] });
    expect(high.derived.evidence.confidence).toBe('high');

    const listed = { ...baseEndpoint(), needs: { 'vendor-app': 'not-required', 'home-assistant': 'unknown' }, evidence: ['list'] };
    expect(deviceOf({ ...baseDevice(), endpoints: [listed], evidence: [item('list', 'community-blocklist')] }).derived.evidence.confidence).toBe('low');

    const oneSide = { ...baseEndpoint(), needs: { 'vendor-app': 'required', 'home-assistant': 'unknown' }, evidence: ['doc0'] };
    expect(deviceOf({ ...baseDevice(), endpoints: [oneSide], evidence: [many[0]] }).derived.evidence.confidence).toBe('medium');
  });

  it('keeps the hosts Home Assistant itself calls apart from the device\'s endpoints', () => {
    const d = deviceOf({
      ...baseDevice(),
      'home-assistant': { integrations: ['switchbot_cloud'], calls: [{ host: 'api.acme.example.com', protocol: 'tcp', ports: [443], service: 'https', purpose: 'cloud-control', evidence: ['docs'] }] },
      endpoints: [],
      evidence: [item('docs', 'integration-documentation')],
    });
    expect(d.homeAssistant.calls).toEqual([{ host: 'api.acme.example.com', protocol: 'tcp', ports: [{ from: 443, to: 443 }], service: 'https', purpose: 'cloud-control', evidence: ['docs'] }]);
    expect(d.endpoints).toEqual([]);
  });

  it('lets only tested or documented reports decide "works with Home Assistant offline"; a docs2 anecdote is shown, not counted', () => {
    const report = (id: string) => ({ 'vendor-app': 'unknown', 'home-assistant': 'keeps-working', evidence: [id] });
    const anecdote = deviceOf({ ...baseDevice(), 'when-blocked': { internet: [report('docs2')] }, evidence: [...(baseDevice().evidence as unknown[]), { id: 'docs2', type: 'community-report', accessed: '2026-01-01', source: 'https://example.org/docs2' }] });
    expect(anecdote.whenBlocked.internet[0]!.basis).toBe('reported');
    expect(anecdote.derived.worksWithHaOffline).toBe('unknown');
    expect(anecdote.derived.worksWithHaOfflineReason).toMatch(/only community reports/);
    const tested = deviceOf({ ...baseDevice(), 'when-blocked': { internet: [report('test')] }, evidence: [...(baseDevice().evidence as unknown[]), item('test', 'blocking-test')] });
    expect(tested.whenBlocked.internet[0]!.basis).toBe('tested');
    expect(tested.derived.worksWithHaOffline).toBe('yes');
  });
});
