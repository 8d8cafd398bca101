import { describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, brief, err, lineOf, lintDevice, lintTree, yamlOf } from '../../../test/lint/helpers.js';

const withGroups = (...groups: string[]) => ({
  ...baseDevice(),
  endpoints: [...groups.map((group) => ({ group, evidence: ['capture'] })), ...(baseDevice().endpoints as unknown[])],
});

describe('group-refs', () => {
  it('stays silent on a group the vendor file defines', () => {
    expect(lintDevice(withGroups('acme/cloud')).problems).toEqual([]);
  });

  it('catches an undefined group and names the defined ones', () => {
    const { text, problems } = lintDevice(withGroups('acme/clod'));
    expect(brief(problems)).toEqual([err('group-refs', lineOf(text, 'group: acme/clod'))]);
    expect(problems[0]!.message).toBe('endpoint group "acme/clod" is not defined');
    expect(problems[0]!.hint).toBe('defined groups of acme: acme/cloud');
  });

  it('catches a group of a vendor that has none, pointing at where to define it', () => {
    const { problems } = lintDevice(withGroups('other/cloud'));
    expect(problems.map((p) => p.hint)).toEqual(['define it under groups: in devices/other/_vendor.yaml']);
  });

  it('catches a group used twice, at the repeat', () => {
    const { text, problems } = lintDevice(withGroups('acme/cloud', 'acme/cloud'));
    expect(brief(problems)).toEqual([err('group-refs', lineOf(text, 'group: acme/cloud', 1))]);
    expect(problems[0]!.message).toBe('group "acme/cloud" is used twice');
  });

  it('resolves groups of another vendor folder and in a partial run', () => {
    const other = yamlOf({ ...baseVendor(), id: 'other' }, 'vendor');
    const widget = yamlOf(withGroups('acme/cloud', 'other/cloud'));
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'other/_vendor.yaml': other, 'acme/widget.yaml': widget }, { only: ['acme/widget.yaml'] });
    expect(problems).toEqual([]);
  });
});
