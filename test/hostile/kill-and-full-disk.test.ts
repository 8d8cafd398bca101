// Never a half-written file: `kill -9` in the middle of fix and build, and a full disk (a small tmpfs mounted in a
// mount namespace of its own, `unshare -m`), leave every device file and the build output whole: old or new.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseDevice, baseVendor, yamlOf } from '../lint/helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const BIN = join(ROOT, 'scripts/bin/netneeds.js');
const work = mkdtempSync(join(tmpdir(), 'netneeds-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FILES = 200;
const canonical = (i: number) => yamlOf({ ...baseDevice(), id: `acme/d${i}`, name: `Acme Device ${i}` });
const messy = (i: number) => canonical(i).replace(`name: Acme Device ${i}\ncategory: plug`, `category: plug\nname: Acme Device ${i}`);

function deviceTree(dir: string, content: (i: number) => string): void {
  mkdirSync(join(dir, 'acme'), { recursive: true });
  writeFileSync(join(dir, 'acme/_vendor.yaml'), yamlOf(baseVendor(), 'vendor'));
  for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `acme/d${i}.yaml`), content(i));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the CLI, waits until `ready()` says it is midway, then kills it with SIGKILL. */
async function killMidway(args: string[], env: Record<string, string>, ready: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let caught = false;
  for (let i = 0; i < 6000 && child.exitCode === null; i++) {
    if (ready()) { child.kill('SIGKILL'); caught = true; break; }
    await sleep(5);
  }
  await exited;
  return caught;
}

describe('kill -9 and a full disk', () => {
  it('kill -9 during fix leaves every device file whole, old or new', { timeout: 600_000 }, async () => {
    const dir = join(work, 'fix');
    deviceTree(dir, messy);
    const changed = () => readdirSync(join(dir, 'acme')).some((f) => /^d\d+\.yaml$/.test(f) && readFileSync(join(dir, 'acme', f), 'utf8') !== messy(Number(f.slice(1, -5))));
    const caught = await killMidway(['fix', '--quiet'], { NETNEEDS_DEVICES: dir }, changed);
    let fixed = 0;
    for (let i = 0; i < FILES; i++) {
      const text = readFileSync(join(dir, `acme/d${i}.yaml`), 'utf8');
      expect([messy(i), canonical(i)], `d${i}.yaml`).toContain(text);
      if (text === canonical(i)) fixed++;
    }
    expect(caught, 'the kill landed while fix was writing').toBe(true);
    expect(fixed).toBeLessThan(FILES);
    // The next run finishes the job; a temporary file of the killed run is never read as data.
    const again = spawnSync(process.execPath, [BIN, 'fix', '--quiet'], { env: { ...process.env, NETNEEDS_DEVICES: dir }, encoding: 'utf8' });
    expect(again.status).toBe(0);
    for (let i = 0; i < FILES; i++) expect(readFileSync(join(dir, `acme/d${i}.yaml`), 'utf8')).toBe(canonical(i));
  });

  it('kill -9 during build leaves the previous output whole; the next build takes over the lock and cleans up', { timeout: 600_000 }, async () => {
    const dir = join(work, 'build-devices');
    deviceTree(dir, canonical);
    const out = join(work, 'out');
    const env = { NETNEEDS_DEVICES: dir };
    const first = spawnSync(process.execPath, [BIN, 'build', '--skip', 'site', '--out', out], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(first.stderr).toMatch(/built 200 devices/);
    const before = readFileSync(join(out, 'netneeds.json'), 'utf8');
    const listing = readdirSync(out).sort();
    const staging = () => readdirSync(work).some((f) => f.startsWith('.out.build-') && existsSync(join(work, f, 'netneeds.json')));
    const caught = await killMidway(['build', '--skip', 'site', '--out', out], env, staging);
    expect(caught, 'the kill landed while build was writing').toBe(true);
    expect(readdirSync(out).sort()).toEqual(listing);
    expect(readFileSync(join(out, 'netneeds.json'), 'utf8')).toBe(before);
    const again = spawnSync(process.execPath, [BIN, 'build', '--skip', 'site', '--out', out], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(readdirSync(work).filter((f) => f.startsWith('.out.') || f === 'out.lock')).toEqual([]);
  });

  it('a full disk (tmpfs under unshare -m) during fix and build: refused with a message, nothing half-written', { timeout: 600_000 }, () => {
    const probe = spawnSync('unshare', ['-m', 'true']);
    if (probe.status !== 0) return; // no mount namespaces here (not root): nothing to test
    const src = join(work, 'full-src');
    deviceTree(src, messy);
    const clean = join(work, 'full-clean');
    deviceTree(clean, canonical);
    const script = `
      set -u
      M=${JSON.stringify(join(work, 'mnt'))}
      mkdir -p "$M" && mount -t tmpfs -o size=1200k tmpfs "$M"
      cp -a ${JSON.stringify(src)} "$M/devices"
      # Fill the disk to the last block: no temporary file fits (a rename frees as much as the new file takes).
      dd if=/dev/zero of="$M/filler" bs=4096 2>/dev/null || true
      NETNEEDS_DEVICES="$M/devices" ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} fix --quiet > "$M/../fix.out" 2>&1; echo "fix=$?" > ${JSON.stringify(join(work, 'codes'))}
      cp -a "$M/devices" ${JSON.stringify(join(work, 'after-fix'))}
      rm -f "$M/filler"
      # A build that cannot fit: the output folder is bigger than what is left.
      head -c $(( $(df --output=avail -B1 "$M" | tail -1) - 65536 )) /dev/zero > "$M/filler" 2>/dev/null
      NETNEEDS_DEVICES=${JSON.stringify(clean)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} build --skip site --out "$M/dist" > ${JSON.stringify(join(work, 'build.out'))} 2>&1; echo "build=$?" >> ${JSON.stringify(join(work, 'codes'))}
      ls -A "$M" > ${JSON.stringify(join(work, 'after-build'))}
      umount "$M"
    `;
    const r = spawnSync('unshare', ['-m', 'bash', '-c', script], { encoding: 'utf8', timeout: 500_000 });
    expect(r.status, r.stderr).toBe(0);
    const codes = readFileSync(join(work, 'codes'), 'utf8');
    expect(codes).toMatch(/fix=1/);
    const fixOut = readFileSync(join(work, 'fix.out'), 'utf8');
    expect(fixOut.slice(-600)).toMatch(/no space left on the device/);
    let fixed = 0;
    for (let i = 0; i < FILES; i++) {
      const text = readFileSync(join(work, `after-fix/acme/d${i}.yaml`), 'utf8');
      expect([messy(i), canonical(i)], `d${i}.yaml`).toContain(text);
      if (text === canonical(i)) fixed++;
    }
    expect(fixed).toBeLessThan(FILES);
    expect(readdirSync(join(work, 'after-fix/acme')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(codes).toMatch(/build=1/);
    expect(readFileSync(join(work, 'build.out'), 'utf8').slice(-600)).toMatch(/no space left on the device/);
    expect(readFileSync(join(work, 'after-build'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['devices', 'filler']);
  });
});
