import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const withAddress = (address: string) => {
  const { host, ...e } = baseEndpoint();
  void host;
  return { ...baseDevice(), endpoints: [{ address, ...e }] };
};

describe('ip-canonical', () => {
  it('stays silent on canonical IPv4, IPv6 and CIDR blocks', () => {
    for (const address of ['9.9.9.9', '2606:4700::1111', '8.8.8.0/24', '2a00:1450::/32']) {
      expect(lintDevice(withAddress(address)).problems, address).toEqual([]);
    }
  });

  it('catches non-canonical spellings with the canonical one as hint', () => {
    const cases: [string, string][] = [
      ['2606:4700:0:0:0:0:0:1111', 'write 2606:4700::1111'],
      ['2A00:1450::A', 'write 2a00:1450::a'],
      ['8.8.8.1/24', 'write 8.8.8.0/24'],
      ['9.9.9.9/32', 'write 9.9.9.9'],
      ['::ffff:9.9.9.9', 'write 9.9.9.9'],
    ];
    for (const [address, hint] of cases) {
      const { text, problems } = lintDevice(withAddress(address));
      expect(brief(problems), address).toEqual([err('ip-canonical', lineOf(text, 'address:'))]);
      expect(problems[0]!.hint, address).toBe(hint);
    }
  });

  it('catches things that are not addresses', () => {
    for (const address of ['09.9.9.9', '9.9.9', '9.9.9.9/33', '9.9.9.9/24/1', 'fe80::1%eth0', 'example.com']) {
      const { problems } = lintDevice(withAddress(address));
      expect(brief(problems).map((p) => p.rule), address).toEqual(['ip-canonical']);
    }
  });

  it('checks multicast group addresses of local flows', () => {
    const flow = {
      from: 'device', to: 'multicast', group: '239.255.255.250/32', protocol: 'udp', ports: [1900], service: 'ssdp', purpose: 'discovery',
      needs: { 'vendor-app': 'unknown', 'home-assistant': 'unknown' }, evidence: ['capture'],
    };
    const { text, problems } = lintDevice({ ...baseDevice(), local: [flow] });
    expect(brief(problems)).toEqual([err('ip-canonical', lineOf(text, 'group:'))]);
  });
});
