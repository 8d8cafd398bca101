// The policy builder in the browser: the generator of `netneeds policy` (scripts/policy) on the per-device JSON of the
// static API. The whole state lives in the URL query, so a policy can be shared as a link. Text from the data is only
// ever set with textContent.
import type { Dataset, Device, NeedFunction } from '../../scripts/build/types.js';
import { decide, plan, PolicyError, profileFunctions, type Profile } from '../../scripts/policy/plan.js';
import { policyFromArgs } from '../../scripts/cli/policy.js';
import { FORMATS } from '../../scripts/policy/formats/index.js';
import { formatPortRange } from '../../scripts/lib/net.js';

interface Choice { id: string; where: string }
/** Options the page offers only when the command line has them (see site/policy-page.ts); '' is the command's default. */
const OPTIONAL = ['trust', 'mode', 'any-destination'] as const;
type Optional = (typeof OPTIONAL)[number];
interface State { devices: Choice[]; ha: string; controller: string; lan: string; profile: Profile; unknown: 'allow' | 'deny'; refuse: '' | 'reject' | 'drop'; format: string; extra: Partial<Record<Optional, string>> }
/** [id, name, vendor, category, haOffline, appCloud, endpoints, newest, models, traffic, integrations, flags]; see site/search-data.ts. */
type Row = [string, string, number, number, number, number, number, string, string, string, number[], number];
interface Index { vendors: [string, string][]; integrations: string[]; integrationNames: string[]; devices: Row[] }

const PROFILES: Profile[] = ['both', 'home-assistant', 'vendor-app'];
const FUNCTION_LABEL: Record<NeedFunction, string> = { 'home-assistant': 'Home Assistant', 'vendor-app': 'the vendor app' };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

let index: Index;
const byId = new Map<string, Row>();
const loaded = new Map<string, Promise<Device>>();
let state: State = { devices: [], ha: '', controller: '', lan: '', profile: 'both', unknown: 'allow', refuse: '', format: 'nftables', extra: {} };
const optionSelect = (name: Optional) => document.getElementById(`opt-${name}`) as HTMLSelectElement | null;
let blobUrls: string[] = [];

function readUrl(): State {
  const q = new URLSearchParams(location.search);
  const devices: Choice[] = [];
  for (const value of q.getAll('device')) {
    const [id, where = ''] = value.split(/=(.*)/s) as [string, string?];
    if (byId.has(id) && !devices.some((d) => d.id === id)) devices.push({ id, where });
  }
  const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => { const v = q.get(name) as T | null; return v !== null && allowed.includes(v) ? v : fallback; };
  return {
    devices, ha: q.get('ha') ?? '', controller: q.get('controller') ?? '', lan: q.get('lan') ?? '',
    profile: pick('for', PROFILES, 'both'), unknown: pick('unknown', ['allow', 'deny'] as const, 'allow'),
    refuse: pick('refuse', ['', 'reject', 'drop'] as const, ''), format: pick('format', [...FORMATS.map((f) => f.name), 'all'], 'nftables'),
    extra: Object.fromEntries(OPTIONAL.flatMap((name) => {
      const select = optionSelect(name);
      const v = q.get(name);
      return select && v && Array.from(select.options).some((o) => o.value === v) ? [[name, v]] : [];
    })),
  };
}

function query(s: State): string {
  const q = new URLSearchParams();
  for (const d of s.devices) q.append('device', d.where.trim() ? `${d.id}=${d.where.trim()}` : d.id);
  if (s.ha.trim()) q.set('ha', s.ha.trim());
  if (s.controller.trim()) q.set('controller', s.controller.trim());
  if (s.lan.trim()) q.set('lan', s.lan.trim());
  if (s.profile !== 'both') q.set('for', s.profile);
  if (s.unknown !== 'allow') q.set('unknown', s.unknown);
  if (s.refuse) q.set('refuse', s.refuse);
  if (s.format !== 'nftables') q.set('format', s.format);
  for (const name of OPTIONAL) if (s.extra[name]) q.set(name, s.extra[name]!);
  return q.toString();
}

const split = (text: string) => text.split(/[,\s]+/).filter(Boolean);

export function cliArgs(s: State): string[] {
  return [
    ...s.devices.map((d) => (split(d.where).length ? `${d.id}=${split(d.where).join(',')}` : d.id)),
    '--for', s.profile, ...(split(s.ha).length ? ['--home-assistant', split(s.ha).join(',')] : []),
    ...(split(s.controller).length ? ['--controller', split(s.controller).join(',')] : []), ...(split(s.lan).length ? ['--lan', split(s.lan).join(',')] : []),
    '--unknown', s.unknown,
    ...(s.refuse ? ['--refuse', s.refuse] : []), ...OPTIONAL.flatMap((name) => (s.extra[name] ? [`--${name}`, s.extra[name]!] : [])), '--format', s.format,
  ];
}
/** What `parseArgs` makes of cliArgs(s). */
function parsedArgs(s: State): { values: Record<string, unknown>; positionals: string[] } {
  return {
    positionals: s.devices.map((d) => (split(d.where).length ? `${d.id}=${split(d.where).join(',')}` : d.id)),
    values: {
      for: s.profile, unknown: s.unknown, format: [s.format], ...(split(s.ha).length ? { 'home-assistant': [split(s.ha).join(',')] } : {}),
      ...(split(s.controller).length ? { controller: [split(s.controller).join(',')] } : {}), ...(split(s.lan).length ? { lan: [split(s.lan).join(',')] } : {}),
      ...(s.refuse ? { refuse: s.refuse } : {}), ...Object.fromEntries(OPTIONAL.flatMap((name) => (s.extra[name] ? [[name, s.extra[name]]] : []))),
    },
  };
}
const shellQuote = (a: string) => (/^[A-Za-z0-9_./:,=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

function device(id: string): Promise<Device> {
  if (!loaded.has(id)) {
    loaded.set(id, fetch(`../api/v1/devices/${id.split('/').map(encodeURIComponent).join('/')}.json`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${id}: ${r.status}`)))).then((j: { device: Device }) => j.device));
  }
  return loaded.get(id)!;
}

const nameOf = (id: string) => byId.get(id)?.[1] ?? id;

function renderChosen(): void {
  const list = $('chosen');
  $('chosen-empty').hidden = state.devices.length > 0;
  list.replaceChildren(...state.devices.map((d, i) => {
    const input = el('input', { type: 'text', id: `where-${i}`, autocomplete: 'off', spellcheck: 'false', placeholder: '192.168.20.31' });
    input.value = d.where;
    input.addEventListener('input', () => { d.where = input.value; changed(); });
    const remove = el('button', { type: 'button', 'aria-label': `Remove ${nameOf(d.id)}` }, 'Remove');
    remove.addEventListener('click', () => { state.devices = state.devices.filter((x) => x !== d); renderChosen(); changed(); });
    return el('li', {}, el('span', { class: 'name' }, el('a', { href: `../devices/${d.id}/` }, nameOf(d.id)), ' ', el('code', {}, d.id)),
      el('label', { for: `where-${i}` }, 'Its addresses (IPv4, IPv6 or MAC; comma-separated)'), input, remove);
  }));
}

function add(ids: string[]): number {
  let n = 0;
  for (const id of ids) if (!state.devices.some((d) => d.id === id)) { state.devices.push({ id, where: '' }); n++; }
  if (n) { renderChosen(); changed(); }
  return n;
}

function search(): void {
  const words = ($('device-search') as HTMLInputElement).value.toLowerCase().split(/\s+/).filter(Boolean);
  const out: HTMLElement[] = [];
  if (words.length) {
    for (const r of index.devices) {
      const hay = `${r[0]} ${r[1]} ${index.vendors[r[2]]?.[1] ?? ''} ${r[8]}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
      const b = el('button', { type: 'button' }, `Add ${r[1]}`);
      b.addEventListener('click', () => add([r[0]]));
      out.push(el('li', {}, b, ' ', el('code', {}, r[0])));
      if (out.length >= 20) break;
    }
  }
  $('device-results').replaceChildren(...out);
}

/** Pasted lines: an integration domain adds its devices; otherwise an id or a device name. */
function paste(): void {
  const lines = ($('device-paste') as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean);
  const ids: string[] = [];
  const missing: string[] = [];
  for (const line of lines) {
    const low = line.toLowerCase();
    const domain = index.integrations.indexOf(low);
    const found = domain >= 0 ? index.devices.filter((r) => r[10].includes(domain)).map((r) => r[0])
      : byId.has(low) ? [low]
        : index.devices.filter((r) => r[1].toLowerCase() === low).map((r) => r[0]);
    if (found.length) ids.push(...found.slice(0, 50)); else missing.push(line);
  }
  const n = add(ids);
  $('paste-status').textContent = `Added ${n} device${n === 1 ? '' : 's'}.${missing.length ? ` Not found: ${missing.join(', ')}.` : ''}`;
}

const ANSWER = {
  ha: { yes: 'Home Assistant keeps it', no: 'Home Assistant loses it', unknown: 'whether Home Assistant keeps it is unknown' },
  app: { yes: 'the vendor app loses it', no: 'the vendor app keeps it', unknown: 'whether the vendor app keeps it is unknown' },
} as const;

function renderAnswer(devices: Device[]): void {
  $('answer').hidden = devices.length === 0;
  $('answer-list').replaceChildren(...devices.map((d) => el('li', {},
    el('strong', {}, d.name), `: with the internet blocked, ${ANSWER.ha[d.derived.worksWithHaOffline]}; ${ANSWER.app[d.derived.vendorAppNeedsCloud]}. `,
    `Why: Home Assistant: ${d.derived.worksWithHaOfflineReason}; vendor app: ${d.derived.vendorAppNeedsCloudReason}.`)));
}

const where = (e: Device['endpoints'][number]) => `${e.kind === 'any' ? 'any internet address' : e.destination} (${e.protocol === 'unknown' ? 'protocol unknown' : e.protocol.toUpperCase()}${e.ports.length ? ` ${e.ports.map(formatPortRange).join(', ')}` : ''}, ${e.service})`;

function renderRefused(devices: Device[], s: State): void {
  const functions = profileFunctions(s.profile);
  const keep = functions.map((f) => FUNCTION_LABEL[f]).join(' and ');
  $('refused').replaceChildren(...devices.map((d) => {
    const items = d.endpoints.flatMap((e) => {
      const decision = decide(e.needs, functions);
      const verdicts = functions.map((f) => `${FUNCTION_LABEL[f]}: ${e.needs[f].verdict}`).join(', ');
      if (decision === 'want') return [el('li', {}, el('code', {}, where(e)), ` — not needed by ${keep} (${verdicts}).`)];
      if (decision === 'unknown' && s.unknown === 'deny') return [el('li', {}, el('code', {}, where(e)), ` — nobody has tested whether ${keep} need${functions.length > 1 ? '' : 's'} it, and you chose to refuse untested destinations (${verdicts}).`)];
      return [];
    });
    return el('section', {}, el('h3', {}, d.name),
      items.length ? el('ul', {}, ...items) : el('p', {}, 'No listed destination is refused.'),
      el('p', {}, 'Anything the data does not list is refused too.'));
  }));
}

function renderFiles(files: { name: string; content: string }[]): void {
  for (const u of blobUrls) URL.revokeObjectURL(u);
  blobUrls = [];
  $('files').replaceChildren(...files.map(({ name, content }) => {
    const file = `netneeds.${name}`;
    const url = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
    blobUrls.push(url);
    const copy = el('button', { type: 'button', 'aria-label': `Copy ${file}` }, 'Copy');
    const pre = el('pre', { tabindex: '0', 'aria-label': file, 'data-file': file }, el('code', {}, content));
    const said = (text: string) => { copy.textContent = text; setTimeout(() => { copy.textContent = 'Copy'; }, 2500); };
    copy.addEventListener('click', () => {
      // Without the clipboard API (a page served over plain HTTP) the text is selected for Ctrl+C instead.
      const select = () => { getSelection()?.selectAllChildren(pre); said('Selected: press Ctrl+C'); };
      if (!navigator.clipboard) { select(); return; }
      navigator.clipboard.writeText(content).then(() => said('Copied'), select);
    });
    return el('div', { class: 'file' }, el('h3', {}, el('code', {}, file)),
      el('p', { class: 'file-actions' }, copy, ' ', el('a', { class: 'button', href: url, download: file }, `Download ${file}`)), pre);
  }));
}

let generation = 0;
async function generate(): Promise<void> {
  const mine = ++generation;
  const s = state;
  $('result').hidden = s.devices.length === 0;
  const format = FORMATS.find((f) => f.name === s.format);
  $('format-summary').textContent = format ? format.summary : 'Every format at once.';
  if (!s.devices.length) { renderAnswer([]); return; }
  let devices: Device[];
  try { devices = await Promise.all(s.devices.map((d) => device(d.id))); } catch (e) { if (mine === generation) showError(`Could not load the device data: ${(e as Error).message}`); return; }
  if (mine !== generation) return;
  renderAnswer(devices);
  $('cli').textContent = `npx netneeds policy ${cliArgs(s).map(shellQuote).join(' ')}`;
  const dataset: Dataset = { meta: undefined as unknown as Dataset['meta'], vendors: [], devices };
  try {
    // The command line's own reading of its options turns the same choices into the selection and formats: same
    // defaults, same checks. (Only the splitting of argv, node:util parseArgs, is done here.)
    const { selection, formats } = policyFromArgs(parsedArgs(s) as Parameters<typeof policyFromArgs>[0]);
    const policy = plan(dataset, selection);
    renderFiles(formats.flatMap((f) => f.render(policy)));
    renderRefused(devices, s);
    showError('');
  } catch (e) {
    // The command's own messages for a mistake in the choices (an address that is not one, …) are shown as they are.
    if (!(e instanceof PolicyError) && (e as Error).name !== 'UserError') console.error(e);
    renderFiles([]);
    $('refused').replaceChildren();
    showError((e as Error).message);
  }
  document.documentElement.dataset.policy = 'ready';
}

function showError(message: string): void {
  const p = $('policy-error');
  p.textContent = message;
  p.hidden = !message;
}

function changed(): void {
  const form = $('builder') as HTMLFormElement;
  const value = (name: string) => (form.elements.namedItem(name) as RadioNodeList | HTMLInputElement | HTMLSelectElement).value;
  const extra = Object.fromEntries(OPTIONAL.flatMap((name) => { const v = optionSelect(name)?.value; return v ? [[name, v]] : []; }));
  state = { ...state, ha: value('ha'), controller: value('controller'), lan: value('lan'), profile: value('for') as Profile, unknown: value('unknown') as State['unknown'], refuse: value('refuse') as State['refuse'], format: value('format'), extra };
  const q = query(state);
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
  ($('share') as HTMLAnchorElement).href = location.href;
  delete document.documentElement.dataset.policy;
  void generate();
}

function start(data: Index): void {
  index = data;
  for (const r of index.devices) byId.set(r[0], r);
  state = readUrl();
  const form = $('builder') as HTMLFormElement;
  ($('ha-address') as HTMLInputElement).value = state.ha;
  ($('controller-address') as HTMLInputElement).value = state.controller;
  ($('lan-prefix') as HTMLInputElement).value = state.lan;
  for (const [name, value] of [['for', state.profile], ['unknown', state.unknown]] as const) {
    for (const input of Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`))) input.checked = input.value === value;
  }
  ($('refuse') as HTMLSelectElement).value = state.refuse;
  ($('format') as HTMLSelectElement).value = state.format;
  for (const name of OPTIONAL) { const select = optionSelect(name); if (select) select.value = state.extra[name] ?? ''; }
  form.addEventListener('input', (e) => { if ((e.target as HTMLElement).id === 'device-search') search(); else if (!(e.target as HTMLElement).id.startsWith('where-') && (e.target as HTMLElement).id !== 'device-paste') changed(); });
  form.addEventListener('change', (e) => { if ((e.target as HTMLElement).tagName === 'SELECT' || (e.target as HTMLInputElement).type === 'radio') changed(); });
  form.addEventListener('submit', (e) => e.preventDefault());
  $('device-paste-add').addEventListener('click', paste);
  renderChosen();
  $('builder-needs-js').hidden = true;
  form.hidden = false;
  changed();
  document.documentElement.dataset.builder = 'ready';
}

fetch('../search-index.json').then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))).then(start).catch((e: Error) => {
  $('builder-needs-js').textContent = `The device list could not be loaded (${e.message}).`;
});
