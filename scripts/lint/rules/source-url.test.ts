import { describe, expect, it } from 'vitest';
import { baseDevice, brief, err, lineOf, lintDevice, warn } from '../../../test/lint/helpers.js';

const withSource = (source: string) => ({ ...baseDevice(), evidence: [{ id: 'capture', type: 'packet-capture', date: '2024-03-01', source }] });

describe('source-url', () => {
  it('stays silent on https URLs of public sites', () => {
    expect(lintDevice(withSource('https://github.com/rytilahti/python-miio/issues/407')).problems).toEqual([]);
  });

  it('warns on http, hinting the https URL', () => {
    const { text, problems } = lintDevice(withSource('http://example.org/page'));
    expect(brief(problems)).toEqual([warn('source-url', lineOf(text, 'source:'))]);
    expect(problems[0]!.hint).toBe('use https://example.org/page if the site serves it');
  });

  it('catches credentials and hosts a reader cannot open', () => {
    for (const [source, message] of [
      ['https://user:pw@example.org/x', /credentials/],
      ['https://192.168.1.1/log.txt', /not a public site/],
      ['https://[2001:db8::1]/x', /not a public site/],
      ['https://nas/log.txt', /not a public site/],
    ] as const) {
      const { text, problems } = lintDevice(withSource(source));
      expect(brief(problems), source).toEqual([err('source-url', lineOf(text, 'source:'))]);
      expect(problems[0]!.message, source).toMatch(message);
    }
  });
});
