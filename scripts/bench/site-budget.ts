// Site budgets on an already-built dist/: what the index costs to download, the heaviest device page, and how long one
// search keystroke takes in Chromium. The bench runner builds the synthetic tree and prints these against their budgets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** Per query typed: for each key, ms from the key event to the frame that shows its rows, and to after that paint. */
interface Typed { query: string; frame: number[]; paint: number[]; cpu: number }
interface Measured { typed: Typed[]; load: Tasks; showAll: Tasks; scroll: Tasks }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

// Light categories: the task timings, and the page's own performance marks, which tell its renderer. Heavier ones slow
// the page they measure.
const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];
const MARK = 'netneeds-bench';

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }
/** ms: the longest task (wall), the CPU time of that task, and the CPU time of all tasks. */
interface Tasks { longest: number; longestCpu: number; cpu: number }

/**
 * The tasks on the main thread of the renderer that made the performance mark MARK: every task, not only those over
 * 50 ms. CPU time (the thread's own time) tells what the page costs when other processes share the cores.
 */
function mainThreadTasks(trace: Buffer): Tasks {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const site = new Set(events.filter((e) => e.name === MARK).map((e) => e.pid));
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && site.has(e.pid)).map((e) => `${e.pid}:${e.tid}`));
  if (!main.size) throw new Error('the trace shows no renderer of the site');
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && main.has(`${e.pid}:${e.tid}`));
  const longest = tasks.reduce<TraceEvent | undefined>((a, e) => (!a || (e.dur ?? 0) > (a.dur ?? 0) ? e : a), undefined);
  return { longest: (longest?.dur ?? 0) / 1000, longestCpu: (longest?.tdur ?? 0) / 1000, cpu: tasks.reduce((n, e) => n + (e.tdur ?? 0), 0) / 1000 };
}

/**
 * Installed in the page as source text: tsx would wrap a function's inner functions in a helper the page lacks.
 * The key's character is in the box once its input event has run; a frame counts once the rows show that text.
 */
const KEY_TIMER = `(() => {
  window.__keys = [];
  const input = document.getElementById('filter-q');
  const table = document.getElementById('devices');
  document.addEventListener('keydown', (e) => {
    if (e.target !== input) return;
    const t0 = e.timeStamp;
    let frames = 0;
    const next = () => requestAnimationFrame(() => {
      if (table.dataset.shown !== input.value && ++frames < 600) { next(); return; }
      const frame = performance.now() - t0;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__keys.push([frame, performance.now() - t0]);
      channel.port2.postMessage(null);
    });
    next();
  }, true);
})()`;

/**
 * Real key presses through the browser's input pipeline (the DevTools protocol's Input domain, as a keyboard would).
 * For each key: from the key event's timestamp to the first animation frame in which the list shows the rows for the
 * text now in the box (the index script marks what it has drawn in the table's data-shown), and to the task after that
 * frame, i.e. once it is painted. A script that defers its work to a later frame or a timer is measured to that frame.
 * Then, under a Chromium trace, the longest main-thread task of: loading the page; showing the whole list again after
 * a search ("show all"); scrolling it end to end.
 */
async function measurePage(siteDir: string, terms: string[]): Promise<Measured> {
  const server = await serveSite(siteDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const traced = async (run: () => Promise<void>): Promise<Tasks> => {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await run();
      await page.evaluate((mark) => performance.mark(mark), MARK);
      return mainThreadTasks(await browser.stopTracing());
    };
    const load = await traced(async () => {
      await page.goto(server.url);
      await page.waitForSelector('html[data-search="ready"]', { timeout: 120_000 });
      await page.waitForTimeout(300);
    });
    await page.evaluate(KEY_TIMER);
    const input = page.locator('#filter-q');
    const typed: Typed[] = [];
    for (const query of terms) {
      await input.click();
      await page.evaluate(() => { (window as unknown as { __keys: unknown[] }).__keys = []; });
      // About a fast typist's pace; each press returns once the page has taken the key.
      const { cpu } = await traced(async () => {
        for (const ch of query) { await page.keyboard.press(ch === ' ' ? 'Space' : ch); await page.waitForTimeout(60); }
        await page.waitForTimeout(200);
      });
      const keys = await page.evaluate(() => (window as unknown as { __keys: [number, number][] }).__keys);
      if (keys.length !== query.length) throw new Error(`typing ${JSON.stringify(query)}: ${keys.length} of ${query.length} keys measured`);
      typed.push({ query, frame: keys.map((k) => k[0]), paint: keys.map((k) => k[1]), cpu: cpu / query.length });
      await input.fill('x');
      await page.waitForTimeout(100);
    }
    // "Show all": from a search back to the whole list, as clearing the box does.
    const showAll = await traced(async () => {
      await input.fill('');
      await page.waitForFunction(() => document.getElementById('devices')!.dataset.shown === '');
      await page.waitForTimeout(300);
    });
    const scroll = await traced(async () => {
      for (let y = 0; y < 6; y++) { await page.mouse.wheel(0, 20_000); await page.waitForTimeout(50); }
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.waitForTimeout(100);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
    });
    return { typed, load, showAll, scroll };
  } finally {
    await browser.close();
    await server.close();
  }
}

export async function siteBudget(distDir: string): Promise<BudgetFigure[]> {
  const site = join(distDir, 'site');
  const index = ['index.html', 'search-index.json', 'assets/search.js', 'assets/search-worker.js', 'assets/style.css'].filter((f) => existsSync(join(site, f))).reduce((n, f) => n + gzipKb(join(site, f)), 0);
  let heaviest = 0;
  for (const file of pages(join(site, 'devices'))) heaviest = Math.max(heaviest, gzipKb(file));
  const searchIndex = JSON.parse(readFileSync(join(site, 'search-index.json'), 'utf8')) as { devices: unknown[][] };
  const m = await measurePage(site, queries(searchIndex));
  const keys = m.typed.flatMap((t) => t.paint);
  const perQuery = m.typed.map((t) => `"${t.query}" ${median(t.paint).toFixed(1)} (max ${Math.max(...t.paint).toFixed(1)})`).join(', ');
  return [
    { name: 'site: index HTML alone, gzip', value: round(gzipKb(join(site, 'index.html'))), unit: 'KB', budget: 200 },
    { name: 'site: index + search data + JS/CSS, gzip', value: round(index), unit: 'KB', budget: 1536 },
    { name: 'site: builder JS, gzip', value: round(gzipKb(join(site, 'assets/builder.js'))), unit: 'KB' },
    { name: 'site: heaviest device page, gzip', value: round(heaviest, 2), unit: 'KB', budget: 30 },
    { name: `site: keystroke to next paint (median of ${keys.length} keys)`, value: round(median(keys), 2), unit: 'ms', budget: 16, note: `real key events, to after the frame showing its rows; per query median (max): ${perQuery}` },
    { name: 'site: keystroke to that frame (median)', value: round(median(m.typed.flatMap((t) => t.frame)), 2), unit: 'ms', note: 'to its requestAnimationFrame, before style, layout and paint' },
    { name: 'site: main-thread CPU per keystroke', value: round(m.typed.reduce((n, t) => n + t.cpu * t.query.length, 0) / keys.length, 2), unit: 'ms', note: `Chromium trace, every task while typing; per query: ${m.typed.map((t) => t.cpu.toFixed(1)).join(', ')}` },
    { name: 'site: longest task, show all after a search', value: round(m.showAll.longest, 1), unit: 'ms', budget: 50, note: `Chromium trace, main thread; CPU ${m.showAll.longestCpu.toFixed(1)} ms` },
    { name: 'site: longest task, whole list scrolled', value: round(m.scroll.longest, 1), unit: 'ms', budget: 50, note: `Chromium trace, main thread, jumps of 20,000 px; CPU ${m.scroll.longestCpu.toFixed(1)} ms` },
    { name: 'site: longest task, loading the index', value: round(m.load.longest, 1), unit: 'ms', note: `Chromium trace, main thread: HTML, search data, first list; CPU ${m.load.longestCpu.toFixed(1)} ms` },
  ];
}

/** `tsx scripts/bench/site-budget.ts <dist>`: the site figures alone, on a dist/ built before. */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2];
  if (!dist) { console.error('usage: tsx scripts/bench/site-budget.ts <dist directory>'); process.exit(2); }
  for (const r of await siteBudget(dist)) {
    const within = r.budget === undefined ? '' : `  budget ≤ ${r.budget} ${r.unit}  ${r.value <= r.budget ? 'within' : 'OVER'}`;
    console.log(`${r.name.padEnd(48)} ${String(r.value).padStart(8)} ${r.unit}${within}${r.note ? `  (${r.note})` : ''}`);
  }
}
