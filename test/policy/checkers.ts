// Runs the real tools over generated policy files, batched: one shell per tool and batch, in a fresh network
// namespace where the tool touches kernel state. Formats without a tool are held to a strict line grammar.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHostname, isFinding, parseAddress } from '../../scripts/lib/net.js';

export const YANG_DIR = fileURLToPath(new URL('../../../shared/yang/', import.meta.url));

export interface CheckResult { checked: number; failures: string[] }

/** Runs a shell loop over files; the loop prints `FAIL <file>: <reason>` lines for failures. */
function loop(prefix: string[], script: string, files: string[], input?: string): CheckResult {
  if (files.length === 0) return { checked: 0, failures: [] };
  const r = spawnSync(prefix[0]!, [...prefix.slice(1), 'bash', '-c', script, 'check', ...files], { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  const failures = r.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
  if (r.status !== 0 && failures.length === 0) failures.push(`FAIL (checker exited ${r.status}): ${r.stderr.slice(0, 2000)}`);
  return { checked: files.length, failures };
}

/** nft reads a batch of includes as one transaction; a failing batch is re-checked file by file to name the file. */
const NFT_BATCH = 8;
const NFT_LOOP = [
  't=$(mktemp -d); trap \'rm -rf "$t"\' EXIT',
  'wrap() { if [ "$MODE" = fw4 ]; then i=0; for f in "$@"; do i=$((i+1)); printf \'table inet fw4_%s {\\n  include "%s"\\n}\\n\' "$i" "$f"; done;',
  '         else for f in "$@"; do printf \'include "%s"\\n\' "$f"; done; fi; }',
  'check() { wrap "$@" > "$t/batch.nft"; nft -c -f "$t/batch.nft" 2>&1; }',
  'while [ $# -gt 0 ]; do',
  `  batch=(); for _ in $(seq 1 ${NFT_BATCH}); do [ $# -gt 0 ] || break; batch+=("$1"); shift; done`,
  '  if ! check "${batch[@]}" >/dev/null; then',
  '    for f in "${batch[@]}"; do out=$(check "$f") || echo "FAIL $f: ${out//$\'\\n\'/ | }"; done',
  '  fi',
  'done',
].join('\n');

/** `nft -c -f` for standalone tables, inside a new user and network namespace. */
export function checkNft(files: string[]): CheckResult {
  return loop(['unshare', '-rn', 'env', 'MODE=table'], NFT_LOOP, files);
}

/** OpenWrt includes go inside fw4's table, as /etc/nftables.d/*.nft do on the router. */
export function checkOpenwrtNft(files: string[]): CheckResult {
  return loop(['unshare', '-rn', 'env', 'MODE=fw4'], NFT_LOOP, files);
}

/**
 * ipset restore, then iptables-restore --test for IPv4 and IPv6 with both the legacy backend (which refuses jumps
 * to missing chains) and the nft backend. Files come as <base> and are read as <base>.ipset, .iptables, .ip6tables.
 */
export function checkIptables(bases: string[]): CheckResult {
  return loop(['unshare', '-n'], [
    'for b in "$@"; do',
    '  ipset destroy 2>/dev/null',
    '  out=$( { ipset restore < "$b.ipset" && iptables-legacy-restore --test < "$b.iptables" && iptables-restore --test < "$b.iptables" \\',
    '    && ip6tables-legacy-restore --test < "$b.ip6tables" && ip6tables-restore --test < "$b.ip6tables"; } 2>&1) || echo "FAIL $b: ${out//$\'\\n\'/ | }"',
    'done',
  ].join('\n'), bases);
}

/** dnsmasq --test with only the snippet as configuration (no system files read). */
export function checkDnsmasq(files: string[]): CheckResult {
  const result: CheckResult = { checked: files.length, failures: [] };
  for (let i = 0; i < files.length; i += 100) {
    const batch = files.slice(i, i + 100);
    const r = spawnSync('dnsmasq', ['--test', ...batch.map((f) => `--conf-file=${f}`)], { encoding: 'utf8' });
    if (r.status === 0) continue;
    result.failures.push(...loop(['env'], 'for f in "$@"; do out=$(dnsmasq --test --conf-file="$f" 2>&1) || echo "FAIL $f: $out"; done', batch).failures);
  }
  return result;
}

/** yanglint against the RFC 8520 modules, through ../shared/yang/check-mud (mud container and version too). */
export function checkMud(files: string[]): CheckResult {
  const result: CheckResult = { checked: 0, failures: [] };
  for (let i = 0; i < files.length; i += 200) {
    const batch = files.slice(i, i + 200);
    const r = spawnSync(`${YANG_DIR}check-mud`, batch, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    const passed = r.stdout.split('\n').filter((l) => l.startsWith('PASS ')).length;
    result.failures.push(...r.stdout.split('\n').filter((l) => l.startsWith('FAIL ')));
    if (passed + result.failures.length < batch.length && r.status !== 0) result.failures.push(`FAIL check-mud: ${r.stderr}`);
    result.checked += batch.length;
  }
  return result;
}

const isHost = (s: string) => checkHostname(s) === null && !s.startsWith('*.');
const isAddress = (s: string) => !isFinding(parseAddress(s));
const isPort = (s: string) => /^[0-9]{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;

/** Line grammars for formats no tool here can parse: every line is a comment or a fully checked entry. */
const GRAMMARS: { test: RegExp; comment: RegExp; line: (l: string) => boolean }[] = [
  { test: /\.opnsense\/README\.txt$/, comment: /^#( [\x20-\x7e]*)?$/, line: () => false },
  { test: /_hosts\.txt$/, comment: /^$/, line: (l) => isHost(l) || isAddress(l) },
  { test: /_addresses\.txt$/, comment: /^$/, line: isAddress },
  { test: /_ports\.txt$/, comment: /^$/, line: (l) => l.split(':').length <= 2 && l.split(':').every(isPort) },
  { test: /\.hosts$/, comment: /^#( [\x20-\x7e]*)?$/, line: (l) => l.startsWith('0.0.0.0 ') && isHost(l.slice(8)) },
  { test: /\.domains\.txt$/, comment: /^#( [\x20-\x7e]*)?$/, line: isHost },
  {
    test: /\.adguard-clients\.txt$/,
    comment: /^!( [\x20-\x7e]*)?$/,
    line: (l) => {
      const m = /^\|\|([^|^$]+)\^(?:\$client=([^$]+))?$/.exec(l);
      return !!m && isHost(m[1]!) && (!m[2] || m[2].split('|').every((c) => (c.includes(':') ? /^'[^']+'$/.test(c) && isAddress(c.slice(1, -1)) : isAddress(c))));
    },
  },
  { test: /\.adguard\.txt$/, comment: /^!( [\x20-\x7e]*)?$/, line: (l) => /^\|\|[^|^]+\^$/.test(l) && isHost(l.slice(2, -1)) },
  {
    test: /\.rsc$/,
    comment: /^#( [\x20-\x7e]*)?$/,
    line: (l) => /^\/ip(v6)? firewall (filter|address-list|nat)$/.test(l) ||
      /^\/ip(v6)? firewall (filter|nat) move \[find where comment="netneeds:[0-9a-f]{8}"( && chain="forward")?\] destination=0$/.test(l) ||
      /^\/ip(v6)? firewall (filter|nat|address-list) remove \[find where comment~"\^netneeds" && comment!="netneeds:[0-9a-f]{8}"\]$/.test(l) ||
      (/^add( [a-z-]+=!?[A-Za-z0-9.:/,_-]+)+ comment=netneeds:[0-9a-f]{8}$/.test(l) && l.split(' ').filter((w) => w.startsWith('address=')).every((w) => isHost(w.slice(8)) || isAddress(w.slice(8)))),
  },
];

const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
const aliasEntry = (type: string, entry: string) => (type === 'port' ? entry.split(':').length <= 2 && entry.split(':').every(isPort) : isAddress(entry) || (type === 'host' && isHost(entry)));

/** OPNsense's alias import JSON: {"aliases": {"alias": {<uuid>: {...}}}} with valid names and checked entries. */
export function checkOpnsenseAliases(files: string[]): CheckResult {
  const failures: string[] = [];
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const f of files) {
    try {
      const doc = JSON.parse(readFileSync(f, 'utf8')) as { aliases?: { alias?: Record<string, Record<string, unknown>> } };
      const entries = Object.entries(doc.aliases?.alias ?? {});
      if (!doc.aliases?.alias || Object.keys(doc).length !== 1) { failures.push(`FAIL ${f}: not {"aliases": {"alias": {...}}}`); continue; }
      for (const [id, a] of entries) {
        const keys = Object.keys(a).sort().join(',');
        if (!UUID.test(id)) failures.push(`FAIL ${f}: alias key ${id} is not a UUID`);
        if (keys !== 'categories,content,counters,description,enabled,name,proto,type,updatefreq') failures.push(`FAIL ${f}: alias ${id} has fields ${keys}`);
        if (typeof a.name !== 'string' || !ALIAS_NAME.test(a.name)) failures.push(`FAIL ${f}: alias name ${JSON.stringify(a.name)}`);
        if (!['host', 'network', 'port'].includes(a.type as string)) failures.push(`FAIL ${f}: alias type ${JSON.stringify(a.type)}`);
        if (typeof a.description !== 'string' || !/^[\x20-\x7e]*$/.test(a.description)) failures.push(`FAIL ${f}: description ${JSON.stringify(a.description)}`);
        const content = typeof a.content === 'string' ? (a.content === '' ? [] : a.content.split('\n')) : null;
        if (!content || !content.every((e) => aliasEntry(a.type as string, e))) failures.push(`FAIL ${f}: content of ${String(a.name)}: ${JSON.stringify(a.content)}`);
      }
    } catch (e) { failures.push(`FAIL ${f}: ${(e as Error).message}`); }
  }
  return { checked: files.length, failures };
}

/** pfSense's config.xml <aliases> section, line by line: only the elements pfSense reads, with checked values. */
export function checkPfsenseAliases(files: string[]): CheckResult {
  const failures: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const m = /^<\?xml version="1\.0"\?>\n<aliases>\n((?: {2}<alias>\n {4}<name>[^<]*<\/name>\n {4}<type>[^<]*<\/type>\n {4}<address>[^<]*<\/address>\n {4}<descr>[^<]*<\/descr>\n {4}<detail>[^<]*<\/detail>\n {2}<\/alias>\n)*)<\/aliases>\n$/.exec(text);
    if (!m) { failures.push(`FAIL ${f}: not a pfSense <aliases> section`); continue; }
    for (const alias of m[1]!.split('  <alias>\n').slice(1)) {
      const field = (k: string) => new RegExp(`<${k}>([^<]*)</${k}>`).exec(alias)![1]!;
      const [name, type, address, descr] = ['name', 'type', 'address', 'descr'].map(field) as [string, string, string, string];
      if (!ALIAS_NAME.test(name)) failures.push(`FAIL ${f}: alias name ${JSON.stringify(name)}`);
      if (!['host', 'network', 'port'].includes(type)) failures.push(`FAIL ${f}: alias type ${type}`);
      if (/[&"']/.test(descr) || !/^[\x20-\x7e]*$/.test(descr)) failures.push(`FAIL ${f}: descr ${JSON.stringify(descr)}`);
      if (address !== '' && !address.split(' ').every((e) => aliasEntry(type, e))) failures.push(`FAIL ${f}: address of ${name}: ${JSON.stringify(address)}`);
    }
  }
  return { checked: files.length, failures };
}

/** The tables and unique keys of Pi-hole's gravity database that the statements touch (Pi-hole v5/v6 gravity.db). */
export const GRAVITY_SCHEMA = [
  'CREATE TABLE "group" (id INTEGER PRIMARY KEY AUTOINCREMENT, enabled BOOLEAN NOT NULL DEFAULT 1, name TEXT UNIQUE NOT NULL, date_added INTEGER, date_modified INTEGER, description TEXT);',
  'INSERT INTO "group" (id, enabled, name, description) VALUES (0, 1, \'Default\', \'The default group\');',
  'CREATE TABLE client (id INTEGER PRIMARY KEY AUTOINCREMENT, ip TEXT NOT NULL UNIQUE, date_added INTEGER, date_modified INTEGER, comment TEXT);',
  'CREATE TABLE client_by_group (client_id INTEGER NOT NULL REFERENCES client (id), group_id INTEGER NOT NULL REFERENCES "group" (id), PRIMARY KEY (client_id, group_id));',
  'CREATE TABLE domainlist (id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL DEFAULT 0, domain TEXT NOT NULL, enabled BOOLEAN NOT NULL DEFAULT 1, date_added INTEGER, date_modified INTEGER, comment TEXT, UNIQUE(domain, type));',
  'CREATE TABLE domainlist_by_group (domainlist_id INTEGER NOT NULL REFERENCES domainlist (id), group_id INTEGER NOT NULL REFERENCES "group" (id), PRIMARY KEY (domainlist_id, group_id));',
  'CREATE TRIGGER tr_domainlist_add AFTER INSERT ON domainlist BEGIN INSERT INTO domainlist_by_group (domainlist_id, group_id) VALUES (NEW.id, 0); END;',
].join('\n');

/** Pi-hole statements: each line a known statement shape, and the whole file runs in sqlite3 on the gravity tables. */
export function checkPiholeSql(files: string[]): CheckResult {
  const failures: string[] = [];
  const TEMP = 'temp\\.netneeds_(?:device|client|entry)';
  const SQL_TEXT = "'(?:[^'\\x00-\\x1f\\x7f]|'')*'";
  const shapes = [
    '--( [\\x20-\\x7e]*)?', 'BEGIN TRANSACTION;', 'COMMIT;',
    'CREATE TEMP TABLE netneeds_(?:device|client|entry) \\([a-zA-Z ,]+\\);', `DROP TABLE ${TEMP};`,
    // Rows of the temporary tables: quoted text and integers only, one row a line.
    `INSERT INTO ${TEMP} \\([a-z, ]+\\) VALUES`, `\\(${SQL_TEXT}(?:, (?:\\d+|${SQL_TEXT}))*\\)[,;]`,
    'INSERT OR IGNORE INTO ("group"|client|client_by_group|domainlist|domainlist_by_group) [\\x20-\\x7e]*;',
    'DELETE FROM domainlist_by_group WHERE group_id = 0 [\\x20-\\x7e]*;',
  ];
  const LINE = new RegExp(`^(?:${shapes.map((shape) => `(?:${shape})`).join('|')})$`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    text.split('\n').slice(0, -1).forEach((l, i) => { if (!LINE.test(l)) failures.push(`FAIL ${f}:${i + 1}: ${JSON.stringify(l.slice(0, 200))}`); });
    const r = spawnSync('sqlite3', ['-bail', ':memory:'], { input: `${GRAVITY_SCHEMA}\n${text}\nSELECT 'rows', count(*) FROM domainlist_by_group WHERE group_id = 0;\n`, encoding: 'utf8' });
    if (r.status !== 0) failures.push(`FAIL ${f}: sqlite3: ${r.stderr.trim()}`);
    else if (!/^rows\|0$/m.test(r.stdout)) failures.push(`FAIL ${f}: entries left in the Default group: ${r.stdout.trim()}`);
  }
  return { checked: files.length, failures };
}

export function checkGrammar(files: string[]): CheckResult {
  const failures: string[] = [];
  let checked = 0;
  for (const f of files) {
    const grammar = GRAMMARS.find((g) => g.test.test(f));
    if (!grammar) { failures.push(`FAIL ${f}: no grammar for ${basename(f)}`); continue; }
    checked++;
    const lines = readFileSync(f, 'utf8').split('\n');
    if (lines.pop() !== '') failures.push(`FAIL ${f}: no final newline`);
    lines.forEach((l, i) => {
      if (!grammar.comment.test(l) && !grammar.line(l)) failures.push(`FAIL ${f}:${i + 1}: ${JSON.stringify(l.slice(0, 200))}`);
    });
  }
  return { checked, failures };
}

/** Sorts generated files to their checker by name. */
export function checkAll(files: string[]): { byTool: Record<string, CheckResult>; failures: string[]; checked: number } {
  const pick = (re: RegExp) => files.filter((f) => re.test(f));
  const byTool: Record<string, CheckResult> = {
    'nft -c': checkNft(pick(/\.nft$/)),
    'iptables-restore --test + ipset': checkIptables(pick(/\.iptables$/).map((f) => f.slice(0, -'.iptables'.length))),
    'dnsmasq --test': checkDnsmasq(pick(/\.conf$/)),
    'yanglint (check-mud)': checkMud(pick(/(?<!opnsense-aliases)\.json$/)),
    'OPNsense alias import': checkOpnsenseAliases(pick(/opnsense-aliases\.json$/)),
    'pfSense <aliases>': checkPfsenseAliases(pick(/pfsense-aliases\.xml$/)),
    'sqlite3 (Pi-hole gravity)': checkPiholeSql(pick(/\.pihole\.sql$/)),
    grammar: checkGrammar(pick(/(\.txt|\.hosts|\.rsc)$/)),
  };
  const covered = new Set([...pick(/\.(nft|iptables|ip6tables|ipset|conf|json|txt|hosts|rsc)$/), ...pick(/pfsense-aliases\.xml$/), ...pick(/\.pihole\.sql$/)]);
  const unchecked = files.filter((f) => !covered.has(f)).map((f) => `FAIL ${f}: no checker`);
  const failures = [...Object.values(byTool).flatMap((r) => r.failures), ...unchecked];
  // .ip6tables and .ipset files are checked together with their .iptables file.
  const checked = Object.values(byTool).reduce((n, r) => n + r.checked, 0) + pick(/\.(ip6tables|ipset)$/).length;
  return { byTool, failures, checked };
}
