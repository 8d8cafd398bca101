import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const withEndpoint = (patch: Record<string, unknown>, drop: string[] = []) => {
  const e: Record<string, unknown> = { ...baseEndpoint(), ...patch };
  for (const k of drop) delete e[k];
  return { ...baseDevice(), endpoints: [e] };
};
const rule = (problems: { rule: string }[]) => problems.filter((p) => p.rule === 'broad-destination');

describe('broad-destination', () => {
  it('stays silent on ordinary hosts, vendor wildcards, a few any-destination ports and /16 or /48 blocks', () => {
    expect(rule(lintDevice(withEndpoint({ host: '*.tuyaus.com' })).problems)).toEqual([]);
    expect(rule(lintDevice(withEndpoint({ host: 'd1234abcd.cloudfront.net' })).problems)).toEqual([]);
    expect(rule(lintDevice(withEndpoint({ 'any-destination': true, protocol: 'udp', ports: ['16500-65000'] }, ['host'])).problems)).toEqual([]);
    expect(rule(lintDevice(withEndpoint({ address: '52.94.0.0/16' }, ['host'])).problems)).toEqual([]);
    expect(rule(lintDevice(withEndpoint({ address: '2a00:1450:4000::/48' }, ['host'])).problems)).toEqual([]);
  });

  it('refuses any-destination over all ports, at the ports', () => {
    const { text, problems } = lintDevice(withEndpoint({ 'any-destination': true, protocol: 'tcp+udp', ports: ['1-65535'] }, ['host']));
    expect(brief(rule(problems) as never)).toEqual([err('broad-destination', lineOf(text, 'ports:'))]);
    expect(rule(problems)[0]).toMatchObject({ message: 'any-destination entry covers 65535 ports: it would open the whole internet' });
  });

  it('refuses wildcards on public suffixes, ICANN and private', () => {
    for (const host of ['*.co.uk', '*.com', '*.cloudfront.net', '*.s3.amazonaws.com', '*.googleapis.com']) {
      const { text, problems } = lintDevice(withEndpoint({ host }));
      expect(brief(rule(problems) as never), host).toEqual([err('broad-destination', lineOf(text, 'host:'))]);
    }
  });

  it('refuses wildcards on a shared cloud\'s customer domain', () => {
    const { problems } = lintDevice(withEndpoint({ host: '*.amazonaws.com' }));
    expect(rule(problems)).toHaveLength(1);
    expect((rule(problems)[0] as unknown as { message: string }).message).toMatch(/^wildcard \*\.amazonaws\.com: it covers every customer of a shared cloud \(Amazon S3/);
  });

  it('refuses huge address blocks', () => {
    for (const address of ['8.0.0.0/8', '52.0.0.0/12', '2a00::/16']) {
      const { text, problems } = lintDevice(withEndpoint({ address }, ['host']));
      expect(brief(rule(problems) as never), address).toEqual([err('broad-destination', lineOf(text, 'address:'))]);
    }
  });
});
