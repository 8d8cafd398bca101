// Formats that cannot learn a MAC from IPv4 traffic cannot close a device's IPv6; the command must say so, not
// print "closed" and leave IPv6 open. And `--format all --out` writes every file, the OPNsense folder included.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'scripts/bin/netneeds.js');
const policy = (...args: string[]) => spawnSync(process.execPath, [BIN, 'policy', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('IPv6 of a device given by IPv4 only', () => {
  it('is a warning for iptables, MikroTik and OPNsense, and none for nftables', () => {
    const blind = policy('roborock/s50=192.168.1.50', '--format', 'mikrotik', '--format', 'iptables', '--format', 'opnsense');
    expect(blind.status).toBe(0);
    for (const f of ['mikrotik', 'iptables', 'opnsense']) expect(blind.stderr).toContain(`warning: ${f} cannot close IPv6 for roborock/s50, given by IPv4 only`);
    const nft = policy('roborock/s50=192.168.1.50', '--format', 'nftables');
    expect(nft.stderr).not.toContain('cannot close IPv6');
    expect(nft.stderr).toContain('IPv6: closed in both directions by the nftables and OpenWrt rules');
  });

  it('is no warning once the MAC is given', () => {
    const r = policy('roborock/s50=192.168.1.50,aa:bb:cc:dd:ee:ff', '--format', 'mikrotik');
    expect(r.stderr).not.toContain('cannot close IPv6');
  });

  it('--format all --out writes every file, those in sub-folders too', () => {
    const out = mkdtempSync(join(tmpdir(), 'netneeds-all-'));
    try {
      const r = policy('roborock/s50=192.168.1.50', '--format', 'all', '--out', out);
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['netneeds.nft', 'netneeds.mikrotik.rsc', 'netneeds.mud.json', 'netneeds.opnsense-aliases.json', 'netneeds.opnsense/README.txt']) expect(existsSync(join(out, f)), f).toBe(true);
    } finally { rmSync(out, { recursive: true, force: true }); }
  });
});
