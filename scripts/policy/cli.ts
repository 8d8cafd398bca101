// `netneeds policy`: reads the selection from the command line and writes the rule files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FORMATS, formatByName, generate, loadDataset } from './index.js';
import { canonicalMac, PolicyError, PROFILES, usesController, usesHomeAssistant, type DeviceChoice, type Mode, type Policy, type Profile, type Selection } from './plan.js';
import { TRUST_LEVELS, type TrustLevel } from '../lib/verdict-basis.js';
import type { Format } from './formats/format.js';

export const POLICY_USAGE = `usage: netneeds policy <vendor>/<model>[=<address or MAC>,…]… [options]

  --for home-assistant|vendor-app|both   what has to keep working (default both)
  --home-assistant <address>             Home Assistant's address (repeat or comma-separate for several)
  --controller <address>                 the controller a MUD profile's my-controller means (never assumed to be Home Assistant)
  --lan <prefix>                         a prefix of your home network beyond the private ranges, such as your IPv6 /64
  --unknown allow|deny                   destinations nobody has tested: allow (default, keeps things working) or deny
  --trust tested|documented|community    which not-required verdicts to act on: tested only, also documented (default),
                                         or also community blocklists; the others count as unknown
  --any-destination refuse|allow         endpoints the data gives only ports for: refused (default) or allowed to any
                                         internet address (never DNS 53, DoT 853 or DoH 443)
  --mode enforce|log                     log: refuse nothing, log what enforce would refuse (prefix "netneeds dN refused: ");
                                         run it, then netneeds draft the log, then enforce
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
  const controllers: string[] = [];
  const lan: string[] = [];
  let trust: TrustLevel = 'documented';
  let anyDestination: 'allow' | 'refuse' = 'refuse';
  let mode: Mode = 'enforce';
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
    else if (arg === '--controller') controllers.push(...value().split(','));
    else if (arg === '--lan') lan.push(...value().split(','));
    else if (arg === '--trust') trust = oneOf(value(), TRUST_LEVELS);
    else if (arg === '--any-destination') anyDestination = oneOf(value(), ['refuse', 'allow'] as const);
    else if (arg === '--mode') mode = oneOf(value(), ['enforce', 'log'] as const);
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
  const selection: Selection = { devices, homeAssistant, profile, unknown, trust, anyDestination, mode, ...(refuse ? { refuse } : {}) };
  if (controllers.length) selection.controllers = controllers;
  if (lan.length) selection.lan = lan;
  return { selection, formats, ...(out ? { out } : {}) };
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
  process.stderr.write(summary(policy));
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

/** What the policy keeps and refuses, device by device: every refusal that may matter, with its evidence. */
export function summary(policy: Policy): string {
  const out: string[] = [];
  // Terminal output: strip control characters from data-borne text (URLs, names).
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  for (const d of policy.devices) {
    const c = d.counts;
    out.push(`${d.id} (${d.tag}): ${c.required} required, ${c.setupOnly} setup-only, ${c.unknownAllowed} unknown allowed, ${c.unknownDenied} unknown refused, ${c.wants} not required; refuse with ${d.refuse}`);
    if (!d.sources.v4.length && !d.sources.v6.length && !d.sources.macs.length) out.push(`  note: no address given for ${d.id}: the rules apply once you add it (see the file header)`);
    if (d.ipv6 === 'closed') out.push(`  IPv6: closed in both directions (${d.id} was given by IPv4 only); to open it to the policy, give its IPv6 addresses, its prefix (--lan and ${d.id}=<prefix>) or its MAC`);
    if (d.services.includes('ntp')) out.push('  NTP: allowed to any time server (UDP 123)');
    for (const l of d.local.filter((x) => x.peer === 'home-assistant')) out.push(`  Home Assistant: ${l.initiator === 'peer' ? 'may reach the device on' : 'reachable from the device on'} ${l.service.protocol}${l.service.ports.length ? ` ${l.service.ports.map((r) => (r.from === r.to ? r.from : `${r.from}-${r.to}`)).join(',')}` : ''} (${l.name})`);
    if (d.refuse === 'drop' && d.device.derived.refuseWith === 'reject') out.push(`  warning: the data says dropping breaks ${d.id}; consider --refuse reject`);
    const wildcards = d.allow.reduce((n, a) => n + a.to.domains.length, 0);
    if (wildcards) out.push(`  note: ${wildcards} wildcard destination(s) cannot be expressed in MUD, OPNsense and MikroTik lists and are refused there`);
    if (d.refused.length) out.push(`  ${policy.mode === 'log' ? 'would refuse' : 'refused'}:`);
    for (const r of d.refused) {
      out.push(`    ${r.kind === 'needed' ? 'NEEDED ' : ''}${clean(r.what)}: ${clean(r.why)}`);
      for (const e of r.evidence) out.push(`      evidence ${clean(e.id)} (${clean(e.type)}): ${clean(e.source)}`);
    }
  }
  if (policy.devices.some(usesHomeAssistant) && !policy.homeAssistant.v4.length && !policy.homeAssistant.v6.length) {
    out.push('  note: the devices talk to Home Assistant on the LAN: add --home-assistant <address>');
  }
  if (policy.devices.some(usesController) && !policy.controllers.v4.length && !policy.controllers.v6.length) {
    out.push('  note: a MUD profile names its controller (my-controller): add --controller <address> if you run one; nothing is assumed');
  }
  if (policy.mode === 'log') out.push('log-only mode: nothing is refused. Collect the kernel log lines with "netneeds dN refused:", run netneeds draft on them, then generate again without --mode log.');
  return out.map((l) => l + '\n').join('');
}
