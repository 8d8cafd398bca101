// The site in a real browser: search, filters, URL state, sorting, the device page, no-JS rendering, axe, mobile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_URL } from '../../scripts/lib/project.js';
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

const visibleNames = (page: Page) => page.$$eval('#devices tbody tr th a', (as) => as.map((a) => a.textContent));
const searchReady = (page: Page) => page.waitForSelector('html[data-search="ready"]');

describe('index page', () => {
  it('lists every device in plain HTML without JavaScript, with the search form hidden', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(base);
      expect(await page.locator('#devices tbody tr').count()).toBe(built.dataset.devices.length);
      expect(await page.locator('#filters').isVisible()).toBe(false);
      const row = page.locator('#devices tbody tr', { hasText: 'Acme Cam 2' });
      await expect(row.locator('td').nth(2).textContent()).resolves.toBe('✓Yes');
      await screenshot(page, 'index-no-js');
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
      expect(new URL(page.url()).searchParams.get('q')).toBe(host);
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

      await page.locator('#filter-offline').check();
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);
      const shared = page.url();
      expect(new URL(shared).search).toBe('?category=camera&offline=1');

      await page.locator('#filters button[type="reset"]').click();
      await expect.poll(() => page.locator('#result-count').textContent()).toBe(`${built.dataset.devices.length} devices, showing the first 100`);
      expect(new URL(page.url()).search).toBe('');

      await page.goto(shared);
      await searchReady(page);
      expect(await page.locator('#filter-category').inputValue()).toBe('camera');
      expect(await page.locator('#filter-offline').isChecked()).toBe(true);
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);

      await page.goto(`${base}?vendor=roborock&integration=xiaomi_miio&iot=local_polling`);
      await searchReady(page);
      expect(await visibleNames(page)).toEqual(['Roborock S50 (Xiaomi 2nd-generation robot vacuum)']);
      await page.goto(`${base}?integration=onvif`);
      await searchReady(page);
      expect(await visibleNames(page)).toEqual(['Acme Cam 2']);
    });
  });

  it('shows the first 100 matches and the rest on request', async () => {
    const total = built.dataset.devices.length;
    expect(total).toBeGreaterThan(100);
    await withPage({}, async (page) => {
      await page.goto(base);
      await searchReady(page);
      expect(await page.locator('#devices tbody tr').count()).toBe(100);
      await expect(page.locator('#result-count').textContent()).resolves.toBe(`${total} devices, showing the first 100`);
      await page.getByRole('button', { name: `Show all ${total}` }).click();
      expect(await page.locator('#devices tbody tr').count()).toBe(total);
      expect(await page.locator('#more').isVisible()).toBe(false);
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
      expect(new URL(page.url()).searchParams.get('sort')).toBe('-endpoints');
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
      await expect(row.locator('.badge').allTextContents()).resolves.toEqual(['○Not required', '○Not required']);
      const local = (service: string) => page.locator('table.local tbody tr', { hasText: service });
      await expect(local('rtsp').locator('.badge').allTextContents()).resolves.toEqual(['?Unknown', '●Required']);
      await expect(local('ws-discovery').locator('.badge').allTextContents()).resolves.toEqual(['?Unknown', '◐Setup only']);
      await expect(page.locator('ul.reflect').textContent()).resolves.toContain('ws-discovery (UDP 3702 to 239.255.255.250)');
      await expect(page.locator('table.blocked tbody tr > *').nth(1).textContent()).resolves.toBe('✓Keeps working');
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
      // The rules the build wrote for this device are one click away, and the links resolve.
      const rules = await page.locator('table.rules a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(rules.some((href) => href.endsWith('/rules/acme/cam-2/home-assistant.nft'))).toBe(true);
      for (const href of rules) expect((await page.request.head(href)).status(), href).toBe(200);
      await screenshot(page, 'device-acme-cam-2');
    });
  });

  it('tells verdicts apart without colour: each one has its own word, symbol and border style', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      await page.locator('details.legend summary').click();
      const styles = await page.$$eval('details.legend dt .badge', (els) => els.map((el) => `${el.textContent}|${getComputedStyle(el).borderStyle}`));
      expect(styles).toEqual(['●Required|solid', '◐Setup only|dashed', '○Not required|solid', '?Unknown|dotted']);
      expect(new Set(styles.map((s) => s.split('|')[0])).size).toBe(4);
    });
  });

  it('renders the seed device without JavaScript, and the page carries a strict CSP with no inline script', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${base}devices/roborock/s50/`);
      expect(await page.locator('table.endpoints tbody tr').count()).toBe(7);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    });
    const html = readFileSync(join(built.dist, 'site/index.html'), 'utf8');
    expect(html.match(/<script\b[^>]*>[^<]*<\/script>/g)).toEqual(['<script src="./assets/search.js" defer></script>']);
  });
});

describe('accessibility and layout', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds no violations on the index, a device page and a vendor page (${scheme})`, async () => {
      await withPage({ colorScheme: scheme }, async (page) => {
        const results: Record<string, unknown[]> = {};
        for (const path of ['', 'devices/roborock/s50/', 'devices/acme/cam-2/', 'vendors/roborock/', 'vendors/vendor1/', 'downloads/']) {
          await page.goto(base + path);
          if (path === '') await searchReady(page);
          results[path || 'index'] = await axe(page);
        }
        expect(results).toEqual({ index: [], 'devices/roborock/s50/': [], 'devices/acme/cam-2/': [], 'vendors/roborock/': [], 'vendors/vendor1/': [], 'downloads/': [] });
        await screenshot(page, `downloads-${scheme}`);
      });
    });
  }

  it('fits a phone screen: the page never scrolls sideways, wide tables scroll inside their own region', async () => {
    await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, async (page) => {
      for (const [path, name] of [['', 'mobile-index'], ['devices/roborock/s50/', 'mobile-device'], ['vendors/vendor1/', 'mobile-vendor']] as const) {
        await page.goto(base + path);
        if (path === '') await searchReady(page);
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
