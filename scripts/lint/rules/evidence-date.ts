import type { Rule } from '../rule.js';
import { evidenceItemsOf } from '../../lib/walk.js';

function isRealDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  if (m === undefined || d === undefined) return true;
  const date = new Date(Date.UTC(y!, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const evidenceDate: Rule = {
  name: 'evidence-date',
  description: 'Evidence has a date (of observation or publication) or, for undated sources, an accessed date; dates are real and not in the future.',
  appliesTo: ['device', 'vendor'],
  check({ data, dataset, report }) {
    for (const { value: item, path } of evidenceItemsOf(data)) {
      if (!('date' in item) && !('accessed' in item)) {
        report(path, `evidence "${String(item.id)}" has no date`, { hint: 'add date: (when observed or published) or, if the source shows none, accessed: (when you read it)' });
      }
      for (const key of ['date', 'accessed'] as const) {
        const value = item[key];
        if (typeof value !== 'string' || !/^[0-9]{4}(-[0-9]{2}){0,2}$/.test(value)) continue;
        if (!isRealDate(value)) report([...path, key], `${value} is not a calendar date`);
        else if (value > dataset.today.slice(0, value.length)) {
          report([...path, key], `${key} ${value} is in the future (today is ${dataset.today})`, { hint: 'use the date of the observation or publication' });
        }
      }
    }
  },
};
