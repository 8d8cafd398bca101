import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const withAddress = (address: string) => {
  const { host, ...e } = baseEndpoint();
  void host;
  return { ...baseDevice(), endpoints: [{ address, ...e }] };
};
const withGroup = (group: string) => ({
  ...baseDevice(),
  local: [{
    from: 'device', to: 'multicast', group, protocol: 'udp', ports: [5353], service: 'mdns', purpose: 'discovery',
    needs: { 'vendor-app': 'unknown', 'home-assistant': 'unknown' }, evidence: ['capture'],
  }],
});

describe('public-address', () => {
  it('stays silent on global unicast addresses and on multicast groups', () => {
    for (const address of ['9.9.9.9', '2606:4700::1111', '18.194.0.0/16']) expect(lintDevice(withAddress(address)).problems, address).toEqual([]);
    for (const group of ['224.0.0.251', 'ff02::fb']) expect(lintDevice(withGroup(group)).problems, group).toEqual([]);
  });

  it('catches special-use addresses with the range named', () => {
    const cases: [string, string][] = [
      ['192.168.1.10', 'private'], ['10.0.0.0/8', 'private'], ['127.0.0.1', 'loopback'], ['169.254.1.1', 'link-local'],
      ['224.0.0.251', 'multicast'], ['203.0.113.7', 'documentation'], ['2001:db8::1', 'documentation'], ['fd00::1', 'private (unique local)'],
      ['100.64.0.1', 'carrier-grade NAT'], ['0.0.0.0', 'unspecified'],
    ];
    for (const [address, range] of cases) {
      const { text, problems } = lintDevice(withAddress(address));
      expect(brief(problems), address).toEqual([err('public-address', lineOf(text, 'address:'))]);
      expect(problems[0]!.message).toBe(`${address} is a ${range} address, not an internet endpoint`);
    }
  });

  it('catches a block that merely contains a documentation range', () => {
    // 192.0.0.0/16 is wider than 192.0.2.0/24: not all documentation, but not global unicast either
    const { problems } = lintDevice(withAddress('192.0.2.0/24'));
    expect(problems.map((p) => p.message)).toEqual(['192.0.2.0/24 is a documentation address, not an internet endpoint']);
  });

  it('catches a multicast group that is not multicast', () => {
    const { text, problems } = lintDevice(withGroup('9.9.9.9'));
    expect(brief(problems)).toEqual([err('public-address', lineOf(text, 'group:'))]);
    expect(problems[0]!.message).toBe('9.9.9.9 is not a multicast address');
  });
});
