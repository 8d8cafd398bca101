import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Dataset } from '../build/types.js';
import { parseAddress, isFinding, specialRange } from '../lib/net.js';
import { FORMATS } from '../policy/formats/index.js';
import { canonicalMac, PROFILES, type DeviceChoice, type Selection } from '../policy/plan.js';
import { TRUST_LEVELS } from '../lib/verdict-basis.js';
import type { Format } from '../policy/formats/format.js';
import { defineCommand, devicesDir, EXIT, JSON_OPTION, parseCommandArgs, plural, UserError, type ParsedArgs } from './args.js';

const MAC_LIKE = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;
/** Ranges a device on the LAN cannot hold as its own address. */
const NOT_A_HOST = new Set(['unspecified', 'multicast', 'broadcast', 'loopback', 'reserved']);

const options = {
  for: { type: 'string', value: '<profile>', choices: PROFILES, description: 'what has to keep working (default both)' },
  'home-assistant': { type: 'string', multiple: true, value: '<address>', description: "Home Assistant's address (repeat or comma-separate for several)" },
  ha: { type: 'string', multiple: true, value: '<address>', description: 'the same as --home-assistant' },
  controller: { type: 'string', multiple: true, value: '<address>', description: "the controller a MUD profile's my-controller means (never assumed to be Home Assistant)" },
  lan: { type: 'string', multiple: true, value: '<prefix>', description: 'a prefix of your home network beyond the private ranges, such as your IPv6 /64' },
  unknown: { type: 'string', value: 'allow|deny', choices: ['allow', 'deny'], description: 'destinations nobody has tested: allow (default, keeps things working) or deny' },
  trust: { type: 'string', value: 'tested|documented|community', choices: TRUST_LEVELS, description: 'which not-required verdicts to act on: tested only, also documented (default), or also community blocklists; the rest count as unknown' },
  'any-destination': { type: 'string', value: 'refuse|allow', choices: ['refuse', 'allow'], description: 'endpoints the data gives only ports for: refused (default) or allowed to any internet address, never DNS 53, DoT 853 or DoH 443' },
  mode: { type: 'string', value: 'enforce|log', choices: ['enforce', 'log'], description: 'log: refuse nothing, log what enforce would refuse (prefix "netneeds dN refused: "), then draft from the log and enforce' },
  refuse: { type: 'string', value: 'reject|drop', choices: ['reject', 'drop'], description: 'how to refuse the rest (default: reject where the data says dropping breaks the device, otherwise drop)' },
  format: { type: 'string', list: true, value: '<name>[,…]|all', choices: [...FORMATS.map((f) => f.name), 'all'], description: 'rule formats (default nftables)' },
  out: { type: 'string', value: '<dir>', description: 'write netneeds.<ext> files into this folder (default: print to stdout)' },
  json: JSON_OPTION,
} as const;

export interface ParsedPolicy { selection: Selection; formats: Format[]; out?: string; warnings: string[] }

/**
 * A host address of a device or of Home Assistant, in canonical form: a network, 0.0.0.0 or a broadcast is refused.
 * A device may be given an IPv6 prefix of /48 or longer (its own VLAN's /64), which opens its IPv6 to the policy.
 */
export function hostAddress(text: string, what: string, warnings: string[], prefixOk = false): string {
  const parsed = parseAddress(text);
  if (isFinding(parsed)) throw new UserError(`policy: ${what} ${JSON.stringify(text)}: ${parsed.message}`, EXIT.usage, parsed.hint ?? 'write a single address such as 192.168.1.50 or fd00::50');
  if (prefixOk && parsed.version === 6 && parsed.prefix !== null && parsed.prefix >= 48) {
    warnings.push(`${what} ${text} is a prefix: every host in it is treated as this device (use it when the device is alone on its VLAN)`);
    return parsed.canonical;
  }
  if (parsed.prefix !== null) throw new UserError(`policy: ${what} ${text} is a network, not one device's address`, EXIT.usage, 'give the address of the device itself, such as 192.168.1.50');
  const range = specialRange(parsed);
  if (range && NOT_A_HOST.has(range)) throw new UserError(`policy: ${what} ${text} is a ${range} address, not a device's`, EXIT.usage, 'give the address of the device on your LAN, such as 192.168.1.50');
  if (range === null) warnings.push(`${what} ${text} is a public address; devices on a home LAN usually have private ones (192.168.x.x, 10.x.x.x, fd00::/8)`);
  return parsed.canonical;
}

function deviceChoice(arg: string, warnings: string[]): DeviceChoice {
  const eq = arg.indexOf('=');
  const id = eq < 0 ? arg : arg.slice(0, eq);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new UserError(`policy: ${JSON.stringify(arg)} does not start with a device id <vendor>/<model>`, EXIT.usage, 'write roborock/s50 or roborock/s50=192.168.1.50');
  const choice: DeviceChoice = { id, addresses: [], macs: [] };
  if (eq < 0) return choice;
  const where = arg.slice(eq + 1);
  if (where.includes('=')) throw new UserError(`policy: ${JSON.stringify(arg)} has more than one "="`, EXIT.usage, 'write <vendor>/<model>=<address>,<address>…');
  for (const w of where.split(',')) {
    if (w === '') throw new UserError(`policy: ${JSON.stringify(arg)} has an empty address`, EXIT.usage, 'write <vendor>/<model>=<address>,<address>…');
    if (MAC_LIKE.test(w)) choice.macs!.push(canonicalMac(w));
    else choice.addresses!.push(hostAddress(w, `address of ${id}`, warnings, true));
  }
  return choice;
}

export function policyFromArgs({ values: v, positionals }: ParsedArgs<typeof options>): ParsedPolicy {
  const warnings: string[] = [];
  const devices = positionals.map((p) => deviceChoice(p, warnings));
  const homeAssistant = [...v['home-assistant'] ?? [], ...v.ha ?? []].flatMap((s) => s.split(',')).filter((s) => s !== '').map((a) => hostAddress(a, 'Home Assistant address', warnings));
  const names = v.format ?? ['nftables'];
  const formats = names.includes('all') ? [...FORMATS] : [...new Set(names)].map((n) => FORMATS.find((f) => f.name === n)!);
  const selection: Selection = {
    devices, homeAssistant,
    profile: (v.for ?? 'both') as Selection['profile'],
    unknown: (v.unknown ?? 'allow') as Selection['unknown'],
    trust: (v.trust ?? 'documented') as NonNullable<Selection['trust']>,
    anyDestination: (v['any-destination'] ?? 'refuse') as NonNullable<Selection['anyDestination']>,
    mode: (v.mode ?? 'enforce') as NonNullable<Selection['mode']>,
    ...(v.refuse ? { refuse: v.refuse as NonNullable<Selection['refuse']> } : {}),
  };
  const controllers = (v.controller ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '').map((a) => hostAddress(a, 'controller address', warnings));
  if (controllers.length) selection.controllers = controllers;
  const lan = (v.lan ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');
  for (const prefix of lan) {
    const parsed = parseAddress(prefix);
    if (isFinding(parsed)) throw new UserError(`policy: --lan ${JSON.stringify(prefix)}: ${parsed.message}`, EXIT.usage, parsed.hint ?? 'write a prefix such as 2001:db8:1::/64');
  }
  if (lan.length) selection.lan = lan;
  return { selection, formats, ...(v.out ? { out: v.out } : {}), warnings };
}

/** The command line of `netneeds policy` as a selection: the shared parser, then devices and addresses. */
/** Formats whose rules cannot learn a MAC from IPv4 traffic, so cannot close the IPv6 of a device given by IPv4 alone. */
export const V6_BLIND_FORMATS: readonly string[] = ['iptables', 'mikrotik', 'opnsense'];

export function parsePolicyArgs(argv: string[]): ParsedPolicy {
  return policyFromArgs(parseCommandArgs(policyCommand, argv));
}

/**
 * The devices folder here (or NETNEEDS_DEVICES) when there is one: a contributor's own data. Otherwise the dataset
 * the package ships (dist/netneeds.json), so that `npx netneeds policy …` works in any folder.
 */
async function chooseDataset(loadDataset: (dir: string) => Promise<Dataset | { errors: string[] }>): Promise<Dataset | { errors: string[] }> {
  const dir = devicesDir();
  if (process.env.NETNEEDS_DEVICES || statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return loadDataset(dir);
  const { ROOT, packageVersion } = await import('../lib/project.js');
  const bundled = join(ROOT, 'dist/netneeds.json');
  if (!statSync(bundled, { throwIfNoEntry: false })?.isFile()) {
    throw new UserError(`policy: no devices folder here (${dir}) and no bundled dataset`, EXIT.problems, 'run it in a clone of the project, or set NETNEEDS_DEVICES');
  }
  const dataset = JSON.parse(readFileSync(bundled, 'utf8')) as Dataset;
  process.stderr.write(`using the dataset of netneeds ${packageVersion()} (${dataset.devices.length} devices); no devices/ folder here\n`);
  return dataset;
}

const policyCommand = defineCommand({
  name: 'policy',
  summary: 'firewall rules, DNS blocklists and MUD files for chosen devices',
  usage: '<vendor>/<model>[=<address or MAC>,…]… [options]',
  description: 'Writes rules that let each device reach what the selected functions need and refuse the rest.',
  positionals: { name: 'device (<vendor>/<model>[=<address>])', min: 1 },
  options,
  epilog: () => `formats:\n${FORMATS.map((f) => `  ${f.name.padEnd(10)} ${f.summary}`).join('\n')}\n\nexample:\n  netneeds policy roborock/s50=192.168.1.50 --for home-assistant --home-assistant 192.168.1.10 --unknown deny --out netneeds/`,
  async run(args) {
    const parsed = policyFromArgs(args);
    for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`);
    const { generate, loadDataset } = await import('../policy/index.js');
    const { summary } = await import('../policy/summary.js');
    const { makeDirs, writeFileAtomic } = await import('../lib/atomic.js');
    const dataset = await chooseDataset(loadDataset);
    if ('errors' in dataset) { process.stderr.write(`${dataset.errors.join('\n')}\n`); throw new UserError('policy refused: the dataset does not validate', EXIT.problems); }
    const { policy, files } = generate(dataset, parsed.selection, parsed.formats);
    // Only nftables (and OpenWrt, which loads nftables) learns a device's MAC from its IPv4 traffic; the others
    // cannot see the IPv6 traffic of a device given by IPv4 alone, and must say so rather than look closed.
    const blindToV6 = parsed.formats.filter((f) => V6_BLIND_FORMATS.includes(f.name));
    for (const d of policy.devices.filter((x) => x.ipv6 === 'closed')) {
      for (const f of blindToV6) {
        const w = `${f.name} cannot close IPv6 for ${d.id}, given by IPv4 only: give its MAC (${d.id}=<address>,<mac>) or its IPv6 addresses, or its IPv6 traffic stays outside the policy`;
        parsed.warnings.push(w);
        process.stderr.write(`warning: ${w}\n`);
      }
    }
    process.stderr.write(summary(policy));
    if (parsed.out) {
      const dir = resolve(parsed.out);
      makeDirs(dir);
      for (const { file } of files) {
        const target = join(dir, `netneeds.${file.name}`);
        makeDirs(dirname(target));
        writeFileAtomic(target, file.content);
      }
      process.stderr.write(`wrote ${plural(files.length, 'file')} to ${dir}\n`);
    }
    if (args.values.json) {
      process.stdout.write(JSON.stringify({
        devices: policy.devices.map((d) => ({ id: d.id, tag: d.tag, refuse: d.refuse, ipv6: d.ipv6, counts: d.counts, sources: d.sources, refused: d.refused })),
        homeAssistant: policy.homeAssistant,
        controllers: policy.controllers,
        warnings: parsed.warnings,
        files: files.map(({ format, file }) => ({ format, name: `netneeds.${file.name}`, ...(parsed.out ? { path: join(resolve(parsed.out), `netneeds.${file.name}`) } : { content: file.content }) })),
      }, null, 2) + '\n');
    } else if (!parsed.out) {
      const many = files.length > 1;
      for (const { file } of files) process.stdout.write(many ? `==> netneeds.${file.name} <==\n${file.content}\n` : file.content);
    }
    return EXIT.ok;
  },
});

export default policyCommand;
