import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../../core/paths.js';
import type { CliCommand } from '../context.js';

/**
 * `vigil shell`: an interactive SQL shell like osqueryi (.tables, .schema, .mode, history, multi-line
 * statements, Ctrl-C cancels the running query). History lives in <data dir>/shell_history.
 */
export const shellCommand: CliCommand = {
  name: 'shell',
  register(program: Command) {
    program
      .command('shell')
      .description('interactive osquery-compatible SQL shell (like osqueryi)')
      .option('--no-history', 'do not read or write the shell history file')
      .action(async (opts: { history: boolean }) => {
        const { runShell } = await import('../../engines/endpoint/shell/repl.js');
        await runShell({
          input: process.stdin,
          output: process.stdout,
          ...(opts.history ? { historyFile: join(defaultDataDir(), 'shell_history') } : {}),
        });
      });
  },
};
