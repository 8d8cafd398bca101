// DNS blocklists of the wants: names every selected function does without. Pi-hole and AdGuard Home subscribe to
// them by URL. A want is left out when blocking it (with the names below it) would hit a name the policy allows.
import type { Policy } from '../plan.js';
import { header, type Format } from './format.js';

export interface Blocklist { hosts: string[]; domains: string[] }

const covers = (blocked: string, name: string) => name === blocked || name.endsWith(`.${blocked}`);

/** The names to block for a policy: every device's wants, minus anything an allowed name would lose. */
export function blocklist(policy: Policy): Blocklist {
  const allowed = policy.devices.flatMap((d) => d.allow.flatMap((a) => [...a.to.hosts, ...a.to.domains]));
  const keep = (name: string) => !allowed.some((a) => covers(name, a));
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  const domains = uniq(policy.devices.flatMap((d) => d.wants.domains)).filter(keep);
  const hosts = uniq(policy.devices.flatMap((d) => d.wants.hosts)).filter(keep);
  return { hosts, domains };
}

/** The four list syntaxes; hosts and plain-domain lists match names exactly, so they cannot hold wildcards. */
export const BLOCKLIST_SYNTAX = {
  'blocklist.hosts': { comment: '#', line: (n: string) => `0.0.0.0 ${n}`, wildcards: false },
  'blocklist.domains.txt': { comment: '#', line: (n: string) => n, wildcards: false },
  'blocklist.adguard.txt': { comment: '!', line: (n: string) => `||${n}^`, wildcards: true },
  'blocklist.dnsmasq.conf': { comment: '#', line: (n: string) => `address=/${n}/#`, wildcards: true },
} as const;

export function renderBlocklists(policy: Policy, list: Blocklist = blocklist(policy)) {
  return Object.entries(BLOCKLIST_SYNTAX).map(([name, syntax]) => {
    const names = syntax.wildcards ? [...new Set([...list.hosts, ...list.domains])].sort() : list.hosts;
    const usage = [
      '',
      'Names the devices above do not need for the functions kept working (tested or documented as not required).',
      syntax.wildcards ? 'Each entry also blocks the names below it.' : `Exact names only; ${list.domains.length} wildcard entries are in the AdGuard and dnsmasq lists.`,
      'DNS blocking affects every client of this resolver: check the list against your other devices.',
    ];
    return { name, content: header(policy, syntax.comment, usage) + names.map((n) => syntax.line(n) + '\n').join('') };
  });
}

export const blocklistFormat: Format = {
  name: 'blocklist',
  summary: 'DNS blocklists of the wants, in hosts, plain-domain, AdGuard Home (||host^) and dnsmasq syntax',
  render: (policy) => renderBlocklists(policy),
};
