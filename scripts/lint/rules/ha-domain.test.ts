import { describe, expect, it } from 'vitest';
import { baseDevice, brief, lineOf, lintDevice, warn } from '../../../test/lint/helpers.js';
import { haIntegrations } from './ha-domain.js';

const withIntegrations = (integrations: string[]) => ({ ...baseDevice(), 'home-assistant': { integrations } });

describe('ha-domain', () => {
  it('has a bundled list with attribution', () => {
    const list = haIntegrations();
    expect(list.attribution).toMatch(/home-assistant\/core/);
    expect(Object.keys(list.domains).length).toBeGreaterThan(1000);
  });

  it('stays silent on known domains', () => {
    expect(lintDevice(withIntegrations(['shelly', 'xiaomi_miio'])).problems).toEqual([]);
  });

  it('warns (never errors) on an unknown domain, suggesting near ones', () => {
    const { text, problems } = lintDevice(withIntegrations(['shelly', 'xiaomi_mioo']));
    expect(brief(problems)).toEqual([warn('ha-domain', lineOf(text, 'integrations:'))]);
    expect(problems[0]!.message).toBe('"xiaomi_mioo" is not a Home Assistant integration domain in the bundled list');
    expect(problems[0]!.hint).toMatch(/did you mean .*xiaomi_miio/);
  });

  it('does not treat Object.prototype names as domains', () => {
    const { problems } = lintDevice(withIntegrations(['constructor']));
    expect(brief(problems).map((p) => p.rule)).toEqual(['ha-domain']);
  });
});
