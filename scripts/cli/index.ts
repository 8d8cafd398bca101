// The `netneeds` command: every subcommand lives in this folder, one module each, declaring its options for
// the shared parser (args.ts). A command's heavy code is imported only when it runs.
import { packageVersion, REPO_URL } from '../lib/project.js';
import { systemErrorMessage, UserError } from '../lib/errors.js';
import { commandHelp, didYouMean, EXIT, parseCommandArgs, type CommandSpec, type OptionSpecs } from './args.js';
import { cleanUpPendingWrites } from '../lib/atomic.js';
import { clearStatusLine } from '../lib/status-line.js';

const COMMANDS: Record<string, () => Promise<{ default: unknown }>> = {
  validate: () => import('./validate.js'),
  fix: () => import('./fix.js'),
  build: () => import('./build.js'),
  policy: () => import('./policy.js'),
  draft: () => import('./draft.js'),
  new: () => import('./new.js'),
  'import-mud': () => import('./import-mud.js'),
  rules: () => import('./rules.js'),
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

async function loadCommand(name: string): Promise<CommandSpec<OptionSpecs>> {
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) throw new UserError(`unknown command ${JSON.stringify(name)}${didYouMean(name, COMMAND_NAMES)}`, EXIT.usage, 'netneeds --help lists the commands');
  return (await load()).default as CommandSpec<OptionSpecs>;
}

export async function mainHelp(): Promise<string> {
  const specs = await Promise.all(COMMAND_NAMES.map(loadCommand));
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length)) + 2;
  return `usage: netneeds <command> [options]

What smart-home and IoT devices need on the network: checks the device files, builds the dataset and writes
firewall rules.

commands:
${specs.map((s) => `  ${s.name.padEnd(width)}${s.summary}`).join('\n')}

netneeds help <command> (or netneeds <command> --help) shows a command's options.
netneeds --version prints the version.

exit codes:
  ${EXIT.ok}    done; the data passed
  ${EXIT.problems}    the command found errors (files that fail validation, refused or unreadable files)
  ${EXIT.usage}    the command line is wrong (unknown command or option, missing or bad value)
  ${EXIT.internal}   a bug in netneeds: please report it at ${REPO_URL}/issues
  ${EXIT.interrupted}  interrupted (Ctrl+C)

environment:
  NETNEEDS_DEVICES  the devices folder (default ./devices)
  NETNEEDS_DEBUG=1  print the stack of an internal error
`;
}

/** Runs one command line and returns its exit code; user mistakes come back as UserError. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) { process.stderr.write(await mainHelp()); return EXIT.usage; }
  if (first === '-h' || first === '--help') { process.stdout.write(await mainHelp()); return EXIT.ok; }
  if (first === '-v' || first === '--version') { process.stdout.write(`${packageVersion()}\n`); return EXIT.ok; }
  if (first === 'help') {
    if (rest.length === 0) { process.stdout.write(await mainHelp()); return EXIT.ok; }
    if (rest.length > 1) throw new UserError('help takes one command name', EXIT.usage);
    process.stdout.write(commandHelp(await loadCommand(rest[0]!)));
    return EXIT.ok;
  }
  if (first.startsWith('-')) throw new UserError(`unknown option ${first}; the command comes first`, EXIT.usage, 'netneeds --help lists the commands');
  const spec = await loadCommand(first);
  const parsed = parseCommandArgs(spec, rest);
  if (parsed.help) { process.stdout.write(commandHelp(spec)); return EXIT.ok; }
  return spec.run(parsed);
}

const visible = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The message for an error that ended a command, and its exit code: no stack for the user's mistakes. */
export function describeFailure(e: unknown): { message: string; code: number } {
  if (e instanceof UserError) return { message: `netneeds: ${visible(e.message)}${e.hint ? `\n    hint: ${visible(e.hint)}` : ''}`, code: e.exitCode };
  const system = systemErrorMessage(e);
  if (system) return { message: `netneeds: ${visible(system)}`, code: EXIT.problems };
  if (e instanceof RangeError && /Invalid string length|Array buffer allocation failed/.test(e.message)) {
    return { message: 'netneeds: an input is too large to hold in memory', code: EXIT.problems };
  }
  const text = e instanceof Error ? e.message : String(e);
  const stack = process.env.NETNEEDS_DEBUG && e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return {
    message: `netneeds: internal error: ${visible(text.split('\n')[0]!)}\n    this is a bug in netneeds; please report it with the command you ran at ${REPO_URL}/issues` +
      `${stack ? stack : '\n    (NETNEEDS_DEBUG=1 prints the stack)'}`,
    code: EXIT.internal,
  };
}

let exiting = false;
function fail(e: unknown): void {
  if (exiting) return;
  // A closed pipe (`netneeds policy … | head`) is the reader's choice, not an error.
  if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') { exiting = true; cleanUpPendingWrites(); process.exit(process.exitCode ?? 0); }
  const { message, code } = describeFailure(e);
  clearStatusLine();
  process.stderr.write(message + '\n');
  process.exitCode = code;
}

/** Runs a command line and prints any failure as a message: the exit code is returned, nothing is thrown. */
export async function execute(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    const { message, code } = describeFailure(e);
    clearStatusLine();
    process.stderr.write(message + '\n');
    return code;
  }
}

/** The process entry: runs the command line and sets the exit code; Ctrl+C and every failure end cleanly. */
export async function runCli(argv: string[]): Promise<void> {
  const interrupted = (code: number) => {
    if (exiting) return;
    exiting = true;
    cleanUpPendingWrites();
    // The terminal echoed ^C on the line: wiping the progress line wipes it too; otherwise start a new line.
    process.stderr.write(`${clearStatusLine() ? '' : '\n'}netneeds: interrupted\n`);
    process.exit(code);
  };
  process.on('SIGINT', () => interrupted(EXIT.interrupted));
  process.on('SIGTERM', () => interrupted(143));
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.stdout.on('error', fail);
  process.exitCode = await execute(argv);
}
