import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mergeDeviceText, mergeVerdict } from './merge-device.js';
import type { SourceEndpoint } from './source-types.js';

const EXISTING = `# yaml-language-server: $schema=../../schema/device.schema.json
id: acme/cam
name: Acme Cam
category: camera
endpoints:
  # seen in the 2019 log
  - host: api.acme-cloud.net
    protocol: tcp
    ports: [443]
    service: https
    purpose: cloud-control
    party: first
    needs:
      vendor-app: required
      home-assistant: unknown
    evidence: [log-2019]
evidence:
  - id: log-2019
    type: firewall-log
    date: 2019-05-01
    source: https://forum.acme-users.net/t/1
`;

const blockTest: SourceEndpoint = {
  host: 'api.acme-cloud.net', protocol: 'tcp', ports: [443], service: 'https', purpose: 'unknown', party: 'first',
  needs: { 'vendor-app': [{ verdict: 'not-required', evidence: ['test-2021'] }], 'home-assistant': 'unknown' },
  evidence: ['test-2021'],
};
const evidence = [{ id: 'test-2021', type: 'blocking-test' as const, date: '2021', source: 'https://doi.org/10.0/x' }];

describe('merging into a device file', () => {
  it('keeps comments, adds no duplicate, and keeps disagreeing verdicts side by side', () => {
    const { text, counts } = mergeDeviceText(EXISTING, { evidence, endpoints: [blockTest], local: [] });
    expect(counts).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(text).toContain('# seen in the 2019 log');
    const data = parse(text);
    expect(data.endpoints).toHaveLength(1);
    expect(data.endpoints[0].needs['vendor-app']).toEqual([
      { verdict: 'required', evidence: ['log-2019'] },
      { verdict: 'not-required', evidence: ['test-2021'] },
    ]);
    expect(data.endpoints[0].evidence).toEqual(['log-2019', 'test-2021']);
    expect(data.endpoints[0].purpose).toBe('cloud-control');
    expect(data.evidence.map((e: { id: string }) => e.id)).toEqual(['log-2019', 'test-2021']);
    // A second merge of the same facts changes nothing.
    const again = mergeDeviceText(text, { evidence, endpoints: [blockTest], local: [] });
    expect(again.text).toBe(text);
    expect(again.counts).toEqual({ added: 0, updated: 0, unchanged: 1 });
  });

  it('adds a new destination as a new entry', () => {
    const other = { ...blockTest, host: 'logs.acme-cloud.net' };
    const { text, counts } = mergeDeviceText(EXISTING, { evidence, endpoints: [other], local: [] });
    expect(counts.added).toBe(1);
    expect(parse(text).endpoints.map((e: { host: string }) => e.host)).toEqual(['api.acme-cloud.net', 'logs.acme-cloud.net']);
  });

  it('fills fields the file leaves unknown, and never overwrites known ones', () => {
    const vague = EXISTING.replace('party: first', 'party: unknown');
    const { text } = mergeDeviceText(vague, { evidence, endpoints: [{ ...blockTest, party: 'third' }], local: [] });
    const e = parse(text).endpoints[0];
    expect(e.party).toBe('third');
    expect(e.purpose).toBe('cloud-control');
  });

  it('refuses an evidence id that already cites another source', () => {
    const clash = [{ ...evidence[0]!, id: 'log-2019' }];
    expect(() => mergeDeviceText(EXISTING, { evidence: clash, endpoints: [], local: [] })).toThrow(/already cites/);
  });

  it('lets unknown yield to a claim', () => {
    expect(mergeVerdict('unknown', ['a'], [{ verdict: 'not-required', evidence: ['b'] }])).toEqual([{ verdict: 'not-required', evidence: ['b'] }]);
    expect(mergeVerdict('unknown', ['a'], 'unknown')).toBe('unknown');
  });
});
