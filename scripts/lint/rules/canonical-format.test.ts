import { describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, brief, err, lineOf, lintDevice, lintVendor, yamlOf } from '../../../test/lint/helpers.js';

describe('canonical-format', () => {
  it('stays silent on canonical text, comments included', () => {
    const text = yamlOf(baseDevice()).replace('category: plug', '# sold as a plug\ncategory: plug # in the EU');
    expect(lintDevice(text).problems).toEqual([]);
    expect(lintVendor(baseVendor()).problems).toEqual([]);
  });

  it('catches keys out of schema order, at the first differing line', () => {
    const text = yamlOf(baseDevice()).replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget');
    const { problems } = lintDevice(text);
    expect(brief(problems)).toEqual([err('canonical-format', lineOf(text, 'category: plug'))]);
    expect(problems[0]!.message).toBe(`not in canonical form from line ${lineOf(text, 'category: plug')}: expected "name: Acme Widget"`);
    expect(problems[0]!.hint).toBe('run: npm run fix -- acme/widget.yaml');
  });

  it('catches unsorted ports, flow/block style, and a missing final newline', () => {
    const base = yamlOf({ ...baseDevice(), endpoints: [{ ...(baseDevice().endpoints as Record<string, unknown>[])[0], ports: [80, 443] }] });
    const unsorted = base.replace('ports: [80, 443]', 'ports: [443, 80]');
    expect(brief(lintDevice(unsorted).problems)).toEqual([err('canonical-format', lineOf(unsorted, 'ports:'))]);
    const block = base.replace('ports: [80, 443]', 'ports:\n      - 80\n      - 443');
    expect(brief(lintDevice(block).problems)).toEqual([err('canonical-format', lineOf(block, 'ports:'))]);
    const noNewline = base.replace(/\n$/, '');
    expect(brief(lintDevice(noNewline).problems)).toEqual([err('canonical-format', noNewline.split('\n').length + 1)]);
  });

  it('stays quiet while the file has other errors (it would only repeat them)', () => {
    const text = yamlOf(baseDevice()).replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget').replace('category: plug', 'category: plugg');
    expect(lintDevice(text).problems.map((p) => p.rule)).toEqual(['schema']);
  });

  it('reports a missing modeline only once, as the modeline rule', () => {
    const text = yamlOf(baseDevice()).split('\n').slice(1).join('\n');
    expect(lintDevice(text).problems.map((p) => p.rule)).toEqual(['modeline']);
  });

  it('runs after warnings', () => {
    const text = yamlOf({ ...baseDevice(), 'home-assistant': { integrations: ['nope_nope'] } }).replace('name: Acme Widget\ncategory: plug', 'category: plug\nname: Acme Widget');
    expect(lintDevice(text).problems.map((p) => [p.rule, p.severity])).toEqual([['canonical-format', 'error'], ['ha-domain', 'warning']]);
  });
});
