import { describe, expect, it } from 'vitest';
import { baseDevice, baseEndpoint, brief, err, lineOf, lintTree, yamlOf, baseVendor, TODAY } from '../../../test/lint/helpers.js';

const withPortText = (ports: string) => yamlOf({ ...baseDevice(), endpoints: [{ ...baseEndpoint(), service: 'tuya', ports: [1] }] }).replace('ports: [1]', `ports: [${ports}]`);

describe('number-format', () => {
  it('refuses ports written in hex, octal, with a fraction, an exponent, a sign or a leading zero, at the item', () => {
    for (const spelling of ['0x1F', '0o777', '443.0', '1e3', '+443', '0443']) {
      const text = withPortText(spelling);
      expect(text, spelling).toContain(`[${spelling}]`);
      const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text }, { today: TODAY });
      const own = problems.filter((p) => p.rule === 'number-format');
      expect(own.map((p) => p.message), spelling).toEqual([expect.stringMatching(new RegExp(`^${spelling.replace(/[+.]/g, '\\$&')} is read as the number`))]);
      expect(brief(own)).toEqual([err('number-format', lineOf(text, 'ports:'))]);
      const line = text.split('\n')[own[0]!.line - 1]!;
      expect(line.slice(own[0]!.col - 1).startsWith(spelling), spelling).toBe(true);
    }
  });

  it('stays silent on plain decimals and quoted text', () => {
    const text = withPortText('443');
    const { problems } = lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text }, { today: TODAY });
    expect(problems.filter((p) => p.rule === 'number-format')).toEqual([]);
  });
});
