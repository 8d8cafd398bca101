import { describe, expect, it } from 'vitest';
import { baseDevice, brief, err, lineOf, lintDevice, TODAY } from '../../../test/lint/helpers.js';

const withEvidence = (patch: Record<string, unknown>, drop: string[] = []) => {
  const item: Record<string, unknown> = { id: 'capture', type: 'packet-capture', date: '2024-03-01', source: 'https://example.org/x', ...patch };
  for (const k of drop) delete item[k];
  return { ...baseDevice(), evidence: [item] };
};

describe('evidence-date', () => {
  it('stays silent on full, month and year dates up to today, and on accessed dates', () => {
    for (const date of ['2024-02-29', '2024-03', '2024', TODAY, TODAY.slice(0, 7)]) expect(lintDevice(withEvidence({ date })).problems, date).toEqual([]);
    expect(lintDevice(withEvidence({ accessed: TODAY }, ['date'])).problems).toEqual([]);
  });

  it('catches evidence with neither date nor accessed', () => {
    const { text, problems } = lintDevice(withEvidence({}, ['date']));
    expect(brief(problems)).toEqual([err('evidence-date', lineOf(text, 'id: capture'))]);
    expect(problems[0]!.message).toBe('evidence "capture" has no date');
  });

  it('catches dates that are not on the calendar', () => {
    for (const date of ['2023-02-29', '2024-04-31']) {
      const { text, problems } = lintDevice(withEvidence({ date }));
      expect(brief(problems), date).toEqual([err('evidence-date', lineOf(text, `date: ${date}`))]);
      expect(problems[0]!.message).toBe(`${date} is not a calendar date`);
    }
  });

  it('catches dates in the future, at day, month and year precision', () => {
    for (const [key, value] of [['date', '2026-11-26'], ['date', '2026-12'], ['accessed', '2027']] as const) {
      const { text, problems } = lintDevice(withEvidence({ [key]: value }, key === 'accessed' ? ['date'] : []));
      expect(brief(problems), value).toEqual([err('evidence-date', lineOf(text, `${key}: `))]);
      expect(problems[0]!.message).toBe(`${key} ${value} is in the future (today is ${TODAY})`);
    }
  });

  it('leaves malformed dates to the schema: one message', () => {
    const { problems } = lintDevice(withEvidence({ date: '2024-13-01' }));
    expect(problems.map((p) => p.rule)).toEqual(['schema']);
  });
});
