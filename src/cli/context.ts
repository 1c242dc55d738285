import type { Command } from 'commander';
import { createLogger, type Logger } from '../core/log.js';
import type { VigilConfig } from '../core/config.js';
import { configFor } from './global-config.js';

/** What every command gets: validated configuration and a logger on stderr. */
export interface CliContext {
  readonly config: VigilConfig;
  readonly log: Logger;
}

/** A `vigil` subcommand: one file per command under commands/, listed in commands/index.ts. */
export interface CliCommand {
  readonly name: string;
  register(program: Command): void;
}

/**
 * Builds the context from the global options (--config, --log-level), the environment and the
 * config file. Call it from inside an action so that errors reach the CLI's one error boundary.
 */
export function contextFor(command: Command): CliContext {
  const config = configFor(command);
  return { config, log: createLogger({ level: config.logLevel }) };
}
