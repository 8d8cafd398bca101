import { defineCommand, devicesDir, EXIT, UserError } from './args.js';

/** A MUD profile is a few kilobytes; the largest published ones are under 100 KB. */
export const MAX_MUD_BYTES = 4 * 1024 * 1024;

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);

export default defineCommand({
  name: 'import-mud',
  summary: 'RFC 8520 MUD profiles → draft device files',
  usage: '<file.json>… [--id <vendor>/<model>] [options]',
  description: `Imports each MUD profile (a regular file of at most ${MAX_MUD_BYTES / 1024 / 1024} MiB) into a new device file, or merges it into the\nexisting one, with an evidence item of type mud-profile; prints every entry that was not imported and why.`,
  positionals: { name: 'MUD profile (.json)', min: 1 },
  options: {
    id: { type: 'string', value: '<vendor>/<model>', description: 'the device id (default: from the profile\'s mfg-name and model-name)' },
    name: { type: 'string', value: '<text>', description: 'the device name' },
    category: { type: 'string', value: '<category>', description: 'the device category (default other)' },
    source: { type: 'string', value: '<url>', description: 'where a reader can open the profile (default: its MUD URL)' },
    'evidence-id': { type: 'string', value: '<slug>', description: 'the id of the evidence item (default mud-<year>)' },
    title: { type: 'string', value: '<text>', description: 'the title of the evidence item' },
    'vendor-name': { type: 'string', value: '<text>', description: "the vendor's name, for a new vendor file" },
    'vendor-website': { type: 'string', value: '<url>', description: "the vendor's website, for a new vendor file" },
    'dry-run': { type: 'boolean', description: 'print what would be written; write nothing' },
  },
  async run({ values: v, positionals: files }) {
    const { formatImport, importMud, parseMudText } = await import('../import/mud/index.js');
    const { MudError } = await import('../import/mud/read.js');
    const { readBoundedFile } = await import('../lib/read-input.js');
    const { describeFailure } = await import('./index.js');
    const dir = devicesDir();
    let failed = 0;
    for (const file of files) {
      try {
        const profile = parseMudText(readBoundedFile(file, MAX_MUD_BYTES, 'MUD profile').toString('utf8'), file);
        const vendorName = v['vendor-name'] ?? profile.mfgName;
        const id = v.id ?? (profile.mfgName && profile.modelName ? `${slug(profile.mfgName)}/${slug(profile.modelName)}` : undefined);
        if (!id) {
          const missing = profile.mfgName ? 'model-name' : profile.modelName ? 'mfg-name' : 'mfg-name and model-name';
          throw new MudError(`ietf-mud:mud/${missing.split(' ')[0]}`, `${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing, so the device id cannot be derived`, 'pass --id vendor/model');
        }
        const imp = importMud(profile, dir, {
          id,
          name: v.name ?? ([profile.mfgName, profile.modelName ?? profile.systeminfo].filter(Boolean).join(' ') || id),
          category: v.category ?? 'other',
          ...(v.source ? { source: v.source } : {}),
          ...(v['evidence-id'] ? { evidenceId: v['evidence-id'] } : {}),
          ...(v.title ? { title: v.title } : {}),
          ...(vendorName ? { vendor: { name: vendorName, ...(v['vendor-website'] ? { website: v['vendor-website'] } : {}) } } : {}),
        }, v['dry-run'] === true);
        process.stdout.write(formatImport(file, imp, dir) + '\n');
        if (!imp.outcome) failed++;
        else if (v['dry-run']) process.stdout.write(imp.outcome.text);
      } catch (e) {
        failed++;
        if (e instanceof MudError) process.stderr.write(`${file}: ${e.message}${e.hint ? `\n    hint: ${e.hint}` : ''}\n`);
        else if (e instanceof UserError) process.stderr.write(`${e.message.startsWith(file) ? '' : `${file}: `}${e.message}${e.hint ? `\n    hint: ${e.hint}` : ''}\n`);
        else {
          const { message, code } = describeFailure(e);
          if (code === EXIT.internal) throw e;
          process.stderr.write(`${file}: ${message.replace(/^netneeds: /, '')}\n`);
        }
      }
    }
    return failed ? EXIT.problems : EXIT.ok;
  },
});
