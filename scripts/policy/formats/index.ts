import type { Format } from './format.js';
import { nftablesFormat } from './nftables.js';
import { iptablesFormat } from './iptables.js';
import { openwrtFormat } from './openwrt.js';
import { opnsenseFormat } from './opnsense.js';
import { mikrotikFormat } from './mikrotik.js';
import { blocklistFormat } from './blocklists.js';
import { mudFormat } from './mud.js';

export const FORMATS: readonly Format[] = [nftablesFormat, iptablesFormat, openwrtFormat, opnsenseFormat, mikrotikFormat, blocklistFormat, mudFormat];

export function formatByName(name: string): Format | undefined {
  return FORMATS.find((f) => f.name === name);
}
