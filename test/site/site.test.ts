// The site in a real browser: search, filters, URL state, sorting, the device page, no-JS rendering, axe, mobile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_URL } from '../../scripts/lib/project.js';
import { devicePage } from '../../site/pages.js';
import { writeSiteFixture } from './fixtures.js';
import { axe, buildAndServe, type BuiltSite, launchChromium, recordForeignRequests, screenshot, tempDir } from './harness.js';

let browser: Browser;
let built: BuiltSite;
let base: string;

beforeAll(async () => {
  const devices = tempDir('netneeds-site-devices-');
  writeSiteFixture(devices);
  [built, browser] = await Promise.all([buildAndServe(devices), launchChromium()]);
  base = built.site.url;
});
afterAll(async () => {
  await browser?.close();
  await built?.close();
});

async function withPage<T>(options: Parameters<Browser['newContext']>[0], run: (page: Page, ctx: BrowserContext) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext(options);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const foreign = recordForeignRequests(page, base);
  try {
    const result = await run(page, ctx);
    expect(errors, 'console errors').toEqual([]);
    expect(foreign, 'requests to other hosts').toEqual([]);
    return result;
  } finally {
    await ctx.close();
  }
}

/** Badges as a reader sees them: the symbol the stylesheet draws before the word, then the word. */
const badges = (scope: Locator) => scope.locator(':is([class^="v-"], [class^="t-"])').evaluateAll((els) =>
  els.map((el) => `${/^"([^"]*)"/.exec(getComputedStyle(el, '::before').content)?.[1] ?? ''}${el.textContent}`));

const visibleNames = (page: Page) => page.$$eval('#devices tbody tr th a', (as) => as.map((a) => a.textContent));
const searchReady = (page: Page) => page.waitForSelector('html[data-search="ready"]');

describe('index page', () => {
  it('lists every device in plain HTML without JavaScript, a page at a time, with the search form hidden', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(base);
      expect(await page.locator('#devices tbody tr').count()).toBe(100);
      expect(await page.locator('#filters').isVisible()).toBe(false);
      const row = page.locator('#devices tbody tr', { hasText: 'Acme Cam 2' });
      await expect(badges(row.locator('td').nth(2))).resolves.toEqual(['✓Yes']);
      await screenshot(page, 'index-no-js');
      // The static list pages hold the rest: every device is one link away from the index, in id order.
      const names = await page.$$eval('#devices tbody tr th a', (as) => as.map((a) => a.textContent));
      await page.locator('#pager').getByRole('link', { name: 'Next page' }).click();
      expect(new URL(page.url()).pathname).toBe('/list/2/');
      names.push(...await page.$$eval('#devices tbody tr th a', (as) => as.map((a) => a.textContent)));
      expect(names).toEqual(built.dataset.devices.map((d) => d.name));
      await expect(page.locator('#pager a[aria-current="page"]').textContent()).resolves.toBe('2');
      const first = await page.locator('#devices tbody tr th a').first().getAttribute('href');
      expect((await page.request.get(new URL(first!, page.url()).href)).status()).toBe(200);
    });
  });

  it('searches names, model numbers and destination hostnames on each keystroke, and keeps the query in the URL', async () => {
    const target = built.dataset.devices.find((d) => d.id === 'vendor2/model-6')!;
    const host = target.endpoints[0]!.destination;
    const expected = built.dataset.devices.filter((d) => d.endpoints.some((e) => e.destination.includes(host))).map((d) => d.name).sort();
    await withPage({}, async (page) => {
      await page.goto(base);
      await searchReady(page);
      await page.locator('#filter-q').pressSequentially(host);
      expect((await visibleNames(page)).sort()).toEqual(expected);
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(host);
      await expect(page.locator('#result-count').textContent()).resolves.toMatch(new RegExp(`^${expected.length} of ${built.dataset.devices.length} devices match`));

      await page.locator('#filter-q').fill('AC-2000');
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);
      await page.locator('#filter-q').fill('no such device anywhere');
      expect(await visibleNames(page)).toEqual([]);
      await screenshot(page, 'index-search-empty');
    });
  });

  it('filters by category, vendor, integration and offline capability; a shared URL restores the view', async () => {
    await withPage({}, async (page) => {
      await page.goto(base);
      await searchReady(page);
      await page.locator('#filter-category').selectOption('camera');
      const cameras = built.dataset.devices.filter((d) => d.category === 'camera').map((d) => d.name).sort();
      expect(cameras.length).toBeGreaterThan(1);
      expect((await visibleNames(page)).sort()).toEqual(cameras);

      await page.locator('#filter-verdict').selectOption('ha-offline');
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);
      await expect.poll(() => new URL(page.url()).search).toBe('?category=camera&verdict=ha-offline');
      const shared = page.url();

      await page.locator('#filters button[type="reset"]').click();
      await expect.poll(() => page.locator('#result-count').textContent()).toBe(`${built.dataset.devices.length} devices`);
      await expect.poll(() => new URL(page.url()).search).toBe('');

      await page.goto(shared);
      await searchReady(page);
      expect(await page.locator('#filter-category').inputValue()).toBe('camera');
      expect(await page.locator('#filter-verdict').inputValue()).toBe('ha-offline');
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);

      await page.goto(`${base}?vendor=roborock&integration=xiaomi_miio&iot=local_polling`);
      await searchReady(page);
      expect(await visibleNames(page)).toEqual(['Roborock S50 (Xiaomi 2nd-generation robot vacuum)']);
      await page.goto(`${base}?integration=onvif`);
      await searchReady(page);
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);
    });
  });

  it('finds devices by port, service, integration and category, best matches first', async () => {
    const names = (pred: (d: typeof built.dataset.devices[number]) => boolean) => built.dataset.devices.filter(pred).map((d) => d.name).sort();
    await withPage({}, async (page) => {
      await page.goto(base);
      await searchReady(page);
      const all = async (q: string) => {
        await page.goto(`${base}?q=${encodeURIComponent(q)}`);
        await searchReady(page);
        const total = Number((await page.locator('#result-count').textContent())!.match(/^[\d,]+/)![0].replace(/,/g, ''));
        return { total, first: await visibleNames(page) };
      };
      const port = await all('3702');
      expect(port.total).toBe(names((d) => d.local.some((f) => f.ports.some((p) => p.from === 3702))).length);
      expect(port.first).toContain('Acme Cam 2');
      const service = await all('rtsp');
      expect(service.first).toEqual(['Acme Cam 2']);
      const integration = await all('miio');
      expect(integration.total).toBe(names((d) => d.homeAssistant.integrations.some((i) => i.domain.includes('miio'))).length);
      const cameras = await all('camera');
      expect(cameras.total).toBe(names((d) => d.category === 'camera' || d.name.toLowerCase().includes('camera')).length);
      // A word in the name ranks above the same word elsewhere: the device named after it comes first.
      const ranked = await all('roborock');
      expect(ranked.first[0]).toBe('Roborock S50 (Xiaomi 2nd-generation robot vacuum)');
      const tested = await all('');
      expect(tested.total).toBe(built.dataset.devices.length);
      await page.goto(`${base}?verdict=ha-cloud`);
      await searchReady(page);
      await expect(page.locator('#result-count').textContent()).resolves.toMatch(new RegExp(`^${names((d) => d.derived.worksWithHaOffline === 'no').length} of`));
    });
  });

  it('keeps only the rows in view in the page; scrolling to the end shows the last device', async () => {
    const total = built.dataset.devices.length;
    expect(total).toBeGreaterThan(100);
    await withPage({}, async (page) => {
      // The search data is fetched and parsed by a worker, off the page's main thread.
      const workers: string[] = [];
      page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
      await page.goto(base);
      await searchReady(page);
      await expect(page.locator('#result-count').textContent()).resolves.toBe(`${total} devices`);
      expect(await page.locator('#pager').isVisible()).toBe(false);
      const rendered = await page.locator('#devices tbody tr:not(.spacer)').count();
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(60);
      await expect(page.locator('#devices').getAttribute('aria-rowcount')).resolves.toBe(String(total + 1));
      // Halfway down, the rows in the page are the devices at those places in name order, one after another.
      const sorted = [...built.dataset.devices].sort((a, b) => new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
      await expect.poll(async () => {
        const rows = await page.$$eval('#devices tbody tr', (trs) => trs.map((tr) => [Number(tr.getAttribute('aria-rowindex')), tr.querySelector('th a')!.textContent!] as const));
        return rows.length > 5 && rows[0]![0] > 10 && rows.every(([index, name], k) => index === rows[0]![0] + k && name === sorted[index - 2]!.name);
      }).toBe(true);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const last = sorted[sorted.length - 1]!;
      await expect.poll(() => visibleNames(page)).toContain(last.name);
      await expect(page.locator('#devices tbody tr:not(.spacer)').last().getAttribute('aria-rowindex')).resolves.toBe(String(total + 1));
      expect(workers).toEqual(['/assets/search-worker.js']);
    });
  });

  it('sorts by a column on click, announces the order, and keeps it in the URL', async () => {
    await withPage({}, async (page) => {
      await page.goto(base);
      await searchReady(page);
      const header = page.locator('#devices thead th[data-sort="endpoints"]');
      await header.locator('button').click();
      await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
      const counts = async () => (await page.$$eval('#devices tbody tr td.num', (tds) => tds.map((td) => Number(td.textContent))));
      const asc = await counts();
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      await header.locator('button').click();
      await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
      const desc = await counts();
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('-endpoints');
      await screenshot(page, 'index-sorted');
    });
  });
});

describe('device page', () => {
  it('shows needs versus wants with distinct verdict words, local traffic, blocking reports, evidence and links', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Acme Cam 2');
      const row = page.locator('table.endpoints tbody tr').first();
      await expect(row.locator('th code').textContent()).resolves.toBe('telemetry.acme-cams.example.net');
      await expect(row.locator('td').nth(0).textContent()).resolves.toBe('TCP 443');
      await expect(badges(row)).resolves.toEqual(['○Not required', '○Not required']);
      const local = (service: string) => page.locator('table.local tbody tr', { hasText: service });
      await expect(badges(local('rtsp'))).resolves.toEqual(['?Unknown', '●Required']);
      await expect(badges(local('ws-discovery'))).resolves.toEqual(['?Unknown', '◐Setup only']);
      await expect(page.locator('ul.reflect').textContent()).resolves.toContain('ws-discovery (UDP 3702 to 239.255.255.250)');
      await expect(badges(page.locator('table.blocked tbody tr > *').nth(1))).resolves.toEqual(['✓Keeps working']);
      await expect(page.locator('ol.evidence li a').first().getAttribute('href')).resolves.toBe('https://example.org/test/1');
      await expect(page.locator('ol.evidence li .ev-meta').first().textContent()).resolves.toBe('Blocking test · 2025-03-01');

      await expect(page.getByRole('link', { name: 'Edit this file' }).first().getAttribute('href')).resolves.toBe(`${REPO_URL}/edit/main/devices/acme/cam-2.yaml`);
      const report = new URL((await page.getByRole('link', { name: 'Report a problem' }).first().getAttribute('href'))!);
      expect(`${report.origin}${report.pathname}`).toBe(`${REPO_URL}/issues/new`);
      expect(report.searchParams.get('template')).toBe('problem.yml');
      expect(report.searchParams.get('device')).toBe('acme/cam-2');

      const json = await page.getByRole('link', { name: 'JSON', exact: true }).getAttribute('href');
      const api = await page.request.get(new URL(json!, page.url()).href);
      expect(api.status()).toBe(200);
      expect((await api.json()).device.id).toBe('acme/cam-2');
      // Rules come from the policy builder, opened with this device; the one published policy, its MUD file, resolves.
      const protect = await page.getByRole('link', { name: 'Protect this device' }).getAttribute('href');
      expect(new URL(protect!, page.url()).href).toBe(`${base}policy/?device=acme%2Fcam-2`);
      const mud = await page.getByRole('link', { name: 'MUD profile (RFC 8520)' }).getAttribute('href');
      const mudFile = await page.request.get(new URL(mud!, page.url()).href);
      expect(mudFile.status()).toBe(200);
      expect((await mudFile.json())['ietf-mud:mud']['mud-url']).toMatch(/\/mud\/acme\/cam-2\.json$/);
      // Every destination row has a permalink.
      const anchor = await row.getAttribute('id');
      expect(anchor).toBe('dest-telemetry.acme-cams.example.net-tcp-443');
      const permalink = row.getByRole('link', { name: 'telemetry.acme-cams.example.net' });
      await expect(permalink.getAttribute('href')).resolves.toBe(`#${anchor}`);
      await permalink.click();
      expect(new URL(page.url()).hash).toBe(`#${anchor}`);
      await expect(page.locator('tr:target').getAttribute('id')).resolves.toBe(anchor);
      await screenshot(page, 'device-acme-cam-2');
    });
  });

  it('tells verdicts apart without colour: each one has its own word, symbol and border style', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      // The legend is one page that every device page links to.
      await page.getByRole('link', { name: 'What the verdicts mean' }).click();
      // The click returns before the next page has its stylesheet: wait for it, or the badges have no style yet.
      await page.waitForURL('**/verdicts/', { waitUntil: 'load' });
      const legend = page.locator('dl.legend').first();
      const words = await badges(legend.locator('dt'));
      const borders = await legend.locator('dt > span').evaluateAll((els) => els.map((el) => getComputedStyle(el).borderStyle));
      const styles = words.map((word, i) => `${word}|${borders[i]}`);
      expect(styles).toEqual(['●Required|solid', '◐Setup only|dashed', '○Not required|solid', '?Unknown|dotted']);
      expect(new Set(styles.map((s) => s.split('|')[0])).size).toBe(4);
    });
  });

  it('renders the seed device without JavaScript, and the page carries a strict CSP with no inline script', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}devices/roborock/s50/`);
      expect(await page.locator('table.endpoints tbody tr').count()).toBe(7);
      // Every destination of this device cites the same source: one sentence says so instead of a column of [1].
      await expect(page.locator('table.endpoints thead th').allTextContents()).resolves.not.toContain('Evidence');
      await expect(page.locator('p.sources').textContent()).resolves.toBe('Every destination above cites [1].');
      await expect(page.locator('p.sources a').getAttribute('href')).resolves.toBe('#evidence-ha-community-49579');
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      // The device page runs no script, so it allows none; the index runs its own search and nothing else.
      expect(csp).toBe("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'");
    });
    const html = readFileSync(join(built.dist, 'site/index.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; script-src 'self'; style-src 'self';`);
    expect(html).not.toContain('unsafe-inline');
    expect(html.match(/<script\b[^>]*>[^<]*<\/script>/g)).toEqual(['<script src=./assets/search.js defer></script>']);
    // Rows that cite different sources keep the Evidence column, each row with its own.
    const s50 = built.dataset.devices.find((d) => d.id === 'roborock/s50')!;
    const mixed = { ...s50, endpoints: s50.endpoints.map((e, i) => (i === 1 ? { ...e, evidence: [...e.evidence, 'python-miio-port'] } : e)) };
    const page = devicePage({ meta: built.dataset.meta, vendors: built.dataset.vendors }, mixed);
    expect(page).toMatch(/<table class="stack endpoints"><caption[^]*?<th scope=col>Home Assistant<th scope=col>Evidence<tbody>/);
    expect(page).not.toContain('<p class=sources>');
  });
});

describe('accessibility and layout', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds no violations on the index, a device page and a vendor page (${scheme})`, async () => {
      await withPage({ colorScheme: scheme }, async (page) => {
        const results: Record<string, unknown[]> = {};
        const paths = ['', 'list/2/', 'devices/roborock/s50/', 'devices/acme/cam-2/', 'vendors/roborock/', 'vendors/vendor1/', 'downloads/', 'policy/?device=acme%2Fcam-2', '404.html'];
        for (const path of paths) {
          await page.goto(base + path);
          if (path === '') await searchReady(page);
          if (path.startsWith('policy/')) await page.waitForSelector('html[data-policy="ready"]');
          results[path || 'index'] = await axe(page);
        }
        expect(results).toEqual(Object.fromEntries(paths.map((p) => [p || 'index', []])));
        await screenshot(page, `downloads-${scheme}`);
      });
    });
  }

  it('fits a phone screen: the page never scrolls sideways, wide tables scroll inside their own region', async () => {
    await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
      for (const [path, name] of [['', 'mobile-index'], ['devices/roborock/s50/', 'mobile-device'], ['vendors/vendor1/', 'mobile-vendor'], ['policy/?device=roborock%2Fs50&format=all', 'mobile-policy']] as const) {
        await page.goto(base + path);
        if (path === '') await searchReady(page);
        if (path.startsWith('policy/')) await page.waitForSelector('html[data-policy="ready"]');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
        await screenshot(page, name);
      }
    });
  });

  it('follows the system dark mode', async () => {
    await withPage({ colorScheme: 'dark' }, async (page) => {
      await page.goto(`${base}devices/roborock/s50/`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(15, 18, 22)');
      await screenshot(page, 'device-dark');
    });
  });
});

describe('found and linkable', () => {
  it('has canonical URLs and OpenGraph cards, a sitemap of every page, robots.txt, an Atom feed and Dataset markup', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      await expect(page.locator('link[rel="canonical"]').getAttribute('href')).resolves.toBe('https://netneeds.github.io/devices/acme/cam-2/');
      await expect(page.locator('meta[property="og:title"]').getAttribute('content')).resolves.toBe('Acme Cam 2');
      await expect(page.locator('meta[property="og:url"]').getAttribute('content')).resolves.toBe('https://netneeds.github.io/devices/acme/cam-2/');

      const parse = (xml: string) => page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        if (doc.querySelector('parsererror')) throw new Error('not well-formed XML');
        return { root: doc.documentElement.localName, locs: Array.from(doc.getElementsByTagName('loc')).map((l) => l.textContent), entries: Array.from(doc.getElementsByTagName('entry')).map((e) => [e.getElementsByTagName('updated')[0]?.textContent, e.getElementsByTagName('link')[0]?.getAttribute('href')]) };
      }, xml);
      const sitemap = await parse(await (await page.request.get(`${base}sitemap.xml`)).text());
      expect(sitemap.root).toBe('urlset');
      for (const d of built.dataset.devices) expect(sitemap.locs).toContain(`https://netneeds.github.io/devices/${d.id}/`);
      expect(sitemap.locs).toContain('https://netneeds.github.io/list/2/');
      const robots = await (await page.request.get(`${base}robots.txt`)).text();
      expect(robots).toContain('Sitemap: https://netneeds.github.io/sitemap.xml');
      const feed = await parse(await (await page.request.get(`${base}feed.xml`)).text());
      expect(feed.root).toBe('feed');
      const dates = feed.entries.map(([updated]) => updated!);
      expect(dates).toEqual([...dates].sort().reverse());
      const newest = built.dataset.devices.map((d) => d.derived.evidence.newest ?? '').sort().pop()!;
      expect(dates[0]!.startsWith(newest)).toBe(true);

      await page.goto(`${base}downloads/`);
      const dataset = await page.evaluate(() => {
        const root = document.querySelector('[itemtype="https://schema.org/Dataset"]')!;
        const prop = (name: string) => root.querySelector(`[itemprop="${name}"]`)?.getAttribute('content');
        return { name: prop('name'), license: prop('license'), downloads: Array.from(root.querySelectorAll('[itemprop="distribution"] [itemprop="contentUrl"]')).map((a) => (a as HTMLAnchorElement).href) };
      });
      expect(dataset.name).toBe('NetNeeds');
      expect(dataset.license).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
      expect(dataset.downloads.map((u) => new URL(u).pathname)).toEqual(['/netneeds.json', '/netneeds.csv']);
      for (const u of dataset.downloads) expect((await page.request.head(u)).status()).toBe(200);
    });
  });

  it('answers a missing page with the 404 page, whose links work from any depth', async () => {
    // Not through withPage: Chromium logs the 404 status itself as a console error.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const res = await page.goto(`${base}devices/no/such-device/`);
    expect(res!.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
    expect(await page.evaluate(() => Array.from(document.styleSheets).some((s) => s.href?.endsWith('/assets/style.css') && s.cssRules.length > 0))).toBe(true);
    await page.getByRole('link', { name: 'Search the devices' }).click();
    await searchReady(page);
    expect(new URL(page.url()).pathname).toBe('/');
    await ctx.close();
  });
});

describe('preview server', () => {
  it('serves directories with a trailing-slash redirect and refuses paths that leave the site', async () => {
    const redirect = await fetch(`${base}devices/roborock/s50`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/devices/roborock/s50/');
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const res = await rawGet(new URL(base).port, path);
      expect(res, path).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
  });
});

/** A request whose path is sent exactly as written (fetch would normalise the dots away). */
async function rawGet(port: string, path: string): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((ok, fail) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (c) => { data += c; });
    socket.on('end', () => ok(data));
    socket.on('error', fail);
  });
}
