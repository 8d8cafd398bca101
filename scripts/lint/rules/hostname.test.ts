import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintDevice } from '../../../test/lint/helpers.js';

const withHost = (host: string) => ({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), host }] });

describe('hostname', () => {
  it('stays silent on plain, wildcard and punycode names', () => {
    for (const host of ['api.acme.example.com', '*.acme.example.com', 'xn--bcher-kva.example', 'a-1.b2.co']) {
      expect(lintDevice(withHost(host)).problems, host).toEqual([]);
    }
  });

  it('catches bad names at the host line, with the net.ts message', () => {
    const cases: [string, RegExp][] = [
      ['API.acme.example.com', /upper-case/],
      ['api.acme.example.com.', /ends with a dot/],
      ['api.*.example.com', /wildcard/],
      ['localhost', /not a fully qualified name/],
      ['10.0.0.1', /looks like an IP address/],
      ['bücher.example', /not in ASCII/],
      ['-bad.example.com', /not a valid DNS label/],
      ['a_b.example.com', /not a valid DNS label/],
    ];
    for (const [host, message] of cases) {
      const { text, problems } = lintDevice(withHost(host));
      expect(brief(problems), host).toEqual([err('hostname', lineOf(text, 'host:'))]);
      expect(problems[0]!.message, host).toMatch(message);
    }
  });

  it('gives the fix in the hint', () => {
    const { problems } = lintDevice(withHost('API.Acme.example.com'));
    expect(problems[0]!.hint).toBe('write api.acme.example.com');
  });
});
