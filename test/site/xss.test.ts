// Every string in a device file is hostile. The site must render it as inert text: no script runs, no dialog opens,
// no javascript: link appears. CSP is bypassed here so that escaping alone has to hold.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePage, vendorPage } from '../../site/pages.js';
import { writeYaml } from './fixtures.js';
import { buildAndServe, type BuiltSite, launchChromium, screenshot, tempDir } from './harness.js';

const SCRIPT = '<script>window.__xss=(window.__xss||0)+1;alert("script")</script>';
const ATTR = '"><img src=x onerror="window.__xss=(window.__xss||0)+1;alert(\'img\')">';
const SINGLE = "' onmouseover='window.__xss=1' autofocus onfocus='window.__xss=1' x='";
const MARKDOWN = '[click me](javascript:alert("md")) <a href="javascript:alert(1)">raw</a> <iframe src="javascript:alert(2)"></iframe> **bold**';
const TEXT = `${SCRIPT}\n${ATTR}\n${SINGLE}\njavascript:alert("text")\n${MARKDOWN}`;
const LINE = `${SCRIPT} ${ATTR}`;

let browser: Browser;
let built: BuiltSite;
let base: string;

function writeHostileTree(dir: string): void {
  writeYaml(dir, 'evil/_vendor.yaml', 'vendor', {
    id: 'evil', name: LINE, website: 'https://evil.example.org/', notes: TEXT,
    groups: [{ id: 'cloud', name: LINE, description: TEXT, endpoints: [{
      host: 'cloud.evil.example.org', protocol: 'tcp', ports: [443], service: 'https', purpose: 'cloud-control', party: 'first',
      needs: { 'vendor-app': 'required', 'home-assistant': 'unknown' }, evidence: ['vendor-doc'], note: TEXT,
    }] }],
    evidence: [{ id: 'vendor-doc', type: 'vendor-documentation', date: '2024', source: 'https://evil.example.org/docs?x=javascript:alert(1)', title: LINE, quote: LINE, note: TEXT }],
  });
  writeYaml(dir, 'evil/gadget.yaml', 'device', {
    id: 'evil/gadget', name: LINE, models: [SCRIPT, ATTR, SINGLE, 'javascript:alert(1)'], category: 'camera',
    apps: [SCRIPT, MARKDOWN], 'home-assistant': { integrations: ['onvif'], note: TEXT },
    endpoints: [
      { group: 'evil/cloud', evidence: ['capture'] },
      {
        host: 'api.evil.example.org', 'reported-name': LINE, protocol: 'tcp', ports: [443], service: 'https', purpose: 'telemetry', party: 'third',
        needs: { 'vendor-app': [{ verdict: 'required', evidence: ['capture'], note: TEXT }, { verdict: 'not-required', evidence: ['capture'] }], 'home-assistant': 'not-required' },
        evidence: ['capture'], note: TEXT,
      },
    ],
    local: [{ from: 'home-assistant', to: 'device', protocol: 'tcp', ports: [80], service: 'http', purpose: 'local-control', needs: { 'vendor-app': 'unknown', 'home-assistant': 'required' }, evidence: ['capture'], note: TEXT }],
    'when-blocked': {
      internet: [{ 'vendor-app': 'stops-working', 'home-assistant': 'keeps-working', evidence: ['capture'], note: TEXT }],
      'reject-or-drop': { advice: 'reject', evidence: ['capture'], note: TEXT },
    },
    evidence: [{ id: 'capture', type: 'blocking-test', date: '2025-01-02', source: 'https://example.org/capture?q=%22%3E%3Cscript%3E', title: LINE, quote: LINE, note: TEXT, firmware: SCRIPT, region: ATTR }],
    notes: TEXT,
  });
}

beforeAll(async () => {
  const devices = tempDir('netneeds-site-hostile-');
  writeHostileTree(devices);
  [built, browser] = await Promise.all([buildAndServe(devices), launchChromium()]);
  base = built.site.url;
  // URLs the schema would refuse, rendered straight from the model: the page code must guard hrefs on its own.
  const gadget = built.dataset.devices.find((d) => d.id === 'evil/gadget')!;
  const raw = {
    ...gadget, id: 'evil/raw-urls',
    evidence: gadget.evidence.map((e, i) => ({ ...e, source: ['javascript:alert("href")', 'https://example.org/"><script>alert(1)</script>', 'data:text/html,<script>alert(1)</script>'][i % 3]! })),
  };
  const site = join(built.dist, 'site');
  mkdirSync(join(site, 'devices/evil/raw-urls'), { recursive: true });
  writeFileSync(join(site, 'devices/evil/raw-urls/index.html'), devicePage(built.dataset, raw));
  const hostileVendor = { ...built.dataset.vendors[0]!, id: 'evil2', website: 'javascript:alert("website")' };
  mkdirSync(join(site, 'vendors/evil2'), { recursive: true });
  writeFileSync(join(site, 'vendors/evil2/index.html'), vendorPage({ ...built.dataset, vendors: [...built.dataset.vendors, hostileVendor] }, 'evil2'));
});
afterAll(async () => {
  await browser?.close();
  await built?.close();
});

interface Inspection { xss: unknown; scripts: string[]; handlers: string[]; badHrefs: string[]; embeds: number }

async function inspect(page: Page): Promise<Inspection> {
  return page.evaluate(() => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      xss: (window as unknown as { __xss?: number }).__xss,
      scripts: Array.from(document.scripts).map((s) => s.getAttribute('src') ?? `inline: ${s.textContent}`),
      handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
      // The policy builder's downloads are blobs the page made itself: plain text, same origin, with a download name.
      badHrefs: Array.from(document.querySelectorAll('a[href], link[href]'))
        .filter((a) => !(a.hasAttribute('download') && (a as HTMLAnchorElement).href.startsWith(`blob:${location.origin}/`)))
        .map((a) => (a as HTMLAnchorElement).href).filter((h) => !/^https?:/.test(h)),
      embeds: document.querySelectorAll('img, iframe, object, embed, form[action], base').length,
    };
  });
}

describe('hostile device strings', () => {
  it('the detector works: an unescaped payload does run in this browser setup', async () => {
    const ctx = await browser.newContext({ bypassCSP: true });
    const page = await ctx.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`${base}devices/evil/gadget/`);
    await page.evaluate((html) => { document.body.insertAdjacentHTML('beforeend', html); }, ATTR);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(1);
    expect(dialogs).toEqual(['img']);
    await ctx.close();
  });

  const BUILDER = `policy/?device=evil%2Fgadget%3D${encodeURIComponent('"><img src=x onerror=alert(1)>')}&device=${encodeURIComponent('<script>alert(2)</script>')}&ha=${encodeURIComponent('<svg onload=alert(3)>')}&format=all`;
  for (const path of ['', '?q=%3Cscript%3E', 'devices/evil/gadget/', 'devices/evil/raw-urls/', 'vendors/evil/', 'vendors/evil2/', 'vendors/', 'policy/?device=evil%2Fgadget&format=all', BUILDER, 'list/2/', '404.html']) {
    it(`renders inertly: /${path}`, async () => {
      const ctx = await browser.newContext({ bypassCSP: true });
      const page = await ctx.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      await page.goto(base + path);
      if (path === '' || path.startsWith('?')) await page.waitForSelector('html[data-search="ready"]');
      if (path.startsWith('policy/')) await page.waitForSelector('html[data-policy="ready"]');
      await page.mouse.move(200, 300);
      await page.keyboard.press('Tab');
      await page.waitForTimeout(200);
      const seen = await inspect(page);
      expect(dialogs).toEqual([]);
      expect(seen.xss).toBeUndefined();
      expect(seen.scripts.every((s) => s.endsWith('assets/search.js') || s.endsWith('assets/builder.js'))).toBe(true);
      expect(seen.handlers).toEqual([]);
      expect(seen.badHrefs).toEqual([]);
      expect(seen.embeds).toBe(0);
      if (path.startsWith('devices/evil/gadget')) {
        // The strings are there, as text.
        await expect(page.locator('h1').textContent()).resolves.toBe(LINE);
        await expect(page.locator('.notes').textContent()).resolves.toContain('<iframe src="javascript:alert(2)"></iframe>');
        await screenshot(page, 'hostile-device');
      }
      if (path.startsWith('policy/')) {
        // The hostile name is text in the answer and the refused list; the hostile address is refused with a message.
        await expect(page.locator('#answer-list').textContent()).resolves.toContain(LINE);
        if (path === BUILDER) await expect(page.locator('#policy-error').textContent()).resolves.toContain('onerror=alert(1)>'); // the command's own message, as text
        else expect(await page.locator('#files pre').count()).toBeGreaterThan(5);
      }
      if (path === 'devices/evil/raw-urls/') {
        // javascript: and data: sources stay text; the https one is a link whose quote and brackets are percent-encoded.
        expect(await page.locator('ol.evidence a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
          .toEqual(['https://example.org/%22%3E%3Cscript%3Ealert(1)%3C/script%3E']);
        await expect(page.locator('ol.evidence .ev-title').first().textContent()).resolves.toBe(LINE);
      }
      await ctx.close();
    });
  }

  it('search finds the hostile device by its model string and shows it as text', async () => {
    const ctx = await browser.newContext({ bypassCSP: true });
    const page = await ctx.newPage();
    page.on('dialog', (d) => { throw new Error(`dialog opened: ${d.message()}`); });
    await page.goto(base);
    await page.waitForSelector('html[data-search="ready"]');
    await page.locator('#filter-q').fill('onerror');
    await expect(page.locator('#devices tbody tr th a').allTextContents()).resolves.toEqual([LINE]);
    expect((await inspect(page)).xss).toBeUndefined();
    await ctx.close();
  });
});
