import { describe, expect, it } from 'vitest';
import type { ErrorObject } from 'ajv';
import { validators } from '../../lib/validators.js';
import { explain } from './schema.js';
import { baseDevice, baseEndpoint, baseVendor, brief, err, lineOf, lintDevice, lintVendor } from '../../../test/lint/helpers.js';

const explainDevice = (data: unknown) => {
  const validate = validators().device;
  expect(validate(data)).toBe(false);
  return explain(validate.errors as ErrorObject[], data);
};

describe('schema', () => {
  it('stays silent on a valid device and a valid vendor file', () => {
    expect(lintDevice(baseDevice()).problems).toEqual([]);
    expect(lintVendor(baseVendor()).problems).toEqual([]);
  });

  it('reports a typo\'d key once, at the key, suggesting the real one', () => {
    const { host, ...rest } = baseEndpoint();
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [{ hots: host, ...rest }] });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'hots:'))]);
    expect(problems[0]!.message).toBe('unknown property "hots"');
    expect(problems[0]!.hint).toBe('did you mean "host"?');
    expect(problems[0]!.col).toBe(text.split('\n')[lineOf(text, 'hots:') - 1]!.indexOf('hots') + 1);
  });

  it('merges a typo of a required key with the "missing" error it causes', () => {
    const { category, ...rest } = baseDevice();
    const { text, problems } = lintDevice({ ...rest, categroy: category });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'categroy:'))]);
    expect(problems[0]!.hint).toBe('did you mean "category"?');
  });

  it('lists the allowed keys when nothing is close', () => {
    const messages = explainDevice({ ...baseDevice(), zzzzzzzz: 1 });
    expect(messages).toEqual([{ path: ['zzzzzzzz'], at: 'key', message: 'unknown property "zzzzzzzz"', hint: expect.stringContaining('allowed here: id, name,') }]);
  });

  it('gives one message with a suggestion for a wrong enum value', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), category: 'vacum' });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'category: vacum'))]);
    expect(problems[0]!.message).toMatch(/^"vacum" is not one of: vacuum, camera/);
    expect(problems[0]!.hint).toBe('did you mean "vacuum"?');
  });

  it('does not suggest a far-off enum value', () => {
    const [m] = explainDevice({ ...baseDevice(), category: 'spaceship' });
    expect(m!.hint).toBeUndefined();
  });

  it('drops the if/then/else wrapper errors: a bad verdict inside a claim list is one message', () => {
    const endpoint = { ...baseEndpoint(), needs: { 'vendor-app': [{ verdict: 'requird', evidence: ['capture'] }], 'home-assistant': 'unknown' } };
    const messages = explainDevice({ ...baseDevice(), endpoints: [endpoint] });
    expect(messages).toEqual([{ path: ['endpoints', 0, 'needs', 'vendor-app', 0, 'verdict'], message: expect.stringContaining('"requird" is not one of'), hint: 'did you mean "required"?' }]);
  });

  it('explains a bad port item in words', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), ports: [443, 'https'] }] });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'ports:'))]);
    expect(problems[0]!.message).toBe('a port must be a whole number or a "low-high" range');
    expect(problems[0]!.hint).toBe('write 443 or "16500-65000"');
    for (const bad of [true, 443.5, '443']) {
      const messages = explainDevice({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), ports: [bad] }] });
      expect(messages).toEqual([{ path: ['endpoints', 0, 'ports', 0], message: 'a port must be a whole number or a "low-high" range', hint: 'write 443 or "16500-65000"' }]);
    }
  });

  it('names the friendly pattern for dates, slugs and urls', () => {
    const evidence = [{ id: 'Capture', type: 'packet-capture', date: '2024-13-01', source: 'ftp://example.org/x' }];
    const endpoint = { ...baseEndpoint(), evidence: ['Capture'] };
    const messages = explainDevice({ ...baseDevice(), endpoints: [endpoint], evidence });
    const byPath = Object.fromEntries(messages.map((m) => [m.path.join('/'), m]));
    expect(byPath['evidence/0/date']!.message).toBe('date must be a date: YYYY-MM-DD, YYYY-MM or YYYY');
    expect(byPath['evidence/0/id']!.message).toBe('id must be a lower-case slug: a-z, 0-9 and single inner hyphens');
    expect(byPath['evidence/0/source']!.message).toBe('source must be an http(s) URL');
    expect(byPath['endpoints/0/evidence/0']!.hint).toBe('cite evidence by the id of an item in evidence:');
    // one message per path even when pattern and format both fail
    expect(messages.filter((m) => m.path.join('/') === 'evidence/0/source')).toHaveLength(1);
  });

  it('reports a missing required key once, at the object holding it', () => {
    const { purpose, ...endpoint } = baseEndpoint();
    void purpose;
    const { text, problems } = lintDevice({ ...baseDevice(), endpoints: [endpoint] });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'host: api.acme'))]);
    expect(problems[0]!.message).toBe('missing required property "purpose"');
  });

  it('says what an empty evidence list needs', () => {
    const [m] = explainDevice({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), evidence: [] }] });
    expect(m).toEqual({ path: ['endpoints', 0, 'evidence'], message: 'evidence must not be empty', hint: 'cite at least one evidence id: every fact needs a source' });
  });

  it('reports a wrong type with an article', () => {
    const [m] = explainDevice({ ...baseDevice(), endpoints: {} });
    expect(m).toEqual({ path: ['endpoints'], message: 'endpoints must be an array' });
  });

  it('quotes hostile keys instead of printing their control characters', () => {
    const [m] = explainDevice({ ...baseDevice(), 'x\n::error::forged\u001b[31m': 1 });
    expect(m!.message).toBe('unknown property "x\\n::error::forged\\u001b[31m"');
  });

  it('checks vendor files against the vendor schema', () => {
    const { text, problems } = lintVendor({ ...baseVendor(), website: 'not a url' });
    expect(brief(problems)).toEqual([err('schema', lineOf(text, 'website:'))]);
  });
});
