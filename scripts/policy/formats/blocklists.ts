// DNS blocklists of the wants: names every selected function does without. A resolver applies a plain list to every
// client, so: shared infrastructure never goes in, a want is left out when blocking it (with the names below it) would
// hit a name the policy allows, and where the blocker can scope a rule to a client (AdGuard Home's $client, Pi-hole
// groups) the rules are scoped to the devices' addresses.
import { parents, type DevicePlan, type Policy } from '../plan.js';
import { oncePer } from '../../lib/memo.js';
import { isShared } from '../../lib/shared-infrastructure.js';
import { header, type Format } from './format.js';

export interface Blocklist { hosts: string[]; domains: string[] }

/** Whether a want may be blocked: built once per policy, each allowed name marking itself and its parents. */
const blockable = oncePer((policy: Policy): ((name: string, asDomain: boolean) => boolean) => {
  // Blocking a name blocks everything below it: a want that is an allowed name or above one must stay resolvable,
  // and so must a want below an allowed wildcard domain.
  const atOrAboveAllowed = new Set<string>();
  const allowedDomains = new Set<string>();
  for (const d of policy.devices) {
    for (const a of d.allow) {
      for (const name of [...a.to.hosts, ...a.to.domains]) {
        if (atOrAboveAllowed.has(name)) continue;
        atOrAboveAllowed.add(name);
        for (const p of parents(name)) atOrAboveAllowed.add(p);
      }
      for (const name of a.to.domains) allowedDomains.add(name);
    }
  }
  const belowAllowedDomain = (name: string) => allowedDomains.has(name) || parents(name).some((p) => allowedDomains.has(p));
  return (name: string, asDomain: boolean) => !atOrAboveAllowed.has(name) && !belowAllowedDomain(name) && !isShared(name, asDomain);
});

/**
 * The names to block for some devices: their wants, minus shared infrastructure and anything an allowed name would
 * lose. Linear in the names and their labels.
 */
export function blocklist(policy: Policy, devices: readonly DevicePlan[] = policy.devices): Blocklist {
  const keep = blockable(policy);
  const hosts = new Set<string>();
  const domains = new Set<string>();
  for (const d of devices) {
    for (const h of d.wants.hosts) if (!hosts.has(h) && keep(h, false)) hosts.add(h);
    for (const w of d.wants.domains) if (!domains.has(w) && keep(w, true)) domains.add(w);
  }
  return { hosts: [...hosts].sort(), domains: [...domains].sort() };
}

/** The four household-wide list syntaxes; hosts and plain-domain lists match names exactly, so they cannot hold wildcards. */
export const BLOCKLIST_SYNTAX = {
  'blocklist.hosts': { comment: '#', line: (n: string) => `0.0.0.0 ${n}`, wildcards: false },
  'blocklist.domains.txt': { comment: '#', line: (n: string) => n, wildcards: false },
  'blocklist.adguard.txt': { comment: '!', line: (n: string) => `||${n}^`, wildcards: true },
  'blocklist.dnsmasq.conf': { comment: '#', line: (n: string) => `address=/${n}/#`, wildcards: true },
} as const;

const clientsOf = (d: DevicePlan) => [...d.sources.v4, ...d.sources.v6];

/** AdGuard Home rules, each scoped with $client to the addresses of the devices that do without the name. */
function adguardLines(policy: Policy): string[] {
  const scoped = policy.devices.filter((d) => clientsOf(d).length);
  const wide = policy.devices.filter((d) => !clientsOf(d).length);
  const byName = new Map<string, Set<string>>();
  for (const d of scoped) {
    const list = blocklist(policy, [d]);
    for (const n of [...list.hosts, ...list.domains]) {
      const clients = byName.get(n) ?? new Set<string>();
      for (const c of clientsOf(d)) clients.add(c);
      byName.set(n, clients);
    }
  }
  const lines = [...byName.keys()].sort().map((n) => `||${n}^$client=${[...byName.get(n)!].sort().map((c) => (c.includes(':') ? `'${c}'` : c)).join('|')}`);
  if (wide.length) {
    const list = blocklist(policy, wide);
    lines.push(...[...new Set([...list.hosts, ...list.domains])].sort().map((n) => `||${n}^`));
  }
  return lines;
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Rows of one INSERT: SQLite takes any number, but a few hundred per statement keeps each one small to parse. */
const SQL_ROWS_PER_INSERT = 500;

function insertRows(table: string, columns: string, rows: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += SQL_ROWS_PER_INSERT) {
    const part = rows.slice(i, i + SQL_ROWS_PER_INSERT);
    out.push(`INSERT INTO ${table} (${columns}) VALUES`, ...part.map((r, k) => `${r}${k === part.length - 1 ? ';' : ','}`));
  }
  return out;
}

/**
 * Pi-hole v5/v6 gravity database statements: one group per device holding its addresses as clients and its wants as
 * deny entries, taken out of the Default group so that other clients are not affected; the group's description,
 * which Pi-hole's group page shows, names the device. Devices, clients and entries are listed once, as rows of
 * temporary tables, and copied into the gravity tables by a few set-based statements: a list for thousands of devices
 * stays a fraction of the size of one statement pair per entry.
 */
function piholeSql(policy: Policy): string {
  const devices: string[] = [];
  const clients: string[] = [];
  const entries: string[] = [];
  for (const d of policy.devices) {
    devices.push(`(${sqlText(d.tag)}, ${sqlText(d.id)})`);
    for (const c of clientsOf(d)) clients.push(`(${sqlText(d.tag)}, ${sqlText(c)})`);
    const list = blocklist(policy, [d]);
    for (const h of list.hosts) entries.push(`(${sqlText(d.tag)}, 1, ${sqlText(h)})`);
    for (const w of list.domains) entries.push(`(${sqlText(d.tag)}, 3, ${sqlText(`(^|\\.)${w.replace(/\./g, '\\.')}$`)})`);
  }
  return [
    'BEGIN TRANSACTION;',
    'CREATE TEMP TABLE netneeds_device (tag TEXT NOT NULL, device TEXT NOT NULL);',
    'CREATE TEMP TABLE netneeds_client (tag TEXT NOT NULL, ip TEXT NOT NULL);',
    'CREATE TEMP TABLE netneeds_entry (tag TEXT NOT NULL, type INTEGER NOT NULL, domain TEXT NOT NULL);',
    ...insertRows('temp.netneeds_device', 'tag, device', devices),
    ...insertRows('temp.netneeds_client', 'tag, ip', clients),
    ...insertRows('temp.netneeds_entry', 'tag, type, domain', entries),
    // Row order decides which device's comment an entry shared by several devices keeps: the first, as listed.
    `INSERT OR IGNORE INTO "group" (enabled, name, description) SELECT 1, 'netneeds_' || tag, 'NetNeeds ' || tag || ': ' || device FROM temp.netneeds_device ORDER BY rowid;`,
    `INSERT OR IGNORE INTO client (ip, comment) SELECT ip, 'NetNeeds ' || tag FROM temp.netneeds_client ORDER BY rowid;`,
    `INSERT OR IGNORE INTO client_by_group (client_id, group_id) SELECT c.id, g.id FROM temp.netneeds_client n JOIN client c ON c.ip = n.ip JOIN "group" g ON g.name = 'netneeds_' || n.tag ORDER BY n.rowid;`,
    `INSERT OR IGNORE INTO domainlist (type, domain, enabled, comment) SELECT type, domain, 1, 'NetNeeds ' || tag FROM temp.netneeds_entry ORDER BY rowid;`,
    `INSERT OR IGNORE INTO domainlist_by_group (domainlist_id, group_id) SELECT d.id, g.id FROM temp.netneeds_entry n JOIN domainlist d ON d.type = n.type AND d.domain = n.domain JOIN "group" g ON g.name = 'netneeds_' || n.tag ORDER BY n.rowid;`,
    `DELETE FROM domainlist_by_group WHERE group_id = 0 AND domainlist_id IN (SELECT id FROM domainlist WHERE comment LIKE 'NetNeeds d%');`,
    'DROP TABLE temp.netneeds_device;',
    'DROP TABLE temp.netneeds_client;',
    'DROP TABLE temp.netneeds_entry;',
    'COMMIT;',
  ].join('\n') + '\n';
}

/**
 * `devicesLine` replaces the header's line per device: a household list over the whole dataset says which devices it
 * covers in one line (each Pi-hole group's description names its device).
 */
export function renderBlocklists(policy: Policy, list: Blocklist = blocklist(policy), devicesLine?: string) {
  const plain = Object.entries(BLOCKLIST_SYNTAX).map(([name, syntax]) => {
    const names = syntax.wildcards ? [...new Set([...list.hosts, ...list.domains])].sort() : list.hosts;
    const usage = [
      '',
      'Names the devices above do not need for the functions kept working, by the evidence the trust level admits.',
      syntax.wildcards ? 'Each entry also blocks the names below it.' : `Exact names only; ${list.domains.length} wildcard entries are in the AdGuard and dnsmasq lists.`,
      'This list applies to every client of the resolver. Shared infrastructure (push, CDNs, cloud storage, video) is',
      'never listed; prefer the per-client AdGuard Home list or the Pi-hole groups when you can.',
    ];
    return { name, content: header(policy, syntax.comment, usage, devicesLine) + names.map((n) => syntax.line(n) + '\n').join('') };
  });
  const adguardUsage = ['', 'AdGuard Home custom filtering rules, scoped with $client to the devices\' addresses (rules of devices', 'given without an address apply to every client). Shared infrastructure is never listed.'];
  const piholeUsage = ['', 'Pi-hole groups: sqlite3 /etc/pihole/gravity.db < <this file>, then pihole reloadlists (v6) or', 'pihole restartdns reload-lists (v5). Each device gets a group netneeds_<tag> with its addresses and its entries.'];
  return [
    ...plain,
    { name: 'blocklist.adguard-clients.txt', content: header(policy, '!', adguardUsage, devicesLine) + adguardLines(policy).map((l) => l + '\n').join('') },
    { name: 'blocklist.pihole.sql', content: header(policy, '--', piholeUsage, devicesLine) + piholeSql(policy) },
  ];
}

export const blocklistFormat: Format = {
  name: 'blocklist',
  summary: 'DNS blocklists of the wants: per-client AdGuard Home rules and Pi-hole groups, and household-wide hosts, domain, AdGuard and dnsmasq lists without shared infrastructure',
  render: (policy) => renderBlocklists(policy),
};
