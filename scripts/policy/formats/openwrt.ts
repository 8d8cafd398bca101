// OpenWrt 22.03+ (fw4): the same table inet netneeds as the nftables format, included at ruleset level so that
// `fw4 reload`, which rebuilds only table inet fw4, leaves its sets (and the addresses dnsmasq put there) alone.
import { header, type Format } from './format.js';
import { dnsmasqNftset, nftNotes, nftScript } from './nftables.js';

export const openwrtFormat: Format = {
  name: 'openwrt',
  summary: 'OpenWrt 22.03+ fw4: an nft file for a ruleset-level fw4 include and dnsmasq nftset lines',
  render(policy) {
    const usage = [
      '',
      'OpenWrt 22.03 or later (firewall4). Copy this file to /etc/netneeds.nft and add to /etc/config/firewall:',
      "  config include 'netneeds'",
      "    option type 'nftables'",
      "    option path '/etc/netneeds.nft'",
      "    option position 'ruleset-post'",
      'then run: fw4 reload. It is its own table (inet netneeds) hooked just before fw4: it refuses what the policy',
      'does not allow, and what it lets through still passes your zone rules. A reload keeps the resolved addresses.',
      'Append the .openwrt-dnsmasq.conf lines to /etc/dnsmasq.conf and run: /etc/init.d/dnsmasq restart (the',
      'dnsmasq-full package has nftset support; the default dnsmasq does not). Devices must use the router for DNS.',
      ...nftNotes(policy),
    ];
    const include = `${header(policy, '#', usage)}\n${nftScript(policy)}`;
    const dnsmasq = header(policy, '#', ['', 'dnsmasq lines for the OpenWrt include (table inet netneeds).']) + dnsmasqNftset(policy);
    return [{ name: 'openwrt.nft', content: include }, { name: 'openwrt-dnsmasq.conf', content: dnsmasq }];
  },
};
