import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, lineOf, lintDevice, warn } from '../../../test/lint/helpers.js';

const withService = (patch: Record<string, unknown>) => ({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), ...patch }] });

describe('port-service', () => {
  it('stays silent on usual ports, ranges holding them and services it does not know', () => {
    expect(lintDevice(withService({ service: 'ntp', protocol: 'udp', ports: [123] })).problems).toEqual([]);
    expect(lintDevice(withService({ service: 'stun', protocol: 'udp', ports: ['3000-4000'] })).problems).toEqual([]);
    expect(lintDevice(withService({ service: 'tuya', protocol: 'tcp', ports: [6668] })).problems).toEqual([]);
  });

  it('warns on the wrong protocol, at the protocol', () => {
    const { text, problems } = lintDevice(withService({ service: 'ntp', protocol: 'tcp', ports: [123] }));
    expect(brief(problems)).toEqual([warn('port-service', lineOf(text, 'protocol: tcp'))]);
    expect(problems[0]!.message).toBe('ntp normally runs over udp, not tcp');
  });

  it('warns on an unusual port, at the ports', () => {
    const { text, problems } = lintDevice(withService({ service: 'https', ports: [8443] }));
    expect(brief(problems)).toEqual([warn('port-service', lineOf(text, 'ports:'))]);
    expect(problems[0]!.message).toBe('https normally uses port 443');
  });

  it('does not warn when the source did not name the protocol', () => {
    expect(lintDevice(withService({ service: 'https', protocol: 'unknown', ports: undefined })).problems).toEqual([]);
  });

  it('warns once per entry, for the protocol first', () => {
    const { problems } = lintDevice(withService({ service: 'mqtt', protocol: 'udp', ports: [9999] }));
    expect(problems.map((p) => p.message)).toEqual(['mqtt normally runs over tcp, not udp']);
  });
});
