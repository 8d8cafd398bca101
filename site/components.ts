import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import { formatPortRange } from '../scripts/lib/net.js';
import { verdictClaims } from '../scripts/lib/verdict-basis.js';
import type { Basis, Effect, Evidence, EvidenceType, PortRange, Tristate, Verdict, VerdictWord } from '../scripts/build/types.js';

/** An href only for absolute http(s) URLs: every other scheme (javascript:, data:, …) renders as text. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link to somewhere else on the web, or plain text when the URL is not http(s). */
export function externalLink(url: string, text: string): ElementContent {
  const href = safeHref(url);
  return href ? h('a', { href, rel: 'nofollow noopener noreferrer' }, text) : h('span', text);
}

const VERDICT: Record<VerdictWord, [mark: string, label: string]> = {
  required: ['●', 'Required'], 'not-required': ['○', 'Not required'], 'setup-only': ['◐', 'Setup only'], unknown: ['?', 'Unknown'],
};

/**
 * Verdicts differ by word, symbol and border style as well as colour, so they read without colour vision. The symbol
 * comes from the stylesheet (one rule per class, silent to screen readers), not from markup on every badge.
 */
export function verdictBadge(v: Pick<Verdict, 'verdict' | 'disputed'>): Element {
  return h(`span.v-${v.verdict}`, [VERDICT[v.verdict][1], ...(v.disputed ? [h('span.disputed', ' (disputed)')] : [])]);
}

/** The stylesheet rules that draw each badge's symbol: `content: "x" / ""` keeps it out of the accessible name. */
export function badgeMarksCss(): string {
  const marks = [
    ...Object.entries(VERDICT).map(([verdict, [mark]]) => [`v-${verdict}`, mark] as const),
    ...Object.values(EFFECT).map(([cls, mark]) => [`t-${cls}`, mark] as const),
    ['t-cloud', '☁'] as const,
  ];
  const unique = [...new Map(marks).entries()];
  return `\n/* Badge symbols (site/components.ts, badgeMarksCss) */\n${unique.map(([cls, mark]) => `.${cls}::before { content: ${JSON.stringify(mark)}; content: ${JSON.stringify(mark)} / ""; margin-right: .3rem; font-size: .9em; }\n`).join('')}`;
}

export const BASIS_LABEL: Record<Basis, string> = {
  tested: 'tested', documented: 'documented', 'community-listed': 'community-listed', reported: 'reported', observed: 'observed only',
};
export const BASIS_MEANING: Record<Basis, string> = {
  tested: 'someone blocked it and reported what happened',
  documented: 'the maker\u2019s or Home Assistant\u2019s documentation, source code or a study says so',
  'community-listed': 'a community blocklist lists it as blockable; nobody reported a test',
  reported: 'a community report, without a blocking result',
  observed: 'seen in a log, capture or MUD profile, which shows traffic, not need',
};
/** The common bases are explained once, on the verdicts page; the rare ones carry their meaning on every tag. */
const EXPLAINED_BASES: readonly Basis[] = ['tested', 'documented', 'community-listed'];
export const basisTag = (b: Basis) => h(`span.b-${b}`, { title: EXPLAINED_BASES.includes(b) ? undefined : BASIS_MEANING[b] }, BASIS_LABEL[b]);

/**
 * A verdict with what it rests on at a glance; claim notes inline, and every side of a dispute.
 * `refs` renders a claim's evidence as numbered links into the page's evidence list.
 */
export function verdictCell(v: Verdict, refs: (ids: string[]) => ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [verdictBadge(v)];
  if (v.verdict !== 'unknown' && v.basis) out.push({ type: 'text', value: ' ' }, basisTag(v.basis));
  const shown = verdictClaims(v).filter((c) => v.disputed || c.note || c.verdict !== v.verdict);
  if (shown.length) {
    out.push(h('ul.claims', shown.map((c) => h('li', [
      h('strong', VERDICT[c.verdict][1]), ...(c.basis ? [' (', BASIS_LABEL[c.basis], ')'] : []),
      ...(c.note ? [': ', c.note] : []), ' ', ...refs(c.evidence),
    ]))));
  }
  return out;
}

const EFFECT: Record<Effect, [cls: string, mark: string, label: string]> = {
  'stops-working': ['bad', '✗', 'Stops working'], degraded: ['warn', '◐', 'Degraded'],
  'keeps-working': ['good', '✓', 'Keeps working'], unknown: ['unknown', '?', 'Unknown'],
};
export function effectBadge(e: Effect): Element {
  const [cls, , label] = EFFECT[e];
  return h(`span.t-${cls}`, label);
}

/**
 * A yes/no/unknown fact; `good` says which answer is the good news for the reader. `cloud` draws a cloud instead of a
 * cross for a bad yes.
 */
export function tristateBadge(value: Tristate, good: 'yes' | 'no', cloud = false): Element {
  const cls = value === 'unknown' ? 'unknown' : value === good ? 'good' : cloud && value === 'yes' ? 'cloud' : 'bad';
  return h(`span.t-${cls}`, value === 'yes' ? 'Yes' : value === 'no' ? 'No' : 'Unknown');
}
export const haOfflineBadge = (v: Tristate) => tristateBadge(v, 'yes');
export const appCloudBadge = (v: Tristate) => tristateBadge(v, 'no', true);

export function protocolPorts(protocol: string, ports: PortRange[]): string {
  const proto = protocol === 'unknown' ? 'Protocol unknown' : protocol.toUpperCase();
  return ports.length ? `${proto} ${ports.map(formatPortRange).join(', ')}` : proto;
}

/** Free text stays text: one paragraph per line, never parsed as markup. */
export function paragraphs(text: string): Element[] {
  return text.split(/\n+/).map((line) => line.trim()).filter(Boolean).map((line) => h('p', line));
}

/** A wide table scrolls inside its own focusable region instead of widening the page on phones. */
export function scrollTable(label: string, table: Element): Element {
  return h('div.table-scroll', { role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

type Content = ElementContent | string | (ElementContent | string)[];
export interface Cell { content: Content; className?: string }
export type CellInput = Cell | Content;
const asCell = (c: CellInput): Cell => (typeof c === 'string' || Array.isArray(c) || 'type' in c ? { content: c } : c);

/** The columns of each table that stacks into cards on a phone; the first column heads its row. */
export const STACK_TABLES = {
  endpoints: ['Destination', 'Protocol / port', 'Service', 'Purpose', 'Party', 'Vendor app', 'Home Assistant', 'Evidence'],
  'ha-calls': ['Host', 'Protocol / port', 'Service', 'Purpose', 'Evidence'],
  local: ['From', 'To', 'Protocol / port', 'Service', 'Purpose', 'Vendor app', 'Home Assistant', 'Evidence'],
  blocked: ['Vendor app', 'Home Assistant', 'What was seen', 'Evidence'],
} as const satisfies Record<string, readonly string[]>;
export type StackTable = keyof typeof STACK_TABLES;

/** Row headers that stay labelled when stacked: their column is not the destination or host the card is about. */
const LABELLED_ROW_HEADERS: readonly StackTable[] = ['local', 'blocked'];

/**
 * On a phone each row of these tables stacks into a card whose cells carry their column name. The names come from
 * the stylesheet, one rule per column, not from an attribute on every cell of every page.
 */
export function stackLabelsCss(): string {
  const rules = Object.entries(STACK_TABLES).flatMap(([table, headers]) => headers.map((name, i) => {
    if (i === 0 && !LABELLED_ROW_HEADERS.includes(table as StackTable)) return '';
    return `  table.${table} > tbody > tr > ${i === 0 ? 'th' : `:nth-child(${i + 1})`}::before { content: ${JSON.stringify(name)}; }\n`;
  }));
  return `\n/* Column names of the stacked device tables (site/components.ts, STACK_TABLES) */\n@media (max-width: 40rem) {\n${rules.join('')}}\n`;
}

/**
 * A table that stacks into one labelled card per row on a phone instead of squeezing eight columns into the
 * screen. The first column heads its row.
 */
export function stackTable(kind: StackTable, caption: string, rows: CellInput[][], rowIds?: string[]): Element {
  // A table whose rows all cite the same sources leaves out its last column, Evidence: the caller says so once below.
  const headers = STACK_TABLES[kind].slice(0, rows[0]?.length ?? STACK_TABLES[kind].length);
  return scrollTable(caption, h(`table.stack.${kind}`, [
    h('caption.visually-hidden', caption),
    h('thead', h('tr', headers.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', rows.map((cells, r) => h('tr', { id: rowIds?.[r] }, cells.map(asCell).map((c, i) => h(i === 0 ? 'th' : 'td', {
      scope: i === 0 ? 'row' : undefined, className: c.className ? [c.className] : undefined,
    }, c.content))))),
  ]));
}

export const EVIDENCE_TYPE_LABEL: Record<EvidenceType, string> = {
  'firewall-log': 'Firewall log', 'packet-capture': 'Packet capture', 'dns-log': 'DNS log', 'blocking-test': 'Blocking test',
  'vendor-documentation': 'Vendor documentation', 'integration-documentation': 'Home Assistant documentation', 'source-code': 'Source code',
  paper: 'Research paper', 'community-report': 'Community report', 'community-blocklist': 'Community blocklist', 'mud-profile': 'MUD profile',
};

export const evidenceAnchor = (id: string) => `evidence-${id.replace(/[^a-z0-9-]/g, '-')}`;

/** Numbered references into the evidence list of the same page. */
export function evidenceRefs(ids: string[], numbers: Map<string, number>): ElementContent[] {
  const refs = ids.filter((id) => numbers.has(id)).sort((a, b) => numbers.get(a)! - numbers.get(b)!);
  return refs.map((id) => h('a', { href: `#${evidenceAnchor(id)}`, 'aria-label': `evidence ${numbers.get(id)}` }, `[${numbers.get(id)}]`));
}

const shortUrl = (href: string) => { const u = new URL(href); return (u.host + u.pathname).replace(/\/$/, ''); };

export function evidenceList(evidence: Evidence[]): Element {
  return h('ol.evidence', evidence.map((e) => {
    const when = e.date ? `${e.date}` : `undated, read ${e.accessed ?? 'at an unknown date'}`;
    const details = [EVIDENCE_TYPE_LABEL[e.type], when, ...(e.firmware ? [`firmware ${e.firmware}`] : []), ...(e.region ? [e.region] : [])];
    const href = safeHref(e.source);
    return h('li', { id: evidenceAnchor(e.id) }, [
      h('p.ev-title', externalLink(e.source, e.title ?? (href ? shortUrl(href) : e.source))),
      h('p.ev-meta', details.join(' · ')),
      ...(e.quote ? [h('blockquote.ev-quote', h('p', e.quote))] : []),
      ...(e.note ? [h('div.ev-note', paragraphs(e.note))] : []),
    ]);
  }));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const CATEGORY_LABEL = (c: string) => c.charAt(0).toUpperCase() + c.slice(1).replace(/-/g, ' ');
