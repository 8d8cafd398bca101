import { describe, expect, it } from 'vitest';
import { checkHostname, formatPortRange, isFinding, parseAddress, parsePortItem, specialRange, type ParsedAddress } from './net.js';

describe('checkHostname', () => {
  it('accepts lower-case FQDNs, a leftmost wildcard and valid punycode', () => {
    for (const h of ['a.example.com', '*.example.com', 'xn--bcher-kva.example', `${'a'.repeat(63)}.example.com`]) expect(checkHostname(h), h).toBeNull();
  });

  it('refuses what cannot go into a firewall or DNS config verbatim', () => {
    const bad = ['', 'a b.example.com', 'a\n.example.com', 'a;rm -rf.example.com', 'a.example.com.', '*.*.example.com', 'a*.example.com',
      'com', '*.com', '1.2.3.4', `${'a'.repeat(64)}.example.com`, `${'a.'.repeat(127)}com`, 'xn--zz.example.com', 'a..example.com', "a'.example.com"];
    for (const h of bad) expect(checkHostname(h), JSON.stringify(h)).not.toBeNull();
  });

  it('quotes hostile names in its message', () => {
    expect(checkHostname('a\u001b[2J.example.com')!.message).toContain('\\u001b');
  });
});

describe('parseAddress', () => {
  const ok = (t: string) => { const p = parseAddress(t); expect(isFinding(p), t).toBe(false); return p as ParsedAddress; };

  it('parses canonical IPv4, IPv6 and blocks', () => {
    expect(ok('9.9.9.9')).toMatchObject({ version: 4, prefix: null, canonical: '9.9.9.9' });
    expect(ok('2606:4700::1111')).toMatchObject({ version: 6, prefix: null });
    expect(ok('10.0.0.0/8')).toMatchObject({ version: 4, prefix: 8 });
    expect(ok('::/0')).toMatchObject({ version: 6, prefix: 0 });
  });

  it('refuses non-canonical and ambiguous forms', () => {
    for (const t of ['010.0.0.1', '1.2.3', '0x7f.0.0.1', '1.2.3.4/', '1.2.3.4/01', '1.2.3.4/33', '::1/129', '2001:DB8::1', '2001:db8:0:0::1', 'fe80::1%eth0', '::ffff:1.2.3.4', '1.2.3.4/32', ' 1.2.3.4']) {
      expect(isFinding(parseAddress(t)), t).toBe(true);
    }
  });
});

describe('specialRange', () => {
  const range = (t: string) => specialRange(parseAddress(t) as ParsedAddress);
  it('names special-use ranges and passes global unicast', () => {
    expect(range('9.9.9.9')).toBeNull();
    expect(range('192.168.0.0/16')).toBe('private');
    expect(range('198.51.100.7')).toBe('documentation');
    expect(range('3fff::1')).toBe('documentation');
    expect(range('ff02::fb')).toBe('multicast');
    expect(range('198.18.0.1')).not.toBeNull();
  });
});

describe('ports', () => {
  it('reads numbers and "low-high" strings only', () => {
    expect(parsePortItem(443)).toEqual({ from: 443, to: 443 });
    expect(parsePortItem('1000-2000')).toEqual({ from: 1000, to: 2000 });
    for (const x of [443.5, '443', '1000-', '-1', '1-2-3', null, true]) expect(parsePortItem(x), String(x)).toBeNull();
    expect(formatPortRange({ from: 5, to: 5 })).toBe('5');
    expect(formatPortRange({ from: 5, to: 9 })).toBe('5-9');
  });
});
