import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, baseVendor, brief, err, lineOf, lintDevice, lintVendor } from '../../../test/lint/helpers.js';

const withEndpoint = (patch: Record<string, unknown>, drop: string[] = []) => {
  const e: Record<string, unknown> = { ...baseEndpoint(), ...patch };
  for (const k of drop) delete e[k];
  return { ...baseDevice(), endpoints: [e] };
};
const flow = (patch: Record<string, unknown>) => ({
  from: 'home-assistant', to: 'device', protocol: 'udp', ports: [5353], service: 'mdns', purpose: 'discovery',
  needs: { 'vendor-app': 'unknown', 'home-assistant': 'unknown' }, evidence: ['capture'], ...patch,
});
const withFlow = (patch: Record<string, unknown>) => ({ ...baseDevice(), local: [flow(patch)] });

describe('destination', () => {
  it('stays silent on host endpoints, address endpoints, icmp, unknown protocol and multicast with a group', () => {
    expect(lintDevice(withEndpoint({ host: undefined, address: '9.9.9.9' }, ['host'])).problems).toEqual([]);
    expect(lintDevice(withEndpoint({ protocol: 'icmp', service: 'ping' }, ['ports'])).problems).toEqual([]);
    expect(lintDevice(withEndpoint({ protocol: 'unknown' }, ['ports'])).problems).toEqual([]);
    expect(lintDevice(withFlow({ to: 'multicast', group: '224.0.0.251' })).problems).toEqual([]);
  });

  it('catches an endpoint with no destination, at the endpoint', () => {
    const { text, problems } = lintDevice(withEndpoint({}, ['host']));
    expect(brief(problems)).toEqual([err('destination', lineOf(text, 'protocol: tcp'))]);
    expect(problems[0]!.message).toBe('endpoint has no destination');
  });

  it('catches an endpoint with both host and address, at the address key', () => {
    const { text, problems } = lintDevice(withEndpoint({ address: '9.9.9.9' }));
    expect(brief(problems)).toEqual([err('destination', lineOf(text, 'address:'))]);
    expect(problems[0]!.col).toBe(5);
  });

  it('accepts an any-destination endpoint that names its protocol and ports', () => {
    const any = { host: undefined, 'any-destination': true, protocol: 'tcp', ports: [443] };
    expect(lintDevice(withEndpoint(any, ['host'])).problems).toEqual([]);
    expect(lintDevice(withEndpoint({ ...any, protocol: 'icmp', service: 'ping' }, ['host', 'ports'])).problems).toEqual([]);
  });

  it('catches any-destination beside a host or an address, at the second key', () => {
    const withHost = lintDevice(withEndpoint({ 'any-destination': true }));
    expect(brief(withHost.problems)).toEqual([err('destination', lineOf(withHost.text, 'any-destination:'))]);
    expect(withHost.problems[0]!.message).toBe('endpoint has both host and any-destination');
    expect(withHost.problems[0]!.hint).toMatch(/remove any-destination/);
    const withAddress = lintDevice(withEndpoint({ address: '9.9.9.9', 'any-destination': true }, ['host']));
    expect(brief(withAddress.problems)).toEqual([err('destination', lineOf(withAddress.text, 'any-destination:'))]);
    expect(withAddress.problems[0]!.message).toBe('endpoint has both address and any-destination');
  });

  it('catches an any-destination endpoint that would allow everything: unknown protocol, or TCP/UDP without ports', () => {
    const unknown = lintDevice(withEndpoint({ 'any-destination': true, protocol: 'unknown' }, ['host', 'ports']));
    expect(brief(unknown.problems)).toEqual([err('destination', lineOf(unknown.text, 'protocol: unknown'))]);
    expect(unknown.problems[0]!.message).toBe('any-destination entry has an unknown protocol');
    for (const protocol of ['tcp', 'udp', 'tcp+udp']) {
      const noPorts = lintDevice(withEndpoint({ 'any-destination': true, protocol }, ['host', 'ports']));
      expect(brief(noPorts.problems)).toEqual([err('destination', lineOf(noPorts.text, `protocol: ${protocol}`))]);
      expect(noPorts.problems[0]!.message).toBe(`${protocol} entry lists no ports`);
    }
  });

  it('names any-destination in the hint for an endpoint with no destination', () => {
    const { problems } = lintDevice(withEndpoint({}, ['host']));
    expect(problems[0]!.hint).toMatch(/any-destination: true/);
  });

  it('catches tcp without ports, at the protocol', () => {
    const { text, problems } = lintDevice(withEndpoint({}, ['ports']));
    expect(brief(problems)).toEqual([err('destination', lineOf(text, 'protocol: tcp'))]);
    expect(problems[0]!.message).toBe('tcp entry lists no ports');
  });

  it('catches ports on icmp and on unknown protocol', () => {
    for (const protocol of ['icmp', 'icmpv6', 'unknown']) {
      const { text, problems } = lintDevice(withEndpoint({ protocol, service: 'ping' }));
      expect(brief(problems)).toEqual([err('destination', lineOf(text, 'ports:'))]);
    }
  });

  it('catches a local flow without ports', () => {
    const f: Record<string, unknown> = flow({});
    delete f.ports;
    const { text, problems } = lintDevice({ ...baseDevice(), local: [f] });
    expect(brief(problems)).toEqual([err('destination', lineOf(text, 'protocol: udp'))]);
  });

  it('catches multicast without a group and a group without multicast', () => {
    const a = lintDevice(withFlow({ to: 'multicast' }));
    expect(brief(a.problems)).toEqual([err('destination', lineOf(a.text, 'to: multicast'))]);
    const b = lintDevice(withFlow({ group: '224.0.0.251' }));
    expect(brief(b.problems)).toEqual([err('destination', lineOf(b.text, 'group: 224.0.0.251'))]);
    expect(b.problems[0]!.message).toBe('group: applies only to flows with to: multicast');
  });

  it('accepts what narrows an entry where it applies: ip-version on a name, source-ports on TCP/UDP, icmp-type and icmp-code on ICMP', () => {
    expect(lintDevice(withEndpoint({ 'ip-version': 6, 'source-ports': ['40000-40100'] })).problems).toEqual([]);
    expect(lintDevice(withEndpoint({ protocol: 'icmp', service: 'ping', 'icmp-type': 8, 'icmp-code': 0 }, ['ports'])).problems).toEqual([]);
    expect(lintDevice(withFlow({ to: 'lan', 'ip-version': 4, 'source-ports': [5353] })).problems).toEqual([]);
  });

  it('catches what narrows an entry where it cannot apply, at its key', () => {
    const cases: [Record<string, unknown>, string[], string, string][] = [
      [{ protocol: 'icmp', service: 'ping', 'source-ports': [5000] }, ['ports'], 'source-ports:', 'icmp has no source ports'],
      [{ 'icmp-type': 8 }, [], 'icmp-type:', 'icmp-type applies only to icmp and icmpv6 entries'],
      [{ protocol: 'icmp', service: 'ping', 'icmp-code': 3 }, ['ports'], 'icmp-code:', 'icmp-code without icmp-type'],
      [{ address: '9.9.9.9', 'ip-version': 6 }, ['host'], 'ip-version:', 'ip-version 6 contradicts the IPv4 address'],
      [{ address: '9.9.9.9', 'ip-version': 4 }, ['host'], 'ip-version:', 'ip-version 4 repeats what the address says'],
      [{ protocol: 'icmpv6', service: 'ping', 'ip-version': 4 }, ['ports'], 'ip-version:', 'ip-version 4 contradicts the IPv6 protocol'],
    ];
    for (const [patch, drop, line, message] of cases) {
      const { text, problems } = lintDevice(withEndpoint(patch, drop));
      expect(brief(problems), message).toEqual([err('destination', lineOf(text, line))]);
      expect(problems[0]!.message).toBe(message);
    }
  });

  it('checks vendor group endpoints too', () => {
    const vendor = baseVendor();
    const group = (vendor.groups as Record<string, unknown>[])[0]!;
    const e = (group.endpoints as Record<string, unknown>[])[0]!;
    delete e.ports;
    const { text, problems } = lintVendor(vendor);
    expect(brief(problems)).toEqual([err('destination', lineOf(text, 'protocol: tcp'))]);
  });
});
