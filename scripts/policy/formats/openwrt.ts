// OpenWrt 22.03+ (fw4): an include for /etc/nftables.d/, which fw4 reads inside its own `table inet fw4`,
// so sets and chains carry a netneeds_ prefix; dnsmasq fills the sets through nftset lines.
import { usesController } from '../plan.js';
import { header, type Format } from './format.js';
import { dnsmasqNftset, nftBody, type NftNames } from './nftables.js';

const FW4: NftNames = { prefix: 'netneeds_', table: { family: 'inet', name: 'fw4' } };

export const openwrtFormat: Format = {
  name: 'openwrt',
  summary: 'OpenWrt 22.03+ fw4: an nft include for /etc/nftables.d/ and dnsmasq nftset lines',
  render(policy) {
    const usage = [
      '',
      'OpenWrt 22.03 or later (firewall4). Copy this file to /etc/nftables.d/netneeds.nft (fw4 includes it inside',
      'table inet fw4) and run: fw4 reload. Its chain hooks forward just before fw4 and refuses what the policy does not',
      'allow; what it accepts still passes your zone rules. Append the .openwrt-dnsmasq.conf lines to /etc/dnsmasq.conf',
      'and run: /etc/init.d/dnsmasq restart (the dnsmasq-full package has nftset support; the default dnsmasq does not).',
      'Devices must use the router for DNS. Device addresses: nft add element inet fw4 netneeds_d1_src4 \'{ 192.168.1.50 }\'',
      ...(policy.devices.some(usesController) ? ['Home Assistant: nft add element inet fw4 netneeds_ctl4 \'{ 192.168.1.10 }\''] : []),
      'Counters: nft list counters table inet fw4',
    ];
    const include = `${header(policy, '#', usage)}\n${nftBody(policy, FW4).replace(/^ {2}/gm, '')}\n`;
    const dnsmasq = header(policy, '#', ['', 'dnsmasq lines for the OpenWrt fw4 include (table inet fw4).']) + dnsmasqNftset(policy, FW4);
    return [{ name: 'openwrt.nft', content: include }, { name: 'openwrt-dnsmasq.conf', content: dnsmasq }];
  },
};
