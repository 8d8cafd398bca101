// The one argument parser of every `netneeds` command: each command declares its options here as data
// (name, type, placeholder, allowed values, one line of help) and this module parses them with node:util
// parseArgs, writes the help text from the same declaration, and turns every mistake into a UserError.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../lib/errors.js';
import { editDistance } from '../lib/edit-distance.js';

export { UserError };

/** Exit codes, the same for every command (printed by `netneeds --help`). */
export const EXIT = {
  /** Done; the data (or the named files) passed. */
  ok: 0,
  /** The command ran and found errors: files that fail validation, a file fix refused, an input that could not be read. */
  problems: 1,
  /** The command line is wrong: an unknown command or option, a missing or bad value. */
  usage: 2,
  /** A bug in netneeds: please report it. */
  internal: 70,
  /** Interrupted (Ctrl+C). */
  interrupted: 130,
} as const;

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder in the help text: `--out <dir>`. */
  value?: string;
  /** The only values a string option takes (each, for a comma-separated list when `list` is set). */
  choices?: readonly string[];
  /** A comma-separated list: `--format nftables,mud`; repeated options add up. */
  list?: boolean;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> =
  S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : S['list'] extends true ? string[] : string;

export interface ParsedArgs<O extends OptionSpecs> {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
}

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** What follows `netneeds <name>` in the usage line. */
  usage: string;
  /** Paragraphs after the usage line. */
  description?: string;
  positionals?: { min?: number; max?: number; name: string };
  options: O;
  /** Extra help after the options (formats, examples). */
  epilog?: string | (() => string);
  run(args: ParsedArgs<O>): Promise<number> | number;
}

export const HELP_OPTION = { type: 'boolean', short: 'h', description: 'show this help and exit' } as const satisfies OptionSpec;
export const JSON_OPTION = { type: 'boolean', description: 'print the report as JSON on stdout (messages stay on stderr)' } as const satisfies OptionSpec;

export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}


export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = candidates.map((c) => [c, editDistance(word, c)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean ${best[0]}?)` : '';
}

const show = (s: string) => JSON.stringify(s);

/** Parses `argv` against a command's declared options; every mistake is a UserError with exit code 2. */
export function parseCommandArgs<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): ParsedArgs<O> & { help: boolean } {
  const specs: OptionSpecs = { ...spec.options, help: HELP_OPTION };
  const config = Object.fromEntries(Object.entries(specs).map(([name, o]) => [name, {
    type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple || o.list ? { multiple: true } : {}),
  }]));
  const where = `see netneeds ${spec.name} --help`;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'(?:-[^-' ], )?(-[^' ,]*)/.exec(err.message)?.[1] ?? '';
    const known = Object.keys(specs).map((n) => `--${n}`);
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UserError(`${spec.name}: unknown option ${flag}${didYouMean(flag.replace(/=.*/, ''), known)}`, 2, where);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flag.replace(/^-+/, '');
      const o = specs[name] ?? Object.values(specs).find((s) => s.short === name);
      if (o?.type === 'boolean') throw new UserError(`${spec.name}: ${flag} takes no value`, 2, where);
      throw new UserError(`${spec.name}: ${flag} needs a value${o?.value ? ` (${o.value})` : ''}`, 2, `write ${flag} ${o?.value ?? "<value>"}, or ${flag}=<value> for a value that starts with a dash`);
    }
    throw new UserError(`${spec.name}: ${err.message}`, 2, where);
  }
  const seen = new Map<string, number>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    const o = specs[t.name]!;
    const count = (seen.get(t.name) ?? 0) + 1;
    seen.set(t.name, count);
    if (count > 1 && o.type === 'string' && !o.multiple && !o.list) throw new UserError(`${spec.name}: --${t.name} is given ${count} times; give it once`, 2, where);
    if (o.type === 'string' && t.value !== undefined && t.value.trim() === '') throw new UserError(`${spec.name}: --${t.name} needs a value, not an empty string`, 2, where);
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [name, o] of Object.entries(specs)) {
    const v = values[name];
    if (v === undefined) continue;
    if (o.list) values[name] = (v as string[]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    if (o.choices) {
      for (const item of Array.isArray(values[name]) ? values[name] as string[] : [values[name] as string]) {
        if (!o.choices.includes(item)) throw new UserError(`${spec.name}: --${name} takes ${o.choices.join(', ')}; not ${show(item)}${didYouMean(item, o.choices)}`, 2, where);
      }
    }
  }
  const help = values.help === true;
  delete values.help;
  const positionals = parsed.positionals;
  const p = spec.positionals;
  if (!help) {
    if (!p && positionals.length > 0) throw new UserError(`${spec.name}: unexpected argument ${show(positionals[0]!)}; this command takes options only`, 2, where);
    if (p?.min !== undefined && positionals.length < p.min) throw new UserError(`${spec.name}: give at least ${p.min === 1 ? 'one' : p.min} ${p.name}`, 2, `usage: netneeds ${spec.name} ${spec.usage}`);
    if (p?.max !== undefined && positionals.length > p.max) throw new UserError(`${spec.name}: too many arguments (${positionals.length}); at most ${p.max} ${p.name}`, 2, where);
  }
  return { values: values as ParsedArgs<O>['values'], positionals, help };
}

function optionLines(options: OptionSpecs): string[] {
  const all: OptionSpecs = { ...options, help: HELP_OPTION };
  const rows = Object.entries(all).map(([name, o]) => {
    const head = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;
    return [head, o.description + (o.choices && !o.value?.includes('|') ? ` (${o.choices.join(', ')})` : '')] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([h]) => h.length)) + 2);
  return rows.map(([h, d]) => h.length + 2 > width ? `  ${h}\n  ${' '.repeat(width)}${d}` : `  ${h.padEnd(width)}${d}`);
}

export function commandHelp(spec: CommandSpec<OptionSpecs>): string {
  const parts = [`usage: netneeds ${spec.name} ${spec.usage}`, '', spec.description ?? spec.summary, '', 'options:', ...optionLines(spec.options)];
  const epilog = typeof spec.epilog === 'function' ? spec.epilog() : spec.epilog;
  if (epilog) parts.push('', epilog.trimEnd());
  return parts.join('\n') + '\n';
}

/** The devices folder a command reads: ./devices, or NETNEEDS_DEVICES. */
export function devicesDir(): string {
  return resolve(process.env.NETNEEDS_DEVICES ?? 'devices');
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
