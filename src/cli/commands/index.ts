import type { CliCommand } from '../context.js';
import { queryCommand } from './query.js';
import { shellCommand } from './shell.js';

/** The subcommand named on the command line: the first argument that is neither a global option nor its value. */
function subcommandOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--log-level' || a === '--config') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * `vigil query` and `vigil shell` are run by scripts many times a second, like osqueryi: they start without
 * loading the image, db and IDS commands, whose modules import their engines and the storage drivers.
 */
const endpointOnly = ['query', 'shell'].includes(subcommandOf(process.argv) ?? '');

/**
 * Every `vigil` subcommand, in help order. A command is listed here only once it works.
 */
export const commands: readonly CliCommand[] = endpointOnly
  ? [queryCommand, shellCommand]
  : [
      // engines register their commands here: image, db, query, shell, ids
      (await import('./image.js')).imageCommand,
      (await import('./db.js')).dbCommand,
      queryCommand,
      shellCommand,
      (await import('./ids.js')).idsCommand,
    ];
