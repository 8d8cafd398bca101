// The checkers must fail on broken files, or the all-devices proof would pass by construction.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDnsmasq, checkGrammar, checkIptables, checkMud, checkNft, checkOpenwrtNft, checkOpnsenseAliases, checkPfsenseAliases, checkPiholeSql, YANG_DIR } from './checkers.js';
import { opnsenseAliasJson, pfsenseAliasXml } from '../../scripts/policy/formats/opnsense.js';

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
  it('the alias import checkers accept what the generator writes and refuse bad names, types and entries', () => {
    const good = [{ name: 'netneeds_d1', type: 'network' as const, content: ['192.168.1.50', '2001:db8::/64'], description: 'NetNeeds d1 addresses' }, { name: 'netneeds_d1_s1_ports', type: 'port' as const, content: ['443', '1000:2000'], description: 'ports' }];
    expect(checkOpnsenseAliases([file('ok.opnsense-aliases.json', opnsenseAliasJson(good))]).failures).toEqual([]);
    expect(checkPfsenseAliases([file('ok.pfsense-aliases.xml', pfsenseAliasXml(good))]).failures).toEqual([]);
    for (const bad of [{ ...good[0]!, name: 'd1-s1-hosts' }, { ...good[0]!, content: ['192.168.1.50; rm'] }, { ...good[1]!, content: ['70000'] }]) {
      expect(checkOpnsenseAliases([file('bad.opnsense-aliases.json', opnsenseAliasJson([bad]))]).failures).toHaveLength(1);
      expect(checkPfsenseAliases([file('bad.pfsense-aliases.xml', pfsenseAliasXml([bad]))]).failures).toHaveLength(1);
    }
    expect(checkPfsenseAliases([file('nested.pfsense-aliases.xml', '<?xml version="1.0"?>\n<aliases>\n  <alias><name>x</name></alias>\n</aliases>\n')]).failures).toHaveLength(1);
  });

  it('the Pi-hole checker runs the statements in sqlite3 and refuses entries left in the Default group or unknown statements', () => {
    const ok = "BEGIN TRANSACTION;\nINSERT OR IGNORE INTO \"group\" (enabled, name, description) VALUES (1, 'netneeds_d1', 'x');\nINSERT OR IGNORE INTO domainlist (type, domain, enabled, comment) VALUES (1, 'a.example.com', 1, 'NetNeeds d1');\nDELETE FROM domainlist_by_group WHERE group_id = 0 AND domainlist_id IN (SELECT id FROM domainlist WHERE comment LIKE 'NetNeeds d%');\nCOMMIT;\n";
    expect(checkPiholeSql([file('ok.pihole.sql', ok)]).failures).toEqual([]);
    expect(checkPiholeSql([file('left.pihole.sql', ok.replace(/DELETE[^\n]*\n/, ''))]).failures).toHaveLength(1);
    expect(checkPiholeSql([file('drop.pihole.sql', `${ok}DROP TABLE client;\n`)]).failures.length).toBeGreaterThan(0);
    expect(checkPiholeSql([file('syntax.pihole.sql', ok.replace('VALUES (1, \'a', 'VALUES (1 \'a'))]).failures.length).toBeGreaterThan(0);
  });

  it('the per-client AdGuard grammar takes $client addresses only', () => {
    expect(checkGrammar([file('a.adguard-clients.txt', "! ok\n||a.example.com^$client=192.168.1.50|'2001:db8::5'\n||b.example.com^\n")]).failures).toEqual([]);
    expect(checkGrammar([file('b.adguard-clients.txt', '||a.example.com^$client=evil.example.com\n')]).failures).toHaveLength(1);
    expect(checkGrammar([file('c.adguard-clients.txt', '||a.example.com^$important\n')]).failures).toHaveLength(1);
  });
});
