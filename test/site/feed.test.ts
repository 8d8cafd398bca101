// The feed and the sitemap come from the data alone: the same dataset gives the same bytes, and hostile names stay text.
import { describe, expect, it } from 'vitest';
import { atomFeed, SITEMAP_LIMIT, sitemaps } from '../../site/feed.js';
import type { Dataset, Device } from '../../scripts/build/types.js';

function device(id: string, name: string, newest?: string): Device {
  return {
    id, vendor: id.split('/')[0]!, name, aliases: [], models: [], category: 'camera', connectivity: [], apps: [],
    homeAssistant: { integrations: [], calls: [] }, endpoints: [], local: [], whenBlocked: { internet: [] }, evidence: [], source: `devices/${id}.yaml`,
    derived: {
      worksWithHaOffline: 'unknown', worksWithHaOfflineReason: 'not tested yet', vendorAppNeedsCloud: 'yes', vendorAppNeedsCloudReason: 'x',
      refuseWith: 'unknown', reflect: [],
      counts: { endpoints: 0, local: 0, 'vendor-app': { required: 0, 'not-required': 0, 'setup-only': 0, unknown: 0 }, 'home-assistant': { required: 0, 'not-required': 0, 'setup-only': 0, unknown: 0 } },
      evidence: { count: 1, byType: {}, undated: newest ? 0 : 1, confidence: 'low', ...(newest ? { newest, oldest: newest } : {}) },
    },
  } as unknown as Device;
}

const ds = (devices: Device[]) => ({ meta: {} as Dataset['meta'], vendors: [], devices }) as Dataset;

describe('atom feed', () => {
  it('lists devices newest evidence first, dated by that evidence, with hostile names escaped', () => {
    const feed = atomFeed(ds([
      device('a/one', 'One', '2024-03'), device('b/two', '<script>alert(1)</script> & "two"', '2025-01-02'), device('c/three', 'Three'), device('d/four', 'Four', '2023'),
    ]));
    expect(feed).toBe(atomFeed(ds([device('a/one', 'One', '2024-03'), device('b/two', '<script>alert(1)</script> & "two"', '2025-01-02'), device('c/three', 'Three'), device('d/four', 'Four', '2023')])));
    expect(feed.match(/<updated>[^<]*<\/updated>/g)).toEqual([
      '<updated>2025-01-02T00:00:00Z</updated>', '<updated>2025-01-02T00:00:00Z</updated>', '<updated>2024-03-01T00:00:00Z</updated>', '<updated>2023-01-01T00:00:00Z</updated>',
    ]);
    expect(feed).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;two&quot;: evidence of 2025-01-02</title>');
    expect(feed).not.toContain('<script>');
    expect(feed).not.toContain('c/three'); // undated: nothing to date an entry by
  });
});

describe('sitemap', () => {
  it('is one file up to the limit, and an index of numbered parts beyond it', () => {
    expect(sitemaps(['', 'devices/a/b/']).map((s) => s.path)).toEqual(['sitemap.xml']);
    const many = Array.from({ length: SITEMAP_LIMIT * 2 + 1 }, (_, i) => `devices/v/m-${i}/`);
    const files = sitemaps(many);
    expect(files.map((s) => s.path)).toEqual(['sitemap.xml', 'sitemap-1.xml', 'sitemap-2.xml', 'sitemap-3.xml']);
    expect(files[0]!.content).toContain('<sitemapindex');
    expect(files[0]!.content.match(/<loc>/g)).toHaveLength(3);
    expect(files.slice(1).reduce((n, f) => n + f.content.match(/<loc>/g)!.length, 0)).toBe(many.length);
  });
});
