import { describe, expect, it } from 'vitest';
import { MODELINES } from '../../lib/canonical.js';
import { baseDevice, baseVendor, brief, err, lintDevice, lintVendor, yamlOf } from '../../../test/lint/helpers.js';

describe('modeline', () => {
  it('stays silent on the right modeline for each kind', () => {
    expect(yamlOf(baseDevice()).split('\n')[0]).toBe(MODELINES.device);
    expect(lintDevice(baseDevice()).problems).toEqual([]);
    expect(lintVendor(baseVendor()).problems).toEqual([]);
  });

  it('catches a missing modeline, on line 1 only', () => {
    const text = yamlOf(baseDevice()).split('\n').slice(1).join('\n');
    const { problems } = lintDevice(text);
    expect(brief(problems)).toEqual([err('modeline', 1)]);
    expect(problems[0]!.message).toBe('the first line is not the schema modeline');
    expect(problems[0]!.hint).toContain(MODELINES.device);
  });

  it('catches the vendor modeline in a device file', () => {
    const text = yamlOf(baseDevice()).replace(MODELINES.device, MODELINES.vendor);
    const { problems } = lintDevice(text);
    expect(brief(problems)).toEqual([err('modeline', 1)]);
    expect(problems[0]!.message).toBe('the schema modeline points at the wrong schema');
  });

  it('accepts CRLF line ends on the modeline', () => {
    const text = yamlOf(baseDevice()).replace(/\n/g, '\r\n');
    expect(lintDevice(text).problems.filter((p) => p.rule === 'modeline')).toEqual([]);
  });
});
