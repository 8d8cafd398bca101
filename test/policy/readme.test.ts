// The README's Roborock example, run as written (output redirected to a temporary folder): IPv6 stays closed, NTP and
// Home Assistant's control port are allowed, and the command says what it refused and why.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/project.js';

const out = mkdtempSync(join(tmpdir(), 'netneeds-readme-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the README example', () => {
  it('locks the Roborock down as the README says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = /^npx netneeds policy (roborock\/s50=.*)$/m.exec(readme)![1]!;
    const args = line.split(/\s+/).map((a) => (a === 'netneeds/' ? out : a));
    expect(args).toContain('--unknown');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bin/netneeds.js'), 'policy', ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const nft = readFileSync(join(out, 'netneeds.nft'), 'utf8');
    expect(nft).toMatch(/ether saddr @d1_[0-9a-f]{8}_macl meta nfproto ipv6 jump d1_v6closed/);
    expect(nft).toMatch(/ip6 daddr @d1_[0-9a-f]{8}_seen6 jump d1_v6closed/);
    expect(nft).toContain('ip daddr != @lan4 udp dport 123 counter name d1_allowed return');
    expect(nft).toContain('ct original ip saddr @ha4 meta l4proto udp ct original proto-dst 54321 counter name d1_allowed return');
    expect(nft).toMatch(/elements = \{ 192\.168\.1\.10 \}/);
    expect(nft.trimEnd().split('\n').filter((l) => l.startsWith('#')).pop()).toMatch(/conntrack -D -s 192\.168\.1\.50; conntrack -D -d 192\.168\.1\.50/);
    expect(r.stderr).toContain('IPv6: closed in both directions');
    expect(r.stderr).toContain('NTP: allowed to any time server');
    expect(r.stderr).toContain('Home Assistant: may reach the device on udp 54321 (miio)');
    expect(r.stderr).toMatch(/refused:\n {4}18\.194\.236\.76 tcp 443 \(https\): nobody has tested whether it is needed \(--unknown deny\)\n {6}evidence ha-community-49579 \(firewall-log\): https:\/\/community\.home-assistant\.io\//);
    expect(r.stderr).toContain('52.29.158.79 tcp 443 (https)');
  });
});
