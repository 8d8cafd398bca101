import { describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, brief, err, lineOf, lintDevice, lintTree, lintVendor, yamlOf } from '../../../test/lint/helpers.js';

describe('id-path', () => {
  it('stays silent when ids match their paths', () => {
    expect(lintDevice(baseDevice()).problems).toEqual([]);
    expect(lintVendor(baseVendor()).problems).toEqual([]);
  });

  it('catches a device id that does not match its path, at the id', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), id: 'acme/gadget' });
    expect(brief(problems)).toEqual([err('id-path', lineOf(text, 'id: acme/gadget'))]);
    expect(problems[0]!.message).toBe('id "acme/gadget" does not match the path acme/widget.yaml');
    expect(problems[0]!.hint).toContain('set id: acme/widget');
  });

  it('catches a vendor id that does not match its folder', () => {
    const { text, problems } = lintVendor({ ...baseVendor(), id: 'acme-corp' });
    expect(brief(problems)).toEqual([err('id-path', lineOf(text, 'id: acme-corp'))]);
    expect(problems[0]!.hint).toBe('set id: acme');
  });

  it('catches a .yml device file', () => {
    const text = yamlOf(baseDevice());
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yml': text });
    expect(brief(problems)).toEqual([err('id-path', lineOf(text, 'id: acme/widget'))]);
    expect(problems[0]!.hint).toBe('rename to acme/widget.yaml');
  });
});
