// Shared by the site's browser tests: build a devices tree into a temp dist, serve it on loopback, drive Debian's Chromium.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, writeOutput } from '../../scripts/build/index.js';
import type { Dataset } from '../../scripts/build/types.js';
import { ROOT } from '../../scripts/lib/project.js';
import { serveSite, type SiteServer } from '../../scripts/preview.js';

export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BuiltSite { dir: string; dist: string; dataset: Dataset; site: SiteServer; close(): Promise<void> }

/** Builds `devicesDir` with the real build and serves dist/site from 127.0.0.1 on an ephemeral port. */
export async function buildAndServe(devicesDir: string): Promise<BuiltSite> {
  const dir = mkdtempSync(join(tmpdir(), 'netneeds-site-'));
  const dist = join(dir, 'dist');
  const result = await build(devicesDir);
  if ('errors' in result) throw new Error(`fixture tree does not build:\n${result.errors.join('\n')}`);
  writeOutput(dist, result.files);
  const site = await serveSite(join(dist, 'site'));
  return { dir, dist, dataset: result.dataset, site, close: async () => { await site.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Fails the test on any request that leaves the site's own origin (CDNs, fonts, trackers). */
export function recordForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  return foreign;
}

export interface AxeViolation { id: string; impact: string; help: string; nodes: { target: string[] }[] }

/** Runs axe-core inside the page. Injected through the DevTools protocol, so the page's CSP stays as it is. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}
