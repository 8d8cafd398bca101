// What a contributor sees in VS Code: yaml-language-server, started over stdio as the YAML extension starts it,
// checks a device file against schema/device.schema.json through the file's modeline, and shows the schema's
// descriptions on hover and in completion. The schemas come from this checkout: any request that tried to leave
// the machine would reach a local proxy that counts it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/project.js';

interface Message { jsonrpc: '2.0'; id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { message: string } }
interface Diagnostic { range: { start: { line: number; character: number } }; message: string; source?: string }

/** A minimal JSON-RPC client with LSP's Content-Length framing. */
class LanguageClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((m: Message) => void)[] = [];
  readonly stderr: string[] = [];

  /** `settings`: what the client answers when the server asks for a configuration section (`yaml`, `http`). */
  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly settings: Record<string, unknown>) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    child.once('exit', (code) => { for (const p of this.pending.values()) p.reject(new Error(`server exited with ${code}: ${this.stderr.join('')}`)); });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(m: Message): void {
    if (m.method !== undefined && m.id !== undefined) {
      // The server's own requests: the settings it asks for; nothing for capability registration and progress.
      const items = m.method === 'workspace/configuration' ? (m.params as { items: { section?: string }[] }).items : null;
      this.write({ jsonrpc: '2.0', id: m.id, result: items ? items.map((i) => this.settings[i.section ?? ''] ?? null) : null });
      return;
    }
    if (m.method !== undefined) { for (const l of [...this.listeners]) l(m); return; }
    const p = this.pending.get(m.id as number);
    if (!p) return;
    this.pending.delete(m.id as number);
    if (m.error) p.reject(new Error(m.error.message)); else p.resolve(m.result);
  }

  private write(m: Message): void {
    const body = Buffer.from(JSON.stringify(m));
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void { this.write({ jsonrpc: '2.0', method, params }); }

  /** The first notification of `method` that `accept` takes, after now. */
  waitFor<T>(method: string, accept: (params: T) => boolean, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { remove(); reject(new Error(`no ${method} within ${timeoutMs} ms; server stderr: ${this.stderr.join('')}`)); }, timeoutMs);
      const listener = (m: Message) => { if (m.method === method && accept(m.params as T)) { clearTimeout(timer); remove(); resolve(m.params as T); } };
      const remove = () => { const i = this.listeners.indexOf(listener); if (i >= 0) this.listeners.splice(i, 1); };
      this.listeners.push(listener);
    });
  }
}

interface EnumDef { enum: string[]; enumDescriptions: string[] }
const schema = JSON.parse(readFileSync(`${ROOT}schema/common.schema.json`, 'utf8')) as {
  $defs: { party: EnumDef; purpose: EnumDef; endpoint: { properties: { party: { description: string } } } };
};
const enumText = (def: EnumDef, value: string) => def.enumDescriptions[def.enum.indexOf(value)]!;

// The document lives where a contributor's file would (it is never written to disk), so that the modeline
// `fix` writes, ../../schema/device.schema.json, resolves to this checkout's schema.
const DOC_URI = pathToFileURL(`${ROOT}devices/editor-test/hostile-lines.yaml`).href;
const DOC = `# yaml-language-server: $schema=../../schema/device.schema.json
id: editor-test/hostile-lines
name: Editor test device
category: plug
endpoints:
  - host: api.example.com
    protocol: tcp
    ports: [443, 70000]
    service: https
    purpose: time
    party: first
    needs:
      vendor-app: requried
      home-assistant: unknown
    evidence: [doc]
evidence:
  - id: doc
    type: vendor-documentation
    accessed: 2026-11-29
    source: https://example.com/doc
`;
const lineOf = (text: string) => DOC.split('\n').findIndex((l) => l.includes(text));
const positionIn = (text: string, after: string) => ({ line: lineOf(text), character: DOC.split('\n')[lineOf(text)]!.indexOf(after) + after.length });

describe('yaml-language-server on a device file', () => {
  let child: ChildProcessWithoutNullStreams;
  let client: LanguageClient;
  let proxy: Server;
  let outboundAttempts = 0;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    proxy = createServer((socket) => { outboundAttempts++; socket.destroy(); });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    child = spawn(process.execPath, [bin, '--stdio'], {
      cwd: ROOT,
      env: { ...process.env, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // No schema store: the only schema is the one the modeline names.
    const settings = {
      yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {} },
      http: { proxy: proxyUrl, proxyStrictSSL: true },
    };
    client = new LanguageClient(child, settings);
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(ROOT).href,
      workspaceFolders: [{ uri: pathToFileURL(ROOT).href, name: 'netneeds' }],
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { documentationFormat: ['plaintext'], snippetSupport: false } },
          publishDiagnostics: {},
        },
      },
    });
    client.notify('initialized', {});
    client.notify('workspace/didChangeConfiguration', { settings });
    const published = client.waitFor<{ uri: string; diagnostics: Diagnostic[] }>('textDocument/publishDiagnostics', (p) => p.uri === DOC_URI && p.diagnostics.length > 0);
    client.notify('textDocument/didOpen', { textDocument: { uri: DOC_URI, languageId: 'yaml', version: 1, text: DOC } });
    diagnostics = (await published).diagnostics;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await client.request('shutdown', null).catch(() => undefined);
      client.notify('exit', null);
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it('reports the schema errors at their lines, and only those', () => {
    const found = diagnostics.map((d) => ({ line: d.range.start.line, message: d.message }));
    expect(found).toEqual(expect.arrayContaining([
      { line: lineOf('70000'), message: expect.stringMatching(/65535/) },
      { line: lineOf('requried'), message: expect.stringMatching(/not-required/) },
    ]));
    expect(new Set(found.map((d) => d.line))).toEqual(new Set([lineOf('70000'), lineOf('requried')]));
    expect(diagnostics[0]!.message).not.toMatch(/Problems loading reference|Unable to load schema/);
  });

  it('shows a property\'s description on hover', async () => {
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: DOC_URI }, position: positionIn('party: first', 'par') });
    expect(hover.contents.value).toContain(schema.$defs.endpoint.properties.party.description);
  });

  it('shows each enum value\'s description on hover over a value', async () => {
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: DOC_URI }, position: positionIn('purpose: time', 'purpose: ti') });
    expect(hover.contents.value).toContain(enumText(schema.$defs.purpose, 'time'));
    expect(hover.contents.value).toContain(enumText(schema.$defs.purpose, 'local-control'));
  });

  it('offers the enum values with their descriptions in completion', async () => {
    type Item = { label: string; documentation?: string | { value: string } };
    const result = await client.request<{ items: Item[] } | Item[]>(
      'textDocument/completion', { textDocument: { uri: DOC_URI }, position: positionIn('party: first', 'party: ') },
    );
    const items = Array.isArray(result) ? result : result.items;
    const docs = Object.fromEntries(items.map((i) => [i.label, typeof i.documentation === 'object' ? i.documentation.value : i.documentation]));
    for (const value of schema.$defs.party.enum) expect(docs[value], value).toBe(enumText(schema.$defs.party, value));
  });

  it('never reached for the network: the schemas came from this checkout', () => {
    expect(outboundAttempts).toBe(0);
  });
});
