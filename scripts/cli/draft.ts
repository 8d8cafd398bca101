import { lstatSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { FORMATS } from '../draft/formats/index.js';
import { defineCommand, devicesDir, EXIT, JSON_OPTION, UserError } from './args.js';

const options = {
  device: { type: 'string', multiple: true, value: '<ip|mac>', description: "the device's IP or MAC address (repeat for several)" },
  into: { type: 'string', value: '<file>', description: 'write or merge into devices/<vendor>/<model>.yaml (default: print the draft to stdout)' },
  source: { type: 'string', value: '<url>', description: 'public https URL of the log or capture (the evidence source)' },
  format: { type: 'string', value: '<format>', choices: FORMATS.map((f) => f.name), description: 'the input format (default: detected)' },
  name: { type: 'string', value: '<text>', description: 'the device name for a new file ("Vendor Model")' },
  category: { type: 'string', value: '<category>', description: 'the category for a new file' },
  model: { type: 'string', multiple: true, value: '<model number>', description: 'a model number for a new file (repeatable)' },
  year: { type: 'string', value: '<yyyy>', description: 'the year of timestamps that carry none (BSD syslog)' },
  exclude: { type: 'string', multiple: true, value: '<ip>', description: 'leave out flows to this address (repeatable)' },
  'evidence-id': { type: 'string', value: '<slug>', description: 'the id of the evidence item' },
  title: { type: 'string', value: '<text>', description: 'the title of the evidence item' },
  firmware: { type: 'string', value: '<version>', description: 'the firmware the log was taken with' },
  region: { type: 'string', value: '<text>', description: 'where the log was taken' },
  ddns: { type: 'string', multiple: true, value: '<name>', description: 'your own dynamic-DNS name: never drafted, and its address is left out (repeatable)' },
  json: JSON_OPTION,
} as const;

export default defineCommand({
  name: 'draft',
  summary: 'draft a device file from a firewall log, DNS log or capture',
  usage: '<log-or-capture>… --device <ip|mac> [--into devices/<vendor>/<model>.yaml] [options]',
  description: 'Reads logs or captures, keeps what concerns the device and writes a draft device file (or merges into one).\nAn observed destination is not a required one: fill in what you tested afterwards.',
  positionals: { name: 'log or capture', min: 1 },
  options,
  async run({ values: v, positionals }) {
    const { normalizeIp, normalizeMac } = await import('../draft/events.js');
    const { collectDraft, describeInput, draftReport, nothingToDraft, progressLine, targetOf, vendorNameOf } = await import('../draft/command.js');
    const { SOURCE_PLACEHOLDER, writeDraft } = await import('../draft/write.js');
    const { dayOf } = await import('../draft/time.js');
    const { enumOf } = await import('../lib/schemas.js');
    const { makeDirs, writeFileAtomic } = await import('../lib/atomic.js');
    const fail = (message: string, hint?: string): never => { throw new UserError(`draft: ${message}`, EXIT.usage, hint); };
    if (!v.device?.length) fail('give --device <ip|mac>: the device whose traffic to draft');
    const ips: string[] = [];
    const macs: string[] = [];
    for (const d of v.device!) {
      const ip = normalizeIp(d);
      const mac = ip ? null : normalizeMac(d);
      if (ip) ips.push(ip); else if (mac) macs.push(mac); else fail(`--device ${d} is neither an IP address nor a MAC address`);
    }
    const exclude: string[] = [];
    for (const x of v.exclude ?? []) { const ip = normalizeIp(x); if (!ip) fail(`--exclude ${x} is not an IP address`); exclude.push(ip!); }
    if (v.source !== undefined && !/^https:\/\/[^\s/]+\.[^\s/]+/.test(v.source)) fail('--source must be an https URL a reader can open, such as a gist or a forum post with the log');
    const categories = enumOf('device.schema.json', 'properties/category');
    if (v.category && !categories.includes(v.category)) fail(`--category ${v.category} is not one of: ${categories.join(', ')}`);
    // Where the draft goes is checked before any input is read: a typo costs nothing.
    const devices = devicesDir();
    const checked = await targetOf(v.into, devices);
    if (typeof checked === 'string') return fail(checked);
    const into = checked;
    for (const p of positionals) {
      const st = lstatSync(p, { throwIfNoEntry: false }) && statSync(p, { throwIfNoEntry: false });
      if (!st) throw new UserError(`draft: ${p}: no such file`, EXIT.problems);
      if (!st.isFile()) throw new UserError(`draft: ${p}: is not a regular file (a folder, FIFO or device)`, EXIT.problems, 'save the log or capture to a file first');
    }
    const year = v.year ? Number(v.year) : undefined;
    if (year !== undefined && !(/^[0-9]{4}$/.test(v.year!) && year > 1990 && year < 3000)) fail(`--year ${v.year} is not a year`);
    for (const name of v.ddns ?? []) if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i.test(name)) fail(`--ddns ${name} is not a DNS name`);

    const progress = v.json ? null : progressLine(positionals);
    const read = (ipList: string[], macList: string[], withProgress: boolean) =>
      collectDraft(positionals, { ips: ipList, macs: macList }, { ...(v.format ? { format: v.format } : {}), ...(year ? { year } : {}), exclude, ddns: v.ddns ?? [], ...(withProgress && progress ? { progress: progress.update } : {}) });
    let run;
    try {
      run = await read(ips, macs, true);
    } catch (e) {
      if (e instanceof UserError || (e as NodeJS.ErrnoException).syscall) throw e;
      if (e instanceof RangeError) throw e;
      throw new UserError(`draft: ${(e as Error).message}`, EXIT.problems);
    } finally {
      progress?.done();
    }
    for (const input of run.inputs) {
      const s = input.stats!;
      if (s.malformed > 0 && s.malformed === s.records - s.skipped - s.other) {
        process.stderr.write(draftReport(run) + '\n');
        throw new UserError(`draft: ${input.path}: every ${input.format.name} record was malformed (${s.malformed}): this is not a ${input.format.name} input${v.format ? '; leave out --format to detect the format' : ''}`, EXIT.problems);
      }
    }
    if (run.data.endpoints.length + run.data.local.length === 0) {
      process.stderr.write(draftReport(run) + '\n');
      // Read everything once more, for no device, to name the hosts the inputs do hold.
      if (run.data.busiestOtherHosts.length === 0 && !run.data.dnsOnly) {
        const mine = new Set(run.data.deviceAddresses);
        run.data.busiestOtherHosts = (await read([], [], false)).data.busiestOtherHosts.filter((h) => !mine.has(h.address));
      }
      throw new UserError(`draft: ${nothingToDraft(run, v.device!)}`, EXIT.problems);
    }
    const guessed = !year && run.inputs.some((i) => i.stats?.yearFrom);
    const info = {
      type: run.evidenceType,
      ...(v.source ? { source: v.source } : {}),
      ...(v['evidence-id'] ? { id: v['evidence-id'] } : {}),
      ...(v.title ? { title: v.title } : {}),
      ...(v.firmware ? { firmware: v.firmware } : {}),
      ...(v.region ? { region: v.region } : {}),
      inputs: run.inputs.map(describeInput),
      fallbackDate: dayOf(Math.max(...positionals.map((p) => statSync(p).mtimeMs))),
      ...(guessed ? { yearGuessedFrom: "the log file's modification time" } : {}),
    };
    const target = into.path;
    const isNew = into.existing === null;
    let outcome;
    try {
      if (!isNew) outcome = await writeDraft(run.data, info, { existing: into.existing! });
      else {
        const [vendor, model] = into.id.split('/') as [string, string];
        const vendorName = await vendorNameOf(into);
        if (target && vendorName === null) process.stderr.write(`note: ${relative(process.cwd(), into.vendorFile)} does not exist yet; npm run new -- --vendor ${vendor} … creates it\n`);
        outcome = await writeDraft(run.data, info, { device: { id: into.id, name: v.name ?? `${vendorName ?? vendor} ${model.toUpperCase()}`, category: v.category ?? 'other', ...(v.model?.length ? { models: v.model } : {}) } });
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`draft: ${v.into}: ${(e as Error).message}`, EXIT.problems);
    }
    if (v.json) {
      process.stdout.write(JSON.stringify({
        inputs: run.inputs.map((i) => ({ path: i.path, format: i.format.name, unit: i.format.unit, ...i.stats })),
        deviceAddresses: run.data.deviceAddresses,
        endpoints: run.data.endpoints.length,
        local: run.data.local.length,
        leftOut: run.data.leftOut,
        queriedOnly: run.data.queriedOnly.length,
        ...(target ? { into: target, added: outcome.added, matched: outcome.matched, evidenceId: outcome.evidenceId, evidenceReused: outcome.evidenceReused } : { text: outcome.text }),
      }, null, 2) + '\n');
    } else process.stderr.write(draftReport(run) + '\n');
    if (target) {
      makeDirs(dirname(target));
      writeFileAtomic(target, outcome.text);
      process.stderr.write(`wrote ${relative(process.cwd(), target)}: ${outcome.added.endpoints} endpoints and ${outcome.added.local} local flows added, ${outcome.matched.endpoints + outcome.matched.local} already there (evidence "${outcome.evidenceId}"${outcome.evidenceReused ? ', reused' : ''})\n`);
    } else if (!v.json) process.stdout.write(outcome.text);
    if (guessed) process.stderr.write(`the timestamps carry no year: ${dayOf(run.data.first).slice(0, 4)} was taken from the file's modification time and written into the evidence note; pass --year if it is wrong\n`);
    if (!v.source) process.stderr.write(`the evidence source is a placeholder (${SOURCE_PLACEHOLDER}): publish the log or capture (a gist, a forum post) and pass --source <url>, or edit source: by hand; validation fails until then\n`);
    if (!v.category && isNew) process.stderr.write(`category is "other": pass --category (${categories.slice(0, 6).join(', ')}, …)\n`);
    process.stderr.write('next: fill in what you tested (needs:, party:, purpose:), then npm run validate\n');
    return EXIT.ok;
  },
});
