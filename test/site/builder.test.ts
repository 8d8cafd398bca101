// The policy builder in Chromium: its rules are byte-identical to `netneeds policy` for the same choices, in every
// format; its state is a shareable URL; it passes axe, fits a phone and follows dark mode.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/project.js';
import policyCommand from '../../scripts/cli/policy.js';
import { FORMATS } from '../../scripts/policy/formats/index.js';
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
    ['trust tested only, log mode, every format',
      'device=roborock%2Fs50%3D192.168.20.31&device=acme%2Fcam-2&trust=tested&mode=log&format=all',
      ['roborock/s50=192.168.20.31', 'acme/cam-2', '--for', 'both', '--unknown', 'allow', '--trust', 'tested', '--mode', 'log', '--format', 'all']],
    ['community trust, ports to any destination, drop, an IPv6 prefix and a MUD controller, every format',
      'device=roborock%2Fs50%3D192.168.20.31%2C2001%3Adb8%3A1%3A%3A31&device=acme%2Fcam-2%3D2001%3Adb8%3A1%3A%3A32&device=vendor2%2Fmodel-6&ha=192.168.1.10&controller=192.168.1.2&lan=2001%3Adb8%3A1%3A%3A%2F64&unknown=deny&refuse=drop&trust=community&any-destination=allow&format=all',
      ['roborock/s50=192.168.20.31,2001:db8:1::31', 'acme/cam-2=2001:db8:1::32', 'vendor2/model-6', '--for', 'both', '--home-assistant', '192.168.1.10', '--controller', '192.168.1.2', '--lan', '2001:db8:1::/64',
        '--unknown', 'deny', '--refuse', 'drop', '--trust', 'community', '--any-destination', 'allow', '--format', 'all']],
  ];

  it('offers every choice and every format the command line has', () => {
    // The builder's choices come from the command's own options; nothing the command takes is left out.
    const html = readFileSync(join(built.dist, 'site/policy/index.html'), 'utf8');
    // An attribute value as HTML writes it, quoted or (when it needs no quotes) bare.
    const attribute = (name: string, value: string) => new RegExp(`\\s${name}=(?:"${value}"|'${value}'|${value}(?=[\\s>]))`);
    for (const option of Object.keys(policyCommand.options).filter((o) => !['ha', 'out', 'json', 'help', 'format', 'home-assistant'].includes(o))) {
      expect(html, `--${option}`).toMatch(attribute('name', option));
    }
    for (const f of FORMATS) expect(html, f.name).toMatch(new RegExp(`<option${attribute('value', f.name).source}`));
  });

  for (const [label, query, args] of cases) {
    it(`gives byte for byte the files of netneeds policy, and the same again from its link: ${label}`, async () => {
      const expected = cli(args);
      expect(expected.size).toBeGreaterThan(10);
      await withPage({}, async (page) => {
        await page.goto(`${base}policy/?${query}`);
        const { files, command } = await shown(page);
        expect(argsOf(command)).toEqual(args);
        expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [name, content] of expected) expect(files.get(name), name).toBe(content);
        // The page's own link holds the whole policy: opened again, it gives the same files.
        const link = await page.locator('#share').getAttribute('href');
        const params = (search: string) => [...new URLSearchParams(search)].sort(([a, x], [b, y]) => (a + x < b + y ? -1 : 1));
        expect(params(new URL(link!).search)).toEqual(params(query));
        await page.goto(link!);
        expect((await shown(page)).files).toEqual(files);
      });
    });
  }

  it('gives byte for byte the files of netneeds policy for each format alone, for several devices', { timeout: 300_000 }, async () => {
    const devicesArgs = ['roborock/s50=192.168.20.31', 'acme/cam-2=192.168.20.32,fd00::32', 'vendor1/model-1=192.168.20.33'];
    await withPage({}, async (page) => {
      for (const format of FORMATS.map((f) => f.name)) {
        const args = [...devicesArgs, '--for', 'both', '--home-assistant', '192.168.1.10', '--unknown', 'deny', '--format', format];
        const expected = cli(args);
        expect(expected.size, format).toBeGreaterThan(0);
        await page.goto(`${base}policy/?${devicesArgs.map((d) => `device=${encodeURIComponent(d)}`).join('&')}&ha=192.168.1.10&unknown=deny&format=${format}`);
        const { files, command } = await shown(page);
        expect(argsOf(command), format).toEqual(args);
        expect(files, format).toEqual(expected);
      }
    });
  });

  it('builds the policy from what the reader types and clicks, keeps it in a shareable link, copies and downloads the same bytes', async () => {
    await withPage({ acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
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
      await page.getByLabel('Home Assistant only').check();
      await page.getByLabel('Refuse them (stricter; may break something)').check();
      await page.locator('#refuse').selectOption('reject');
      await page.locator('#opt-trust').selectOption('tested');
      await page.locator('#format').selectOption('iptables');
      const { files, command } = await shown(page);
      const expected = cli(argsOf(command));
      expect(argsOf(command)).toEqual(['roborock/s50=192.168.20.31', 'acme/cam-2=192.168.20.32,02:00:00:00:00:32', '--for', 'home-assistant', '--home-assistant', '192.168.1.10', '--unknown', 'deny', '--refuse', 'reject', '--trust', 'tested', '--format', 'iptables']);
      expect(new Map(files)).toEqual(expected);

      // Every file downloads and copies as the same bytes.
      for (const [name, content] of expected) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download ${name}` }).click()]);
        expect(download.suggestedFilename()).toBe(name);
        expect(readFileSync((await download.path())!, 'utf8'), name).toBe(content);
        const copy = page.getByRole('button', { name: `Copy ${name}` });
        await copy.click();
        await expect.poll(() => copy.textContent()).toBe('Copied');
        expect(await page.evaluate(() => navigator.clipboard.readText()), name).toBe(content);
      }

      // What is refused, and why, in words.
      await expect(page.locator('#refused').textContent()).resolves.toContain('nobody has tested whether Home Assistant needs it');
      // The link restores the same policy, and the same choices, in a fresh page.
      const shared = page.url();
      expect(await page.locator('#share').getAttribute('href')).toBe(shared);
      const again = await page.context().newPage();
      await again.goto(shared);
      expect((await shown(again)).files).toEqual(files);
      expect(await again.locator('#where-1').inputValue()).toBe('192.168.20.32, 02:00:00:00:00:32');
      expect(await again.getByLabel('Home Assistant only').isChecked()).toBe(true);
      expect(await again.locator('#opt-trust').inputValue()).toBe('tested');
      await screenshot(page, 'policy-builder');
    });
  });

  it('opens from a device page with the one-line answer first', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}devices/acme/cam-2/`);
      await page.getByRole('link', { name: 'Protect this device' }).click();
      await page.waitForSelector('html[data-policy="ready"]');
      expect(new URL(page.url()).searchParams.getAll('device')).toEqual(['acme/cam-2']);
      expect(await page.locator('#chosen li').count()).toBe(1);
      const answer = (await page.locator('#answer-list li').textContent())!;
      const cam = built.dataset.devices.find((d) => d.id === 'acme/cam-2')!.derived;
      expect([cam.worksWithHaOffline, cam.vendorAppNeedsCloud]).toEqual(['yes', 'yes']);
      expect(answer).toBe(`Acme Cam 2: with the internet blocked, Home Assistant keeps it; the vendor app loses it. Why: Home Assistant: ${cam.worksWithHaOfflineReason}; vendor app: ${cam.vendorAppNeedsCloudReason}.`);
      // The answer comes before the controls, on the first screen.
      const order = await page.evaluate(() => document.getElementById('answer')!.compareDocumentPosition(document.getElementById('builder')!) & Node.DOCUMENT_POSITION_FOLLOWING);
      expect(order).toBeTruthy();
      const box = (await page.locator('#answer').boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    });
  });

  it('answers for each device whether Home Assistant and the vendor app keep it with the internet blocked', async () => {
    const HA = { yes: 'Home Assistant keeps it', no: 'Home Assistant loses it', unknown: 'whether Home Assistant keeps it is unknown' };
    const APP = { yes: 'the vendor app loses it', no: 'the vendor app keeps it', unknown: 'whether the vendor app keeps it is unknown' };
    // One device for each pair of answers the fixture holds.
    const byPair = new Map<string, (typeof built.dataset.devices)[number]>();
    for (const d of built.dataset.devices) byPair.set(`${d.derived.worksWithHaOffline}/${d.derived.vendorAppNeedsCloud}`, byPair.get(`${d.derived.worksWithHaOffline}/${d.derived.vendorAppNeedsCloud}`) ?? d);
    const devices = [...byPair.values()];
    expect(new Set(devices.map((d) => d.derived.worksWithHaOffline))).toEqual(new Set(['yes', 'no', 'unknown']));
    expect(new Set(devices.map((d) => d.derived.vendorAppNeedsCloud)).size).toBeGreaterThanOrEqual(2);
    await withPage({}, async (page) => {
      await page.goto(`${base}policy/?${devices.map((d) => `device=${encodeURIComponent(d.id)}`).join('&')}`);
      await page.waitForSelector('html[data-policy="ready"]');
      expect(await page.locator('#answer-list li').allTextContents()).toEqual(devices.map((d) =>
        `${d.name}: with the internet blocked, ${HA[d.derived.worksWithHaOffline]}; ${APP[d.derived.vendorAppNeedsCloud]}. Why: Home Assistant: ${d.derived.worksWithHaOfflineReason}; vendor app: ${d.derived.vendorAppNeedsCloudReason}.`));
    });
  });

  it('says what is wrong with an address', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${base}policy/?device=roborock%2Fs50%3D192.168.300.1&format=nftables`);
      await page.waitForSelector('html[data-policy="ready"]');
      await expect(page.locator('#policy-error').textContent()).resolves.toMatch(/address of roborock\/s50\b.*192\.168\.300\.1/);
      expect(await page.locator('#files pre').count()).toBe(0);
      await page.goto(`${base}policy/?device=roborock%2Fs50&lan=192.168.0.0%2F99`);
      await page.waitForSelector('html[data-policy="ready"]');
      await expect(page.locator('#policy-error').textContent()).resolves.toMatch(/--lan "192\.168\.0\.0\/99"/);
    });
  });

  const screens = [
    ['desktop, light', { viewport: { width: 1280, height: 900 }, colorScheme: 'light' }, 'rgb(247, 247, 244)'],
    ['desktop, dark', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }, 'rgb(15, 18, 22)'],
    ['phone, light', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'light' }, 'rgb(247, 247, 244)'],
    ['phone, dark', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' }, 'rgb(15, 18, 22)'],
  ] as const;
  for (const [label, options, background] of screens) {
    it(`passes axe with rules shown, fits the screen and follows the colour scheme: ${label}`, async () => {
      await withPage(options, async (page) => {
        await page.goto(`${base}policy/?device=roborock%2Fs50%3D192.168.20.31&device=acme%2Fcam-2&ha=192.168.1.10&unknown=deny&format=all`);
        await page.waitForSelector('html[data-policy="ready"]');
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(background);
        expect(await axe(page)).toEqual([]);
        const width = page.viewportSize()!.width;
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        // Every control is on the screen and big enough to hit (WCAG 2.5.8: 24 by 24 CSS pixels, its label included;
        // links inside a sentence are exempt).
        const controls = await page.$$eval('#builder input, #builder select, #builder textarea, #builder button, #result button, #result a.button', (els) => els.map((e) => {
          const target = (e as HTMLInputElement).labels?.[0]?.contains(e) ? (e as HTMLInputElement).labels![0]! : e;
          const r = target.getBoundingClientRect();
          return { what: e.id || e.textContent || e.outerHTML.slice(0, 60), left: r.left, right: r.right, width: r.width, height: r.height };
        }));
        expect(controls.length).toBeGreaterThan(15);
        for (const c of controls) {
          expect(c.left, c.what).toBeGreaterThanOrEqual(0);
          expect(c.right, c.what).toBeLessThanOrEqual(width);
          expect(Math.min(c.width, c.height), c.what).toBeGreaterThanOrEqual(24);
        }
        // The controls answer to the finger (or the mouse): a choice changes the rules.
        const before = await page.locator('#cli').textContent();
        const choice = page.getByLabel('The vendor app only');
        if (options.viewport.width < 600) await choice.tap(); else await choice.click();
        await expect.poll(() => page.locator('#cli').textContent()).not.toBe(before);
        await expect(page.locator('#cli').textContent()).resolves.toContain('--for vendor-app');
        await screenshot(page, `policy-builder-${label.replace(/\W+/g, '-')}`);
      });
    });
  }
});
