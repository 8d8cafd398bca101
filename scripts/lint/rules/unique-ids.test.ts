import { describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, brief, err, lineOf, lintDevice, lintTree, yamlOf } from '../../../test/lint/helpers.js';

const vendor = yamlOf(baseVendor(), 'vendor');
const gizmo = yamlOf({ ...baseDevice(), id: 'acme/gizmo' });

describe('unique-ids', () => {
  it('stays silent when every id and alias is claimed once', () => {
    const { problems } = lintDevice({ ...baseDevice(), aliases: ['acme/widget-old'] }, { 'acme/gizmo.yaml': gizmo });
    expect(problems).toEqual([]);
  });

  it('catches an alias that is another device\'s id, on the later file only', () => {
    const widget = yamlOf({ ...baseDevice(), aliases: ['acme/gizmo'] });
    const { problems } = lintTree({ 'acme/_vendor.yaml': vendor, 'acme/gizmo.yaml': gizmo, 'acme/widget.yaml': widget });
    expect(brief(problems)).toEqual([err('unique-ids', lineOf(widget, 'aliases:'))]);
    expect(problems[0]!.file).toBe('acme/widget.yaml');
    expect(problems[0]!.message).toMatch(/^alias "acme\/gizmo" .*acme\/gizmo\.yaml/);
  });

  it('catches two devices that claim the same alias', () => {
    const a = yamlOf({ ...baseDevice(), id: 'acme/a', aliases: ['acme/old'] });
    const b = yamlOf({ ...baseDevice(), id: 'acme/b', aliases: ['acme/old'] });
    const { problems } = lintTree({ 'acme/_vendor.yaml': vendor, 'acme/a.yaml': a, 'acme/b.yaml': b });
    expect(problems.map((p) => [p.file, p.rule, p.line])).toEqual([['acme/b.yaml', 'unique-ids', lineOf(b, 'aliases:')]]);
    expect(problems[0]!.message).toMatch(/"acme\/old".*acme\/a\.yaml/);
  });

  it('catches an alias that repeats the device\'s own id', () => {
    const { text, problems } = lintDevice({ ...baseDevice(), aliases: ['acme/widget'] });
    expect(brief(problems)).toEqual([err('unique-ids', lineOf(text, 'aliases:'))]);
    expect(problems[0]!.message).toBe('alias "acme/widget" repeats the device\'s own id');
  });

  it('in a partial run, still sees the ids of files it does not check', () => {
    const widget = yamlOf({ ...baseDevice(), aliases: ['acme/gizmo'] });
    const { problems } = lintTree({ 'acme/_vendor.yaml': vendor, 'acme/gizmo.yaml': gizmo, 'acme/widget.yaml': widget }, { only: ['acme/widget.yaml'] });
    expect(brief(problems)).toEqual([err('unique-ids', lineOf(widget, 'aliases:'))]);
  });
});
