import type { Command } from 'commander';
import { loadConfig, type VigilConfig } from '../core/config.js';
import type { LogLevel } from '../core/log-levels.js';

/**
 * Validated configuration from the global options (--config, --log-level), the environment and the
 * config file, for commands that need no logger (so the logger's module is not loaded for them).
 * Call it from inside an action so that errors reach the CLI's one error boundary.
 */
export function configFor(command: Command): VigilConfig {
  const globals = command.optsWithGlobals<{ config?: string; logLevel?: LogLevel }>();
  return loadConfig({ file: globals.config, flags: { logLevel: globals.logLevel } });
}
