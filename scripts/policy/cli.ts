// `netneeds policy`: reads the selection from the command line and writes the rule files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FORMATS, formatByName, generate, loadDataset } from './index.js';
import { canonicalMac, PolicyError, PROFILES, usesController, type DeviceChoice, type Profile, type Selection } from './plan.js';
import type { Format } from './formats/format.js';

export const POLICY_USAGE = `usage: netneeds policy <vendor>/<model>[=<address or MAC>,…]… [options]

  --for home-assistant|vendor-app|both   what has to keep working (default both)
  --home-assistant <address>             Home Assistant's address (repeat or comma-separate for several)
  --unknown allow|deny                   destinations nobody has tested: allow (default, keeps things working) or deny
  --refuse reject|drop                   how to refuse the rest (default: reject where the data says dropping breaks
                                         the device, otherwise drop)
  --format <name>[,<name>…]|all          ${FORMATS.map((f) => f.name).join(', ')} (default nftables)
  --out <dir>                            write netneeds.<ext> files there (default: print to stdout)

formats:
${FORMATS.map((f) => `  ${f.name.padEnd(10)} ${f.summary}`).join('\n')}
`;

interface Parsed { selection: Selection; formats: Format[]; out?: string }

const MAC_LIKE = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;

export function parsePolicyArgs(args: string[]): Parsed {
  const devices: DeviceChoice[] = [];
  const homeAssistant: string[] = [];
  let profile: Profile = 'both';
  let unknown: Selection['unknown'] = 'allow';
  let refuse: Selection['refuse'];
  let formatNames = ['nftables'];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new PolicyError(`${arg} needs a value`);
      return v;
    };
    const oneOf = <T extends string>(v: string, allowed: readonly T[]): T => {
      if (!(allowed as readonly string[]).includes(v)) throw new PolicyError(`${arg} takes ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
      return v as T;
    };
    if (arg === '--for') profile = oneOf(value(), PROFILES);
    else if (arg === '--home-assistant' || arg === '--ha') homeAssistant.push(...value().split(','));
    else if (arg === '--unknown') unknown = oneOf(value(), ['allow', 'deny'] as const);
    else if (arg === '--refuse') refuse = oneOf(value(), ['reject', 'drop'] as const);
    else if (arg === '--format') formatNames = value().split(',');
    else if (arg === '--out') out = value();
    else if (arg.startsWith('-')) throw new PolicyError(`unknown option ${arg}`);
    else {
      const [id, where] = arg.split('=', 2) as [string, string | undefined];
      const choice: DeviceChoice = { id, addresses: [], macs: [] };
      for (const w of where ? where.split(',') : []) {
        if (MAC_LIKE.test(w)) choice.macs!.push(canonicalMac(w));
        else choice.addresses!.push(w);
      }
      devices.push(choice);
    }
  }
  const formats = formatNames.includes('all') ? [...FORMATS] : formatNames.map((n) => {
    const f = formatByName(n);
    if (!f) throw new PolicyError(`no format ${JSON.stringify(n)}; choose from ${FORMATS.map((x) => x.name).join(', ')}, all`);
    return f;
  });
  return { selection: { devices, homeAssistant, profile, unknown, ...(refuse ? { refuse } : {}) }, formats, ...(out ? { out } : {}) };
}

export async function runPolicy(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes('--help')) { process.stderr.write(POLICY_USAGE); return args.length ? 0 : 2; }
  let parsed: Parsed;
  try { parsed = parsePolicyArgs(args); } catch (e) {
    if (e instanceof PolicyError) { process.stderr.write(`netneeds policy: ${e.message}\n\n${POLICY_USAGE}`); return 2; }
    throw e;
  }
  const dataset = await loadDataset(resolve(process.env.NETNEEDS_DEVICES ?? 'devices'));
  if ('errors' in dataset) { process.stderr.write(`${dataset.errors.join('\n')}\npolicy refused: the dataset does not validate\n`); return 1; }
  let result: ReturnType<typeof generate>;
  try { result = generate(dataset, parsed.selection, parsed.formats); } catch (e) {
    if (e instanceof PolicyError) { process.stderr.write(`netneeds policy: ${e.message}\n`); return 2; }
    throw e;
  }
  const { policy, files } = result;
  for (const d of policy.devices) {
    const c = d.counts;
    process.stderr.write(`${d.id} (${d.tag}): ${c.required} required, ${c.setupOnly} setup-only, ${c.unknownAllowed} unknown allowed, ${c.unknownDenied} unknown refused, ${c.wants} not required; refuse with ${d.refuse}\n`);
    if (!d.sources.v4.length && !d.sources.v6.length && !d.sources.macs.length) process.stderr.write(`  note: no address given for ${d.id}: the rules apply once you add it (see the file header)\n`);
    if (d.refuse === 'drop' && d.device.derived.refuseWith === 'reject') process.stderr.write(`  warning: the data says dropping breaks ${d.id}; consider --refuse reject\n`);
    const wildcards = d.allow.reduce((n, a) => n + a.to.domains.length, 0);
    if (wildcards) process.stderr.write(`  note: ${wildcards} wildcard destination(s) cannot be expressed in MUD, OPNsense and MikroTik lists and are refused there\n`);
  }
  if (policy.devices.some(usesController) && !policy.controller.v4.length && !policy.controller.v6.length) {
    process.stderr.write('  note: the devices talk to Home Assistant on the LAN: add --home-assistant <address>\n');
  }
  if (parsed.out) {
    const dir = resolve(parsed.out);
    for (const { file } of files) {
      const target = join(dir, `netneeds.${file.name}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    process.stderr.write(`wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${dir}\n`);
  } else {
    const many = files.length > 1;
    for (const { file } of files) process.stdout.write(many ? `==> netneeds.${file.name} <==\n${file.content}\n` : file.content);
  }
  return 0;
}
