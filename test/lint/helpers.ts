// Shared by the lint tests: small device trees written to temp dirs, linted with a fixed date.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { Document, parseDocument } from 'yaml';
import { canonicalText } from '../../scripts/lib/canonical.js';
import type { FileKind } from '../../scripts/lib/load.js';
import type { Problem } from '../../scripts/lib/problems.js';
import { lint, type LintOptions } from '../../scripts/lint/index.js';

export const TODAY = '2026-11-25';
export const FIXTURES = new URL('../fixtures/lint/', import.meta.url).pathname;

/** Writes files (paths below the devices folder) into a fresh temp dir, removed when the test ends. */
export function tree(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'netneeds-lint-'));
  try { onTestFinished(() => rmSync(dir, { recursive: true, force: true })); } catch { /* outside a test: caller cleans up */ }
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

export function lintTree(files: Record<string, string | Uint8Array>, options: LintOptions = {}) {
  const dir = tree(files);
  return { dir, ...lint(dir, { today: TODAY, displayBase: dir, ...options }) };
}

/** Canonical YAML for a data object, so that canonical-format stays silent and only the intended problem shows. */
export function yamlOf(data: unknown, kind: FileKind = 'device'): string {
  return canonicalText(parseDocument(String(new Document(data))), kind);
}

type Data = Record<string, unknown>;

export const baseEndpoint = (): Data => ({
  host: 'api.acme.example.com', protocol: 'tcp', ports: [443], service: 'https', purpose: 'cloud-control', party: 'first',
  needs: { 'vendor-app': 'unknown', 'home-assistant': 'unknown' }, evidence: ['capture'],
});

export const baseDevice = (): Data => ({
  id: 'acme/widget', name: 'Acme Widget', category: 'plug', endpoints: [baseEndpoint()],
  evidence: [{ id: 'capture', type: 'packet-capture', date: '2024-03-01', source: 'https://example.org/captures/1' }],
});

export const baseVendor = (): Data => ({
  id: 'acme', name: 'Acme', website: 'https://acme.example.com',
  groups: [{ id: 'cloud', name: 'Acme cloud', endpoints: [{ ...baseEndpoint(), host: 'cloud.acme.example.com', evidence: ['docs'] }] }],
  evidence: [{ id: 'docs', type: 'vendor-documentation', accessed: '2026-01-02', source: 'https://acme.example.com/docs/network' }],
});

/** Lints acme/widget.yaml (given as text or data) beside a valid acme/_vendor.yaml. */
export function lintDevice(device: string | Data, extra: Record<string, string> = {}, options: LintOptions = {}) {
  const text = typeof device === 'string' ? device : yamlOf(device);
  return { text, ...lintTree({ 'acme/_vendor.yaml': yamlOf(baseVendor(), 'vendor'), 'acme/widget.yaml': text, ...extra }, options) };
}

/** Lints acme/_vendor.yaml (given as text or data) alone. */
export function lintVendor(vendor: string | Data, options: LintOptions = {}) {
  const text = typeof vendor === 'string' ? vendor : yamlOf(vendor, 'vendor');
  return { text, ...lintTree({ 'acme/_vendor.yaml': text }, options) };
}

/** 1-based line of the nth line containing `needle`. */
export function lineOf(text: string, needle: string, nth = 0): number {
  const hits = text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits[nth] === undefined) throw new Error(`no line ${nth} containing ${JSON.stringify(needle)}`);
  return hits[nth];
}

/** The parts of problems tests compare exactly: rule, line, severity. */
export const brief = (problems: Problem[]) => problems.map((p) => ({ rule: p.rule, line: p.line, severity: p.severity }));

export const err = (rule: string, line: number) => ({ rule, line, severity: 'error' as const });
export const warn = (rule: string, line: number) => ({ rule, line, severity: 'warning' as const });
