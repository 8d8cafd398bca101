import type { Element } from 'hast';
import { h } from 'hastscript';
import type { WrittenFile } from '../scripts/build/emit/emitter.js';
import type { Dataset } from '../scripts/build/types.js';
import { REPO_URL } from '../scripts/lib/project.js';
import { BASIS_LABEL, BASIS_MEANING, EVIDENCE_TYPE_LABEL, formatBytes, scrollTable, verdictBadge } from './components.js';
import { page, siteUrl } from './layout.js';

const size = (f: WrittenFile) => f.bytes;

const KEEPS: Record<string, string> = { 'home-assistant': 'Home Assistant', 'vendor-app': 'the vendor app', both: 'Home Assistant and the vendor app' };

interface DownloadRow { href?: string; name: string; what: string; bytes: number; files?: number; format?: string }

function downloadsTable(caption: string, rows: DownloadRow[]): Element {
  return scrollTable(caption, h('table.files', [
    h('caption.visually-hidden', caption),
    h('thead', h('tr', [h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'What it holds'), h('th.num', { scope: 'col' }, 'Size')])),
    h('tbody', rows.map((r) => h('tr', r.format ? { itemProp: 'distribution', itemScope: true, itemType: 'https://schema.org/DataDownload' } : {}, [
      h('th', { scope: 'row' }, r.href ? h('a', { href: r.href, itemProp: r.format ? 'contentUrl' : undefined }, h('code', r.name)) : h('code', r.name)),
      h('td', [...(r.format ? [h('meta', { itemProp: 'encodingFormat', content: r.format })] : []), r.what]),
      h('td.num.nowrap', r.files ? `${r.files.toLocaleString('en-US')} files, ${formatBytes(r.bytes)}` : formatBytes(r.bytes)),
    ]))),
  ]));
}

/** Files under `prefix`, summed into one row (per-device API, rules, MUD files). */
function folderRow(files: WrittenFile[], prefix: string, name: string, what: string, href?: string): DownloadRow[] {
  const inside = files.filter((f) => f.path.startsWith(prefix));
  return inside.length ? [{ name, what, bytes: inside.reduce((n, f) => n + size(f), 0), files: inside.length, ...(href ? { href } : {}) }] : [];
}

/** The downloads page lists what the other emitters wrote, at the paths the site serves them from. */
export function downloadsPage(ds: Dataset, written: readonly WrittenFile[]): string {
  const files = [...written];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const one = (path: string, what: string, format?: string): DownloadRow[] => {
    const f = byPath.get(path);
    return f ? [{ href: `../${path}`, name: path, what, bytes: size(f), ...(format ? { format } : {}) }] : [];
  };
  const schemas = files.filter((f) => /^schema\/[^/]+\.json$/.test(f.path)).map((f) => ({ href: `../${f.path}`, name: f.path, what: 'JSON Schema', bytes: size(f) }));
  const blocklists = files.filter((f) => f.path.startsWith('blocklists/all/'))
    .map((f) => ({ href: `../${f.path}`, name: f.path, what: `Blocklist of every device's blockable destinations that keeps ${KEEPS[f.path.split('/')[2]!.split('.')[0]!] ?? 'the named function'} working`, bytes: size(f) }));
  const exports = [
    ...blocklists,
    ...folderRow(files, 'mud/', 'mud/<vendor>/<model>.json', 'RFC 8520 MUD profile for one device (keeps the vendor app and Home Assistant working; destinations of unknown need allowed); linked from every device page'),
  ];
  return page({
    title: 'Downloads', depth: 1, meta: ds.meta, section: 'downloads', path: 'downloads/',
    description: 'The NetNeeds dataset as JSON and CSV, its schemas and a static per-device API.',
    body: [h('div', { itemScope: true, itemType: 'https://schema.org/Dataset' }, [
      // schema.org Dataset in microdata: search engines list the dataset, and no script element is needed.
      h('meta', { itemProp: 'name', content: 'NetNeeds' }),
      h('meta', { itemProp: 'description', content: 'What smart-home and IoT devices need on the network versus what they merely want, destination by destination, with the evidence for every verdict.' }),
      h('meta', { itemProp: 'url', content: siteUrl('downloads/') }),
      h('meta', { itemProp: 'version', content: ds.meta.datasetVersion }),
      h('meta', { itemProp: 'license', content: 'https://creativecommons.org/publicdomain/zero/1.0/' }),
      h('meta', { itemProp: 'isAccessibleForFree', content: 'true' }),
      h('meta', { itemProp: 'keywords', content: 'smart home, IoT, firewall, VLAN, Home Assistant, network security' }),
      h('link', { itemProp: 'sameAs', href: ds.meta.repository }),
      h('h1', 'Downloads'),
      h('p.lede', `Dataset version ${ds.meta.datasetVersion} (schema ${ds.meta.schemaVersion}), built from commit ${ds.meta.sourceCommit}. ${ds.meta.deviceCount.toLocaleString('en-US')} devices, ${ds.meta.vendorCount.toLocaleString('en-US')} vendors, ${ds.meta.endpointCount.toLocaleString('en-US')} destinations. Data ${ds.meta.license.data}: use it for anything.`),
      h('h2', 'Dataset'),
      downloadsTable('Dataset', [
        ...one('netneeds.json', 'Everything in one file: devices, vendors, verdicts with their claims, evidence and derived facts', 'application/json'),
        ...one('netneeds.csv', 'One row per device and destination, for spreadsheets', 'text/csv'),
      ]),
      h('h2', 'Schemas'),
      downloadsTable('Schemas', schemas),
      h('h2', 'Static API'),
      h('p', ['Plain JSON files, one per device and vendor; nothing to authenticate, safe to cache. Start at ', h('a', { href: '../api/v1/index.json' }, h('code', 'api/v1/index.json')), '.']),
      downloadsTable('Static API', [
        ...one('api/v1/index.json', 'Links to everything below'),
        ...one('api/v1/devices.json', 'Summary of every device'),
        ...folderRow(files, 'api/v1/devices/', 'api/v1/devices/<vendor>/<model>.json', 'One device, with the dataset version it comes from'),
        ...folderRow(files, 'api/v1/vendors/', 'api/v1/vendors/<vendor>.json', 'One vendor with its shared endpoint groups'),
      ]),
      ...(exports.length ? [h('h2', 'Rules and profiles'), downloadsTable('Rules and profiles', exports)] : []),
      h('p', ['Firewall rules for your own devices and addresses come from the ', h('a', { href: '../policy/' }, 'policy builder'), ' or ', h('code', 'npx netneeds policy'), '. Changes to the data: the ', h('a', { href: '../feed.xml' }, 'Atom feed'), '.']),
    ])],
  });
}

export function contributePage(ds: Dataset): string {
  const example = `${REPO_URL}/blob/main/devices/roborock/s50.yaml`;
  return page({
    title: 'Contribute', depth: 1, meta: ds.meta, section: 'contribute', path: 'contribute/',
    description: 'How to add a device to NetNeeds or correct one, with evidence.',
    body: [
      h('h1', 'Add a device or correct one'),
      h('p.lede', 'Every device is one YAML file in the repository, and every destination, port and verdict in it cites a source a reader can open. Observations from your own firewall are welcome: they are how the dataset grows.'),
      h('h2', 'What counts as evidence'),
      h('ul', Object.values(EVIDENCE_TYPE_LABEL).map((t) => h('li', t))),
      h('p', 'A blocking test (block the destination, see whether the app or Home Assistant still works) is the strongest evidence of a verdict. A log or capture only shows that a device contacted a destination: record its verdicts as unknown until someone tests it. Observed is not the same as required, and a blocklist entry is not a test.'),
      h('h2', 'Add a device'),
      h('ol.steps', [
        h('li', ['Create ', h('code', 'devices/<vendor>/<model>.yaml'), ' (lower-case, hyphenated). ', h('a', { href: example }, 'The Roborock S50 file'), ' is a complete example; a new vendor also needs ', h('code', 'devices/<vendor>/_vendor.yaml'), ' with its name.']),
        h('li', 'List the internet destinations (host or address, protocol, ports, service, purpose, party), each with the evidence it comes from, and a verdict for the vendor app and for Home Assistant: required, not-required, setup-only or unknown.'),
        h('li', 'Add local traffic (Home Assistant to device ports, discovery such as mDNS or SSDP), and what happened when the internet was blocked, if anyone tried.'),
        h('li', ['Check it: ', h('code', 'npx netneeds validate'), ' explains any problem with a file, line and hint; ', h('code', 'npx netneeds fix'), ' rewrites the file into canonical form.']),
        h('li', ['See it: ', h('code', 'npm run build && npm run preview'), ' serves this site with your device on your own machine.']),
        h('li', ['Open a pull request. You can also ', h('a', { href: `${REPO_URL}/new/main/devices` }, 'create the file in the GitHub editor'), '.']),
      ]),
      h('h2', 'Correct a device'),
      h('p', ['Every device page has an “Edit this file” link to its source in the GitHub editor, and a “Report a problem” link that opens ', h('a', { href: `${REPO_URL}/issues/new?template=problem.yml` }, 'an issue form'), ' with the device filled in. Keep every source when sources disagree: the site shows disputed verdicts as such.']),
      h('h2', 'Licence'),
      h('p', `Device data is ${ds.meta.license.data}; code is ${ds.meta.license.code}. Cite your sources; never paste text you may not share.`),
    ],
  });
}

/** The legend every device page links to: what each verdict means, and what it can rest on. */
export function verdictsPage(ds: Dataset): string {
  const verdict = (v: 'required' | 'setup-only' | 'not-required' | 'unknown', meaning: string) => [h('dt', verdictBadge({ verdict: v })), h('dd', meaning)];
  return page({
    title: 'What the verdicts mean', depth: 1, meta: ds.meta, section: 'devices', path: 'verdicts/',
    description: 'What required, setup only, not required and unknown mean on NetNeeds, and what each verdict rests on.',
    body: [
      h('h1', 'What the verdicts mean'),
      h('p.lede', 'Every destination on a device page has two verdicts: whether the vendor app needs it, and whether Home Assistant needs it.'),
      h('dl.legend', [
        ...verdict('required', 'A source shows the function breaks when this destination is blocked.'),
        ...verdict('setup-only', 'Needed while pairing or setting up; blockable afterwards.'),
        ...verdict('not-required', 'A source shows the function keeps working with it blocked.'),
        ...verdict('unknown', 'Nobody has tested or documented it yet. Observed is not the same as required.'),
      ]),
      h('h2', 'What a verdict rests on'),
      h('p', 'Beside each verdict, a tag says what it rests on:'),
      h('dl.legend', (Object.keys(BASIS_LABEL) as (keyof typeof BASIS_LABEL)[]).flatMap((b) => [h('dt', h(`span.b-${b}`, BASIS_LABEL[b])), h('dd', BASIS_MEANING[b])])),
      h('p', 'When sources disagree, the device page shows every side and marks the verdict disputed.'),
    ],
  });
}

/** Served by GitHub Pages for any missing path, so its links are written from the site's own root. */
export function notFoundPage(ds: Dataset): string {
  return page({
    title: 'Page not found', depth: 0, meta: ds.meta, absoluteRoot: new URL(siteUrl('')).pathname,
    body: [
      h('h1', 'Page not found'),
      h('p.lede', 'Nothing is published at this address. A device may have been renamed: its old address keeps answering in the API, and the index finds it by its former name.'),
      h('p', [h('a', { href: new URL(siteUrl('')).pathname }, 'Search the devices'), ' or open the ', h('a', { href: new URL(siteUrl('policy/')).pathname }, 'policy builder'), '.']),
    ],
  });
}
