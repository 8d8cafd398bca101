import { join, relative } from 'node:path';
import { defineCommand, devicesDir, EXIT, UserError } from './args.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export default defineCommand({
  name: 'new',
  summary: 'scaffold a device file (and its vendor file)',
  usage: '--vendor <slug> --model <slug> --category <category> [options]',
  description: 'Creates devices/<vendor>/<model>.yaml with an evidence skeleton the validator rejects until it is filled in,\nand devices/<vendor>/_vendor.yaml when the vendor is new. In a terminal, asks for what is missing.',
  options: {
    vendor: { type: 'string', value: '<slug>', description: 'the vendor slug, such as tp-link' },
    model: { type: 'string', value: '<slug>', description: 'the model slug, such as hs110' },
    category: { type: 'string', value: '<category>', description: 'the device category (see the schema)' },
    name: { type: 'string', value: '<text>', description: 'the device name ("Vendor Model")' },
    'vendor-name': { type: 'string', value: '<text>', description: "the vendor's name, for a new vendor file" },
    'model-number': { type: 'string', multiple: true, value: '<text>', description: 'a model number (repeatable)' },
    connectivity: { type: 'string', multiple: true, value: '<kind>', description: 'wifi, ethernet, zigbee, … (repeatable)' },
    'evidence-type': { type: 'string', value: '<type>', description: 'the type of the first evidence item (default community-report)' },
    website: { type: 'string', value: '<url>', description: "the vendor's website, for a new vendor file" },
    force: { type: 'boolean', description: 'overwrite an existing device file' },
  },
  async run({ values: v }) {
    const { enumOf } = await import('../lib/schemas.js');
    const { deviceSkeleton, similarDevices, slugify, vendorSkeleton } = await import('../new-device.js');
    const { makeDirs, writeFileAtomic } = await import('../lib/atomic.js');
    const categories = enumOf('device.schema.json', 'properties/category');
    const connectivityValues = enumOf('device.schema.json', 'properties/connectivity/items');
    const evidenceTypes = enumOf('common.schema.json', '$defs/evidence/properties/type');
    const fail = (m: string): never => { throw new UserError(`new: ${m}`, EXIT.usage, 'netneeds new --help shows the options'); };
    let ask: import('node:readline/promises').Interface | null = null;
    if (process.stdin.isTTY) {
      const { createInterface } = await import('node:readline/promises');
      ask = createInterface({ input: process.stdin, output: process.stderr });
      // Ctrl+C at a prompt ends the command, like anywhere else; nothing has been written yet.
      ask.on('SIGINT', () => process.emit('SIGINT'));
    }
    const need = async (value: string | undefined, question: string): Promise<string | undefined> => {
      if (value !== undefined || !ask) return value;
      try {
        return (await ask.question(question)).trim() || undefined;
      } catch {
        throw new UserError('new: no answer (the input was closed)', EXIT.usage);
      }
    };
    try {
      const vendor = await need(v.vendor, 'vendor (slug, e.g. tp-link): ');
      if (!vendor || !SLUG.test(vendor)) fail(`--vendor must be a lower-case slug${vendor ? ` (try ${slugify(vendor)})` : ''}`);
      const model = await need(v.model, 'model (slug, e.g. hs110): ');
      if (!model || !SLUG.test(model)) fail(`--model must be a lower-case slug${model ? ` (try ${slugify(model)})` : ''}`);
      const category = await need(v.category, `category (${categories.join(', ')}): `);
      if (!category || !categories.includes(category)) fail(`--category must be one of: ${categories.join(', ')}`);
      for (const c of v.connectivity ?? []) if (!connectivityValues.includes(c)) fail(`--connectivity ${c} is not one of: ${connectivityValues.join(', ')}`);
      const evidenceType = v['evidence-type'] ?? 'community-report';
      if (!evidenceTypes.includes(evidenceType)) fail(`--evidence-type must be one of: ${evidenceTypes.join(', ')}`);
      const vendorName = v['vendor-name'] ?? vendor!.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-');
      const name = (await need(v.name, `name [${vendorName} ${model!.toUpperCase()}]: `)) ?? `${vendorName} ${model!.toUpperCase()}`;
      const dir = devicesDir();
      const id = `${vendor}/${model}`;
      const models = v['model-number'] ?? [];
      for (const s of similarDevices(dir, { id, name, models })) process.stderr.write(`warning: ${s.id} may be the same device (${s.reason}); add to it instead, or add its old name under aliases:\n`);
      const file = join(dir, vendor!, `${model}.yaml`);
      const { lstatSync } = await import('node:fs');
      if (lstatSync(file, { throwIfNoEntry: false }) && !v.force) throw new UserError(`new: ${relative(process.cwd(), file)} already exists`, EXIT.problems, 'add to it, or pass --force to start it again');
      makeDirs(join(dir, vendor!));
      const vendorFile = join(dir, vendor!, '_vendor.yaml');
      const vendorIsNew = !lstatSync(vendorFile, { throwIfNoEntry: false });
      writeFileAtomic(file, deviceSkeleton({ id, name, category: category!, models, connectivity: v.connectivity ?? [], evidenceType }));
      if (vendorIsNew) {
        writeFileAtomic(vendorFile, vendorSkeleton(vendor!, vendorName, v.website));
        process.stderr.write(`created ${relative(process.cwd(), vendorFile)}\n`);
      }
      process.stderr.write(`created ${relative(process.cwd(), file)}\nnext: replace the evidence source with the URL of your log, post or document, add date: (or accessed:), then add endpoints — or run npm run draft -- <your log> --device <ip> --into ${relative(process.cwd(), file)}\n`);
      return EXIT.ok;
    } finally {
      ask?.close();
    }
  },
});
