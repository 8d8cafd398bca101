// `npm run preview`: serves the built site (dist/site) on loopback, as GitHub Pages would. Tests reuse serveSite.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLISHED_DOWNLOADS } from './build/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8', '.nft': 'text/plain; charset=utf-8', '.conf': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

export interface SiteServer { url: string; server: Server; close(): Promise<void> }

/** Maps a request path to a file below root, or undefined for anything that would leave it. */
export function resolveRequest(root: string, urlPath: string): string | undefined {
  let path: string;
  try { path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!); } catch { return undefined; }
  if (path.includes('\0')) return undefined;
  const target = resolve(root, '.' + path);
  return target === root || target.startsWith(root + sep) ? target : undefined;
}

/** Serves dir; paths of the published downloads (dataset, API, rules, …) come from downloadsDir, as deployed. */
export function serveSite(dir: string, port = 0, host = '127.0.0.1', downloadsDir = resolve(dir, '..')): Promise<SiteServer> {
  const root = resolve(dir);
  const downloads = resolve(downloadsDir);
  const server = createServer((req, res) => {
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const urlPath = req.url ?? '/';
    const relative = urlPath.split('?')[0]!.replace(/^\/+/, '');
    let file = PUBLISHED_DOWNLOADS.test(relative) ? resolveRequest(downloads, urlPath) : resolveRequest(root, urlPath);
    if (!file) return send(400, 'bad path\n');
    let stat = statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!urlPath.split('?')[0]!.endsWith('/')) {
        const [pathname, query] = urlPath.split(/\?(.*)/s);
        return send(301, 'moved\n', { location: `${pathname}/${query ? `?${query}` : ''}` });
      }
      file = join(file, 'index.html');
      stat = statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) {
      // As GitHub Pages does: the site's own 404 page, with status 404.
      const notFound = join(root, '404.html');
      if (!statSync(notFound, { throwIfNoEntry: false })?.isFile()) return send(404, 'not found\n');
      res.writeHead(404, { 'content-type': TYPES['.html']!, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
      if (req.method === 'HEAD') return res.end();
      return createReadStream(notFound).pipe(res);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(stat.size),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      ok({ url: `http://${host}:${bound}/`, server, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

async function main(args: string[]): Promise<void> {
  const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const dir = resolve(option('--dir') ?? 'dist/site');
  if (!statSync(join(dir, 'index.html'), { throwIfNoEntry: false })) {
    process.stderr.write(`${dir}/index.html not found: run npm run build first\n`);
    process.exit(1);
  }
  const { url } = await serveSite(dir, Number(option('--port') ?? process.env.PORT ?? 4173));
  process.stderr.write(`serving ${dir} at ${url} (Ctrl+C stops)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: Error) => { process.stderr.write(`preview: ${e.message}\n`); process.exit(1); });
}
