// Types of compile.js, which runs before anything is compiled and so is plain JavaScript.
export function cliEntryPoints(root: string): Record<string, string>;
export function compiledCli(): Promise<string | null>;
