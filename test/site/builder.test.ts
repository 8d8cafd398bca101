// The policy builder in Chromium: its rules are byte-identical to `netneeds policy` for the same choices, in every
// format; its state is a shareable URL; it passes axe, fits a phone and follows dark mode.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/project.js';
import policyCommand from '../../scripts/cli/policy.js';
import { writeSiteFixture } from './fixtures.js';
import { axe, buildAndServe, type BuiltSite, launchChromium, recordForeignRequests, screenshot, tempDir } from './harness.js';

let browser: Browser;
let built: BuiltSite;
let base: string;
let devices: string;

beforeAll(async () => {
  devices = tempDir('netneeds-builder-devices-');
  writeSiteFixture(devices);
  [built, browser] = await Promise.all([buildAndServe(devices), launchChromium()]);
  base = built.site.url;
});
afterAll(async () => {
  await browser?.close();
  await built?.close();
});

/** Every file `netneeds policy` makes, by the name it writes it under (from its --json report). */
function cli(args: string[]): Map<string, string> {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts/bin/netneeds.js'), 'policy', ...args, '--json'], {
    env: { ...process.env, NETNEEDS_DEVICES: devices }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const report = JSON.parse(out) as { files: { name: string; content: string }[] };
  return new Map(report.files.map((f) => [f.name, f.content]));
}

/** The files the builder shows, by name, and the command line it says makes them. */
async function shown(page: Page): Promise<{ files: Map<string, string>; command: string }> {
  await page.waitForSelector('html[data-policy="ready"]');
  const files = await page.$$eval('#files pre', (pres) => pres.map((p) => [p.getAttribute('data-file')!, p.textContent!] as [string, string]));
  return { files: new Map(files), command: (await page.locator('#cli').textContent())! };
}

const argsOf = (command: string) => command.replace(/^npx netneeds policy /, '').split(' ');

async function withPage<T>(options: Parameters<Browser['newContext']>[0], run: (page: Page) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext(options);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const foreign = recordForeignRequests(page, base);
  try {
    const result = await run(page);
    expect(errors, 'console errors').toEqual([]);
    expect(foreign, 'requests to other hosts').toEqual([]);
    return result;
  } finally {
    await ctx.close();
  }
}

describe('policy builder', () => {
  const cases: [label: string, query: string, args: string[]][] = [
    ['three devices, addresses and MACs, strict, every format',
      'device=roborock%2Fs50%3D192.168.20.31%2C02%3A00%3A00%3A00%3A00%3A31&device=acme%2Fcam-2%3D192.168.20.32%2Cfd00%3A%3A32&device=vendor1%2Fmodel-1&ha=192.168.1.10%2Cfd00%3A%3A10&unknown=deny&refuse=reject&format=all',
      ['roborock/s50=192.168.20.31,02:00:00:00:00:31', 'acme/cam-2=192.168.20.32,fd00::32', 'vendor1/model-1', '--for', 'both', '--home-assistant', '192.168.1.10,fd00::10', '--unknown', 'deny', '--refuse', 'reject', '--format', 'all']],
    ['one device for Home Assistant only, every format',
      'device=roborock%2Fs50%3D192.168.20.31&ha=192.168.1.10&for=home-assistant&format=all',
      ['roborock/s50=192.168.20.31', '--for', 'home-assistant', '--home-assistant', '192.168.1.10', '--unknown', 'allow', '--format', 'all']],
    ['two devices for the vendor app, without addresses, every format',
      'device=acme%2Fcam-2&device=vendor2%2Fmodel-6&for=vendor-app&format=all',
      ['acme/cam-2', 'vendor2/model-6', '--for', 'vendor-app', '--unknown', 'allow', '--format', 'all']],
  ];
  // Choices the page offers once the command line has them.
  if ('trust' in policyCommand.options && 'mode' in policyCommand.options) {
    cases.push(['trust tested only, log mode, every format', 'device=roborock%2Fs50%3D192.168.20.31&device=acme%2Fcam-2&trust=tested&mode=log&format=all',
      ['roborock/s50=192.168.20.31', 'acme/cam-2', '--for', 'both', '--unknown', 'allow', '--trust', 'tested', '--mode', 'log', '--format', 'all']]);
  }

  for (const [label, query, args] of cases) {
    it(`gives byte for byte the files of netneeds policy: ${label}`, async () => {
      const expected = cli(args);
      expect(expected.size).toBeGreaterThan(10);
      await withPage({}, async (page) => {
        await page.goto(`${base}policy/?${query}`);
        const { files, command } = await shown(page);
        expect(argsOf(command)).toEqual(args);
        expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [name, content] of expected) expect(files.get(name), name).toBe(content);
      });
    });
  }

  it('builds the policy from what the reader types and clicks, keeps it in a shareable link, and downloads the same bytes', async () => {
    await withPage({ acceptDownloads: true }, async (page) => {
      await page.goto(`${base}policy/`);
      await page.waitForSelector('html[data-builder="ready"]');
      await page.locator('#device-search').fill('Roborock');
      await page.getByRole('button', { name: /^Add Roborock S50/ }).click();
      await page.locator('#device-paste').fill('onvif\nno-such-thing');
      await page.getByRole('button', { name: 'Add these' }).click();
      await expect(page.locator('#paste-status').textContent()).resolves.toBe('Added 1 device. Not found: no-such-thing.');
      await page.locator('#where-0').fill('192.168.20.31');
      await page.locator('#where-1').fill('192.168.20.32, 02:00:00:00:00:32');
      await page.locator('#ha-address').fill('192.168.1.10');
      await page.getByLabel('Refuse them (stricter; may break something)').check();
      await page.locator('#format').selectOption('iptables');
      const { files, command } = await shown(page);
      const expected = cli(argsOf(command));
      expect(argsOf(command)).toEqual(['roborock/s50=192.168.20.31', 'acme/cam-2=192.168.20.32,02:00:00:00:00:32', '--for', 'both', '--home-assistant', '192.168.1.10', '--unknown', 'deny', '--format', 'iptables']);
      expect(new Map(files)).toEqual(expected);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download netneeds.iptables' }).click()]);
      expect(readFileSync((await download.path())!, 'utf8')).toBe(expected.get('netneeds.iptables'));

      // What is refused, and why, in words.
      await expect(page.locator('#refused').textContent()).resolves.toContain('nobody has tested whether Home Assistant and the vendor app need it');
      // The link restores the same policy in a fresh page.
      const shared = page.url();
      const again = await page.context().newPage();
      await again.goto(shared);
      expect((await shown(again)).files).toEqual(files);
      await screenshot(page, 'policy-builder');
    });
  });

  it('opens from a device page with the one-line answer first', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      await page.getByRole('link', { name: 'Protect this device' }).click();
      await page.waitForSelector('html[data-policy="ready"]');
      const answer = (await page.locator('#answer-list li').textContent())!;
      const cam = built.dataset.devices.find((d) => d.id === 'acme/cam-2')!.derived;
      expect([cam.worksWithHaOffline, cam.vendorAppNeedsCloud]).toEqual(['yes', 'yes']);
      expect(answer).toBe(`Acme Cam 2: with the internet blocked, Home Assistant keeps it; the vendor app loses it. Why: Home Assistant: ${cam.worksWithHaOfflineReason}; vendor app: ${cam.vendorAppNeedsCloudReason}.`);
      // The answer comes before the controls.
      const order = await page.evaluate(() => document.getElementById('answer')!.compareDocumentPosition(document.getElementById('builder')!) & Node.DOCUMENT_POSITION_FOLLOWING);
      expect(order).toBeTruthy();
      await page.goto(`${base}policy/?device=vendor1%2Fmodel-1`);
      await page.waitForSelector('html[data-policy="ready"]');
      await expect(page.locator('#answer-list li').textContent()).resolves.toMatch(/whether Home Assistant keeps it is unknown|Home Assistant (keeps|loses) it/);
    });
  });

  it('says what is wrong with an address, and passes axe on a phone in dark mode', async () => {
    await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' }, async (page) => {
      await page.goto(`${base}policy/?device=roborock%2Fs50%3D192.168.300.1&format=nftables`);
      await page.waitForSelector('html[data-policy="ready"]');
      await expect(page.locator('#policy-error').textContent()).resolves.toMatch(/address of roborock\/s50\b.*192\.168\.300\.1/);
      expect(await page.locator('#files pre').count()).toBe(0);
      await page.goto(`${base}policy/?device=roborock%2Fs50%3D192.168.20.31&ha=192.168.1.10&format=all`);
      await page.waitForSelector('html[data-policy="ready"]');
      expect(await axe(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(15, 18, 22)');
      await screenshot(page, 'policy-builder-mobile-dark');
    });
  });
});
