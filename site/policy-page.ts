// The policy builder: pick devices, give addresses, choose what must keep working, get rules. The page is static;
// site/builder/main.ts runs the same generator code as `netneeds policy`, bundled for the browser at build time.
import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Dataset } from '../scripts/build/types.js';
import { UserError } from '../scripts/lib/errors.js';
import { REPO_URL, ROOT, SITE_URL } from '../scripts/lib/project.js';
import { FORMATS } from '../scripts/policy/formats/index.js';
import { page } from './layout.js';

/** The builder with one device chosen; the URL query is the builder's whole state. */
export const builderHref = (id: string) => `policy/?device=${encodeURIComponent(id)}`;

function radios(name: string, legend: string, options: [value: string, label: string][], checked: string): Element {
  return h('fieldset.choice', [
    h('legend', legend),
    ...options.map(([value, label]) => h('label.check', [h('input', { type: 'radio', name, value, checked: value === checked }), ` ${label}`])),
  ]);
}

/**
 * Choices the command line may offer beyond the basic ones: the page shows each only when `netneeds policy` takes
 * it, so the builder never offers what the generator would refuse. '' keeps the command's default.
 */
const OPTIONAL_CHOICES: [option: string, label: string, values: [value: string, label: string][]][] = [
  ['trust', 'Act on “not required” verdicts that rest on', [['', 'The command’s default'], ['tested', 'A blocking test only'], ['documented', 'A test or documentation'], ['community', 'Also community blocklists']]],
  ['mode', 'Mode', [['', 'Enforce: refuse what is not needed'], ['log', 'Log only: refuse nothing, log what would be refused']]],
  ['any-destination', 'Ports the data names no destination for', [['', 'The command’s default'], ['refuse', 'Refuse them'], ['allow', 'Allow them to any internet address']]],
];
/** `options`: the options `netneeds policy` takes. */
export function policyPage(ds: Dataset, options: string[]): string {
  const choices = OPTIONAL_CHOICES.filter(([option]) => options.includes(option));
  return page({
    title: 'Policy builder', depth: 1, meta: ds.meta, section: 'policy', path: 'policy/',
    description: 'Firewall rules for your smart-home devices: pick them, type their addresses, choose what must keep working, and copy the rules for your router.',
    scripts: ['assets/builder.js'],
    body: [
      h('h1', 'Protect your devices'),
      h('p.lede', 'Pick your devices, type their addresses, choose what must keep working, and get rules for your router that allow what is needed and refuse the rest. It runs in your browser, on the same code as the command line; nothing you type leaves this page.'),
      h('section#answer.answer-box', { hidden: true, 'aria-labelledby': 'answer-title' }, [h('h2#answer-title', 'With the internet blocked'), h('ul#answer-list')]),
      h('p#builder-needs-js', ['The builder needs JavaScript. Without it, the command line makes the same rules: ', h('code', 'npx netneeds policy <vendor>/<model>=<address> --home-assistant <address>'), '.']),
      h('form#builder', { hidden: true, 'aria-label': 'Policy builder' }, [
        h('section', { 'aria-labelledby': 'step-devices' }, [
          h('h2#step-devices', '1. Your devices'),
          h('div.field', [
            h('label', { for: 'device-search' }, 'Find a device by name, model or vendor'),
            h('input#device-search', { type: 'search', autocomplete: 'off', spellcheck: 'false', 'aria-controls': 'device-results' }),
          ]),
          h('ul#device-results.results', { 'aria-label': 'Matching devices' }),
          h('div.field', [
            h('label', { for: 'device-paste' }, 'Or paste Home Assistant integration domains or device names, one per line'),
            h('textarea#device-paste', { rows: 3, spellcheck: 'false' }),
          ]),
          h('p', [h('button#device-paste-add', { type: 'button' }, 'Add these'), ' ', h('span#paste-status', { role: 'status' })]),
          h('h3', 'Chosen devices and their addresses'),
          h('p#chosen-empty', 'No device chosen yet.'),
          h('ul#chosen.chosen'),
        ]),
        h('section', { 'aria-labelledby': 'step-network' }, [
          h('h2#step-network', '2. Your network'),
          h('div.field', [
            h('label', { for: 'ha-address' }, 'Home Assistant address (IPv4 or IPv6; comma-separate several)'),
            h('input#ha-address', { type: 'text', name: 'ha', autocomplete: 'off', spellcheck: 'false', placeholder: '192.168.1.10' }),
          ]),
          h('div.row', [
            h('div.field', [
              h('label', { for: 'lan-prefix' }, 'Other prefixes of your home network, such as your IPv6 /64 (optional)'),
              h('input#lan-prefix', { type: 'text', name: 'lan', autocomplete: 'off', spellcheck: 'false', placeholder: '2001:db8:1::/64' }),
            ]),
            h('div.field', [
              h('label', { for: 'controller-address' }, 'MUD controller address, for MUD files (optional)'),
              h('input#controller-address', { type: 'text', name: 'controller', autocomplete: 'off', spellcheck: 'false', placeholder: '192.168.1.2' }),
            ]),
          ]),
        ]),
        h('section', { 'aria-labelledby': 'step-choices' }, [
          h('h2#step-choices', '3. What must keep working'),
          radios('for', 'Keep working', [['both', 'Home Assistant and the vendor app'], ['home-assistant', 'Home Assistant only'], ['vendor-app', 'The vendor app only']], 'both'),
          radios('unknown', 'Destinations nobody has tested yet', [['allow', 'Allow them (keeps things working)'], ['deny', 'Refuse them (stricter; may break something)']], 'allow'),
          h('div.row', [
            h('div.field', [
              h('label', { for: 'refuse' }, 'Refuse the rest with'),
              h('select#refuse', { name: 'refuse' }, [h('option', { value: '' }, 'What the data advises per device'), h('option', { value: 'reject' }, 'Reject'), h('option', { value: 'drop' }, 'Drop')]),
            ]),
            h('div.field', [
              h('label', { for: 'format' }, 'Router format'),
              h('select#format', { name: 'format' }, [...FORMATS.map((f) => h('option', { value: f.name }, f.name)), h('option', { value: 'all' }, 'all formats')]),
            ]),
          ]),
          ...(choices.length ? [h('div.row', choices.map(([option, label, values]) => h('div.field', [
            h('label', { for: `opt-${option}` }, label),
            h('select', { id: `opt-${option}`, name: option }, values.map(([value, text]) => h('option', { value }, text))),
          ])))] : []),
          h('p#format-summary.sub'),
        ]),
      ]),
      h('section#result', { hidden: true, 'aria-labelledby': 'result-title' }, [
        h('h2#result-title', 'Your rules'),
        h('p#policy-error.error', { role: 'alert', hidden: true }),
        h('p', ['The same from the command line: ', h('code#cli')]),
        h('p', [h('a#share', { href: '' }, 'Link to this policy'), ' (the link holds your choices and addresses).']),
        h('div#files'),
        h('h2', 'What will be refused, and why'),
        h('div#refused'),
      ]),
      h('p.sub', ['The generator is ', h('a', { href: `${REPO_URL}/tree/main/scripts/policy` }, 'scripts/policy'), ' in the repository.']),
    ],
  });
}

/**
 * site/builder/main.ts and the generator it imports, bundled for the browser. Node-only modules are replaced: the
 * project module by the published addresses, node:url by the browser's URL parser, and what only the command's file
 * and dataset handling use (node:fs, node:path, the build) by stubs that throw if ever called.
 */
export async function builderScript(): Promise<string> {
  const esbuild = await import('esbuild').catch(() => null);
  if (!esbuild) throw new UserError('the site needs esbuild to bundle the policy builder, and it is not installed here', 1, 'build the site from a clone, after npm ci');
  const { build } = esbuild;
  const result = await build({
    entryPoints: [ROOT + 'site/builder/main.ts'], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020',
    minify: true, legalComments: 'none', charset: 'utf8', logLevel: 'silent', absWorkingDir: ROOT,
    define: { 'process.env': '{}' },
    plugins: [{
      name: 'netneeds-browser',
      setup(b) {
        b.onResolve({ filter: /^node:url$/ }, () => ({ path: 'node-url', namespace: 'netneeds' }));
        b.onResolve({ filter: /lib\/project\.js$/ }, () => ({ path: 'project', namespace: 'netneeds' }));
        b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'netneeds-unavailable' }));
        b.onResolve({ filter: /build\/index\.js$/ }, (a) => ({ path: a.path, namespace: 'netneeds-unavailable' }));
        b.onLoad({ filter: /^node-url$/, namespace: 'netneeds' }, () => ({
          contents: 'export function domainToASCII(d) { try { return new URL("http://" + d).hostname; } catch { return ""; } }', loader: 'js',
        }));
        b.onLoad({ filter: /^project$/, namespace: 'netneeds' }, () => ({
          contents: `export const SITE_URL = ${JSON.stringify(SITE_URL)}; export const REPO_URL = ${JSON.stringify(REPO_URL)};`, loader: 'js',
        }));
        b.onLoad({ filter: /.*/, namespace: 'netneeds-unavailable' }, (a) => ({
          contents: `module.exports = new Proxy({}, { get: (_, k) => k === '__esModule' ? false : () => { throw new Error(${JSON.stringify(`${a.path} is not available in the browser`)}); } });`,
          loader: 'js',
        }));
      },
    }],
  });
  return result.outputFiles[0]!.text;
}
