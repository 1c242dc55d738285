import { Command, CommanderError, Option } from 'commander';
import { BugError, isAbortError, isAppError } from '../core/errors.js';
import { LOG_LEVELS } from '../core/log-levels.js';
import { VIGIL_VERSION } from '../core/version.js';
import type { CliCommand } from './context.js';
import { loadCommands } from './commands/index.js';

/** Exit codes: 0 ok, 1 failure, 2 usage error, 130 cancelled (Ctrl-C). Commands may set others (CI gates). */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, CANCELLED: 130 } as const;

/** The `vigil` program with the given subcommands registered (see loadCommands for which). */
export function buildProgram(commands: readonly CliCommand[]): Command {
  const program = new Command('vigil')
    .description('Vigil: container image scanning, endpoint monitoring (osquery-style SQL) and network intrusion detection')
    .version(VIGIL_VERSION, '-V, --version', 'print the version and exit')
    .addOption(new Option('--log-level <level>', 'log verbosity on stderr').choices(LOG_LEVELS))
    .option('--config <file>', 'JSON configuration file (default: $VIGIL_CONFIG)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(`vigil: ${str.replace(/^error: /, '').trimEnd()} [USAGE]\n`),
    });
  for (const command of commands) command.register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

function wantsDebug(argv: readonly string[]): boolean {
  const i = argv.findIndex((a) => a === '--log-level' || a.startsWith('--log-level='));
  if (i < 0) return process.env.VIGIL_LOG_LEVEL === 'debug' || process.env.VIGIL_LOG_LEVEL === 'trace';
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return value === 'debug' || value === 'trace';
}

/** The CLI's one error boundary: prints `vigil: <message> [CODE]` and returns the exit code. */
export function reportError(e: unknown, debug: boolean, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
    // commander already printed its message through outputError
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (isAbortError(e)) {
    write('vigil: cancelled\n');
    return EXIT.CANCELLED;
  }
  if (isAppError(e)) {
    write(`vigil: ${e.message} [${e.code}]\n`);
    if (debug && e.stack) write(`${e.stack}\n${e.cause instanceof Error && e.cause.stack ? `caused by: ${e.cause.stack}\n` : ''}`);
    return e.code === 'USAGE' ? EXIT.USAGE : EXIT.FAILURE;
  }
  const message = e instanceof Error ? e.message : String(e);
  const kind = e instanceof BugError ? 'internal error (a bug in Vigil)' : 'unexpected error';
  write(`vigil: ${kind}: ${message} [INTERNAL]\n`);
  if (debug && e instanceof Error && e.stack) write(`${e.stack}\n`);
  else write('vigil: re-run with --log-level debug for a stack trace\n');
  return EXIT.FAILURE;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    const program = buildProgram(await loadCommands(argv));
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT.OK;
    }
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    return reportError(e, wantsDebug(argv));
  }
}

