// Site budgets on an already-built dist/: what the index costs to download, the heaviest device page, and how long one
// search keystroke takes in Chromium. The bench runner builds the synthetic tree and prints these against their budgets.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveSite } from '../preview.js';

export interface BudgetFigure { name: string; value: number; unit: string; budget?: number; note?: string }

const gzipKb = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function* pages(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* pages(path);
    else if (entry.name === 'index.html') yield path;
  }
}

/** Words a reader would type: a hostname, a device name, a model number, a port, an integration and a category. */
function queries(searchIndex: { devices: unknown[][] }): string[] {
  const rows = searchIndex.devices;
  const at = (k: number) => rows[Math.floor(rows.length * k)] ?? rows[0]!;
  const traffic = (row: unknown[]) => String(row[9]).split(' ');
  return [traffic(at(0.5)).find((w) => w.includes('.')) ?? 'api', String(at(0.3)[1]).split(' ').slice(0, 2).join(' '), String(at(0.7)[8]).split(' ')[0]!, '54321', 'miio', 'cam']
    .map((q) => q.slice(0, 12));
}

interface Keystrokes { frame: number; paint: number; count: number; longestTask: number }

/**
 * Real key presses through the browser's input pipeline. For each, the time from the key event to the next animation
 * frame (the frame that shows the new rows) and to the task after that frame (the paint done). Then the longest task
 * while the whole list is shown and scrolled end to end.
 */
async function keystrokeMs(siteDir: string, terms: string[]): Promise<Keystrokes> {
  const server = await serveSite(siteDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('html[data-search="ready"]', { timeout: 120_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __keys: [number, number][]; __tasks: number[] };
      w.__keys = [];
      w.__tasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__tasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
      document.addEventListener('keydown', (e) => {
        const t0 = e.timeStamp;
        requestAnimationFrame(() => {
          const frame = performance.now() - t0;
          const channel = new MessageChannel();
          channel.port1.onmessage = () => w.__keys.push([frame, performance.now() - t0]);
          channel.port2.postMessage(null);
        });
      }, true);
    });
    const input = page.locator('#filter-q');
    for (const word of terms) {
      await input.click();
      for (const ch of word) { await page.keyboard.press(ch === ' ' ? 'Space' : ch); await page.waitForTimeout(30); }
      await input.fill('');
    }
    await page.waitForTimeout(200);
    const keys = await page.evaluate(() => (window as unknown as { __keys: [number, number][] }).__keys);
    // "Show all": the whole list, then scrolled to the end and back; only the longest task counts.
    await page.evaluate(() => { (window as unknown as { __tasks: number[] }).__tasks = []; });
    await input.fill('x');
    await input.fill('');
    for (let y = 0; y < 6; y++) { await page.mouse.wheel(0, 20_000); await page.waitForTimeout(50); }
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(100);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    const tasks = await page.evaluate(() => (window as unknown as { __tasks: number[] }).__tasks);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { frame: median(keys.map((k) => k[0])), paint: median(keys.map((k) => k[1])), count: keys.length, longestTask: Math.max(0, ...tasks) };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function siteBudget(distDir: string): Promise<BudgetFigure[]> {
  const site = join(distDir, 'site');
  const index = ['index.html', 'search-index.json', 'assets/search.js', 'assets/style.css'].reduce((n, f) => n + gzipKb(join(site, f)), 0);
  let heaviest = 0;
  for (const file of pages(join(site, 'devices'))) heaviest = Math.max(heaviest, gzipKb(file));
  const searchIndex = JSON.parse(readFileSync(join(site, 'search-index.json'), 'utf8')) as { devices: unknown[][] };
  const keys = await keystrokeMs(site, queries(searchIndex));
  return [
    { name: 'site: index HTML alone, gzip', value: round(gzipKb(join(site, 'index.html'))), unit: 'KB', budget: 200 },
    { name: 'site: index + search data + JS/CSS, gzip', value: round(index), unit: 'KB', budget: 1536 },
    { name: 'site: builder JS, gzip', value: round(gzipKb(join(site, 'assets/builder.js'))), unit: 'KB' },
    { name: 'site: heaviest device page, gzip', value: round(heaviest, 2), unit: 'KB', budget: 30 },
    { name: `site: keystroke to next frame (median of ${keys.count})`, value: round(keys.frame, 2), unit: 'ms', budget: 16, note: 'real key events; key event to requestAnimationFrame' },
    { name: 'site: keystroke to after paint (median)', value: round(keys.paint, 2), unit: 'ms', note: 'the task after that frame' },
    { name: 'site: longest task, whole list shown and scrolled', value: round(keys.longestTask, 1), unit: 'ms', budget: 50, note: '0: no task over 50 ms' },
  ];
}
