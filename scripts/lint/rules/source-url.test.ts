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

  it('refuses proxy and cache hosts, which readers cannot open', () => {
    for (const source of ['https://developer.amazon.com.rproxy.goskope.com/docs/x.html', 'https://www-example-com.translate.goog/x', 'https://webcache.googleusercontent.com/search?q=cache:x']) {
      const { text, problems } = lintDevice(withSource(source));
      expect(brief(problems), source).toEqual([err('source-url', lineOf(text, 'source:'))]);
      expect(problems[0]!.message, source).toMatch(/proxy or cache/);
    }
  });

  it('asks code and integration documentation on GitHub for a commit; other evidence and pinned addresses pass', () => {
    const typed = (type: string, source: string) => ({ ...baseDevice(), evidence: [{ id: 'capture', type, accessed: '2026-01-01', source }] });
    const branch = lintDevice(typed('source-code', 'https://github.com/home-assistant/core/blob/dev/homeassistant/components/sonos/manifest.json'));
    expect(brief(branch.problems)).toEqual([err('source-url', lineOf(branch.text, 'source:'))]);
    expect(branch.problems[0]!.message).toBe('source-code on GitHub must be cited at a commit');
    const docs = lintDevice(typed('integration-documentation', 'https://github.com/home-assistant/home-assistant.io/blob/current/source/_integrations/sonos.markdown'));
    expect(docs.problems.map((p) => p.rule)).toEqual(['source-url']);
    expect(lintDevice(typed('source-code', 'https://github.com/home-assistant/core/blob/4660f61f6b5bf53cf9445059ea7b13446c837491/homeassistant/components/shelly/manifest.json#L5')).problems).toEqual([]);
    expect(lintDevice(typed('community-report', 'https://github.com/rytilahti/python-miio/issues/407')).problems).toEqual([]);
  });
});
