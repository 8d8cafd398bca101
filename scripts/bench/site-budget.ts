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

/** Words a reader would type: a hostname, a device name, a model number and a category, taken from the data itself. */
function queries(searchIndex: { devices: unknown[][] }): string[] {
  const rows = searchIndex.devices;
  const at = (k: number) => rows[Math.floor(rows.length * k)] ?? rows[0]!;
  const words = (row: unknown[]) => String(row[7]).split(' ');
  return [words(at(0.5)).at(-1)!, String(at(0.3)[0]).split(' ').slice(0, 2).join(' '), words(at(0.7))[1] ?? words(at(0.7))[0]!, 'cam']
    .map((q) => q.slice(0, 12));
}

interface Keystrokes { filter: number; withLayout: number; count: number }

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
    // The input handler filters synchronously, so the time around dispatchEvent is the whole filter and DOM update;
    // reading offsetHeight then forces the browser's style and layout work for the new rows.
    const times = await page.evaluate((words) => {
      const input = document.getElementById('filter-q') as HTMLInputElement;
      const out: [number, number][] = [];
      for (const word of words) {
        for (let i = 1; i <= word.length; i++) {
          input.value = word.slice(0, i);
          const t0 = performance.now();
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const t1 = performance.now();
          void document.body.offsetHeight;
          out.push([t1 - t0, performance.now() - t0]);
        }
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      return out;
    }, terms);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { filter: median(times.map((t) => t[0])), withLayout: median(times.map((t) => t[1])), count: times.length };
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
    { name: 'site: index + search data + JS/CSS, gzip', value: round(index), unit: 'KB', budget: 1536 },
    { name: 'site: heaviest device page, gzip', value: round(heaviest, 2), unit: 'KB', budget: 30 },
    { name: `site: keystroke filter (median of ${keys.count})`, value: round(keys.filter, 2), unit: 'ms', budget: 16 },
    {
      name: 'site: keystroke incl. style+layout', value: round(keys.withLayout, 2), unit: 'ms',
      note: 'filter plus the browser laying out the 100 rows shown; depends on the machine more than on the data',
    },
  ];
}
