// The checkers must fail on broken files, or the all-devices proof would pass by construction.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDnsmasq, checkGrammar, checkIptables, checkMud, checkNft, checkOpenwrtNft, YANG_DIR } from './checkers.js';

const dir = mkdtempSync(join(tmpdir(), 'netneeds-checkers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => { const p = join(dir, name); writeFileSync(p, content); return p; };

describe('policy checkers', () => {
  it('nft -c accepts a table and names the file that breaks a batch', () => {
    const good = file('good.nft', 'table inet netneeds {\n  set s { type ipv4_addr; }\n  chain c {\n    ip daddr @s accept\n  }\n}\n');
    const bad = file('bad.nft', 'table inet netneeds {\n  chain c {\n    ip daddr @missing accept\n  }\n}\n');
    expect(checkNft([good, good]).failures).toEqual([]);
    const r = checkNft([good, bad, good]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toContain('bad.nft');
  });

  it('the fw4 include check refuses a table inside the include', () => {
    expect(checkOpenwrtNft([file('ok.openwrt.nft', 'set netneeds_s {\n  type ipv4_addr\n}\n')]).failures).toEqual([]);
    expect(checkOpenwrtNft([file('nested.openwrt.nft', 'table inet x {\n}\n')]).failures).toHaveLength(1);
  });

  it('iptables checks use the legacy backend, which refuses jumps to missing chains and missing ipsets', () => {
    const base = (name: string, ipset: string, rules: string) => {
      file(`${name}.ipset`, ipset);
      file(`${name}.iptables`, rules);
      file(`${name}.ip6tables`, '*filter\nCOMMIT\n');
      return join(dir, name);
    };
    const ok = base('ok', 'create s hash:ip family inet\n', '*filter\n:C - [0:0]\n-A C -m set --match-set s dst -j ACCEPT\nCOMMIT\n');
    const jump = base('jump', '', '*filter\n-A FORWARD -j MISSING\nCOMMIT\n');
    const set = base('set', '', '*filter\n-A FORWARD -m set --match-set nosuchset dst -j ACCEPT\nCOMMIT\n');
    expect(checkIptables([ok]).failures).toEqual([]);
    expect(checkIptables([jump, set]).failures).toHaveLength(2);
  });

  it('dnsmasq --test names the bad snippet in a batch', () => {
    const good = file('good.conf', 'nftset=/a.example.com/4#inet#netneeds#s\nipset=/b.example.com/s4,s6\naddress=/c.example.com/#\n');
    const bad = file('bad.conf', 'nftset=/a.example.com/\n"quoted"\n');
    expect(checkDnsmasq([good]).failures).toEqual([]);
    const r = checkDnsmasq([good, bad]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toContain('bad.conf');
  });

  it('check-mud passes an RFC example and fails a broken ACE name', () => {
    const example = readFileSync(join(YANG_DIR, '../data/mud/rfc-examples/mudmaker-cloud-service.json'), 'utf8');
    const good = file('good.json', example);
    const bad = file('bad.json', example.replace('"cl0-todev"', `"${'x'.repeat(65)}"`));
    expect(checkMud([good]).failures).toEqual([]);
    expect(checkMud([bad]).failures).toHaveLength(1);
  });

  it('the line grammars refuse anything but checked entries and plain comments', () => {
    expect(checkGrammar([file('a.hosts', '# ok\n0.0.0.0 ads.example.com\n')]).failures).toEqual([]);
    expect(checkGrammar([file('b.hosts', '0.0.0.0 ads.example.com evil\n')]).failures).toHaveLength(1);
    expect(checkGrammar([file('c.adguard.txt', '||a.example.com^$important\n')]).failures).toHaveLength(1);
    expect(checkGrammar([file('d.mikrotik.rsc', 'add list=x address=a.example.com comment=netneeds:0123abcd\n/system reboot\n')]).failures).toHaveLength(1);
    expect(checkGrammar([file('e-ports.txt', '443\n1000:2000\n70000\n')]).failures).toHaveLength(1);
  });
});
