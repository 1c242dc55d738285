import type { CliCommand } from '../context.js';

/** A `vigil` subcommand by name, with the import of its module (which pulls in its engine). */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<CliCommand>;
}

/**
 * Every `vigil` subcommand, in help order. A command is listed here only once it works.
 * Modules are imported on demand: a command's module imports its engine (and the image and db
 * commands the storage drivers), which `vigil ids` or `vigil query` should not pay for at start-up.
 */
export const commandEntries: readonly CommandEntry[] = [
  // engines register their commands here: image, db, query, shell, ids
  { name: 'image', load: async () => (await import('./image.js')).imageCommand },
  { name: 'db', load: async () => (await import('./db.js')).dbCommand },
  { name: 'query', load: async () => (await import('./query.js')).queryCommand },
  { name: 'shell', load: async () => (await import('./shell.js')).shellCommand },
  { name: 'ids', load: async () => (await import('./ids.js')).idsCommand },
];

/** The subcommand named on the command line: the first argument that is neither a global option nor its value. */
export function subcommandOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--log-level' || a === '--config') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * The commands to register for this command line: only the named one when it is a known command
 * (`vigil ids ...`, `vigil ids --help`), none for `vigil --version`, every command otherwise (no subcommand, `--help`, `help`, a
 * misspelt name), so that help lists them all and commander can suggest the closest name.
 */
export async function loadCommands(argv: readonly string[]): Promise<CliCommand[]> {
  const name = subcommandOf(argv);
  // `vigil --version` prints and exits before any command is looked at.
  if (name === undefined && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help')) return [];
  const entry = commandEntries.find((e) => e.name === name);
  if (entry) return [await entry.load()];
  return Promise.all(commandEntries.map((e) => e.load()));
}
