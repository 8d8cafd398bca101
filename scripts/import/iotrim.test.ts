import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { lint } from '../lint/index.js';
import { ROOT } from '../lib/project.js';
import { IOTRIM_DEVICES, parseIotrim, rowEndpoint, runIotrim } from './iotrim.js';

const SHARED_TSV = join(ROOT, '../shared/data/iotrim/iotrim.tsv');
const row = (destination: string, party = 'first', grouped = 'non-gr') => ({ line: 2, device: 'echodot', destination, party, grouped });

describe('IoTrim rows', () => {
  it('reads the four columns and refuses anything else', () => {
    expect(parseIotrim('device;destination;party;grouped\nechodot;a.example-cloud.net;first;non-gr\n')).toEqual([
      { line: 2, device: 'echodot', destination: 'a.example-cloud.net', party: 'first', grouped: 'non-gr' },
    ]);
    expect(() => parseIotrim('device,destination\n')).toThrow(/line 1/);
    expect(() => parseIotrim('device;destination;party;grouped\nechodot;x.net;first\n')).toThrow(/line 2: expected 4 fields/);
  });

  it('turns a row into a not-required verdict for the vendor app only, with no protocol or port', () => {
    const e = rowEndpoint(row('dp-gw.amazon.com'));
    expect(e).toEqual({
      host: 'dp-gw.amazon.com', protocol: 'unknown', service: 'unknown', purpose: 'unknown', party: 'first',
      needs: { 'vendor-app': [{ verdict: 'not-required', evidence: ['iotrim-2021'] }], 'home-assistant': 'unknown' },
      evidence: ['iotrim-2021'],
    });
  });

  it('writes a leading-dot suffix as a wildcard and addresses under address:', () => {
    expect(rowEndpoint(row('.googlevideo.com', 'first', 'gr'))).toMatchObject({ host: '*.googlevideo.com', note: expect.stringMatching(/suffix ".googlevideo.com", grouping/) });
    expect(rowEndpoint(row('.cloudfront.net', 'first', 'gr'))).toEqual({ skip: expect.stringMatching(/^\*\.cloudfront\.net: it covers a public suffix/) });
    expect(rowEndpoint(row('54.157.82.107', 'support'))).toMatchObject({ address: '54.157.82.107', party: 'support' });
    expect(rowEndpoint(row('dc.CoNnect.SMaRTThInGs.cOm'))).toMatchObject({ host: 'dc.connect.smartthings.com' });
  });

  it('refuses rows it cannot write truthfully', () => {
    expect(rowEndpoint(row('10.0.0.1'))).toMatch(/private/);
    expect(rowEndpoint(row('bad_name.net'))).toMatch(/not a valid DNS label/);
    expect(rowEndpoint(row('x.net', 'fourth'))).toMatch(/party "fourth"/);
  });
});

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); vi.unstubAllEnvs(); });

describe.skipIf(!existsSync(SHARED_TSV))('the real IoTrim list in ../shared', () => {
  it('maps every row to a device, writes 60 verdicts (the two .cloudfront.net suffixes are left out) and the files validate', () => {
    const rows = parseIotrim(readFileSync(SHARED_TSV, 'utf8'));
    expect(rows).toHaveLength(62);
    for (const r of rows) expect(IOTRIM_DEVICES[r.device], r.device).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'netneeds-iotrim-'));
    dirs.push(dir);
    vi.stubEnv('NETNEEDS_DEVICES', dir);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try { expect(runIotrim([SHARED_TSV])).toBe(0); } finally { out.mockRestore(); }
    const problems = lint(dir, { today: '2026-01-01' }).problems.filter((p) => p.severity === 'error');
    expect(problems).toEqual([]);
    let verdicts = 0;
    for (const d of new Set(Object.values(IOTRIM_DEVICES).map((d) => d.id))) {
      const data = parse(readFileSync(join(dir, `${d}.yaml`), 'utf8'));
      for (const e of data.endpoints) if (Array.isArray(e.needs['vendor-app']) && e.needs['vendor-app'].some((c: { verdict: string }) => c.verdict === 'not-required')) verdicts++;
      for (const e of data.endpoints) expect(e.needs['home-assistant']).toBe('unknown');
    }
    expect(verdicts).toBe(60);
  });
});
