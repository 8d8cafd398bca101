// Derives the compact Home Assistant integration list the ha-domain rule reads, so contributors' checks
// never depend on ../shared at run time. Source: home-assistant/core (Apache-2.0).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = process.argv[2] ?? fileURLToPath(new URL('../../../shared/data/home-assistant/ha-integrations.json', import.meta.url));
const raw = JSON.parse(readFileSync(source, 'utf8')) as {
  _source: { repo: string; path: string; commit: string };
  integrations: Record<string, { name?: string; iot_class?: string; integration_type?: string }>;
};
const domains: Record<string, { name: string; iot_class?: string }> = {};
for (const domain of Object.keys(raw.integrations).sort()) {
  const entry = raw.integrations[domain]!;
  domains[domain] = { name: entry.name ?? domain, ...(entry.iot_class ? { iot_class: entry.iot_class } : {}) };
}
const out = {
  attribution: `Derived from ${raw._source.repo} ${raw._source.path} @ ${raw._source.commit} (Apache-2.0): domain, name and iot_class only.`,
  domains,
};
writeFileSync(fileURLToPath(new URL('../data/ha-integrations.json', import.meta.url)), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(domains).length} domains`);
