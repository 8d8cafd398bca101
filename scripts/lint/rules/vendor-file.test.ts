import { describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, brief, err, lineOf, lintTree, yamlOf } from '../../../test/lint/helpers.js';

describe('vendor-file', () => {
  it('stays silent when the vendor folder has a _vendor.yaml', () => {
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': yamlOf(baseDevice()) });
    expect(problems).toEqual([]);
  });

  it('catches a device whose folder has no _vendor.yaml, once per device', () => {
    const text = yamlOf(baseDevice());
    const { problems } = lintTree({ 'acme/widget.yaml': text });
    expect(brief(problems)).toEqual([err('vendor-file', lineOf(text, 'id: acme/widget'))]);
    expect(problems[0]!.hint).toContain('create devices/acme/_vendor.yaml');
  });

  it('is satisfied by the vendor file in a partial run that checks only the device', () => {
    const { problems, checked } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': yamlOf(baseDevice()) }, { only: ['acme/widget.yaml'] });
    expect(checked).toBe(1);
    expect(problems).toEqual([]);
  });
});
