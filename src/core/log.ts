import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './log-levels.js';

export type Logger = PinoLogger;
export { LOG_LEVELS, type LogLevel } from './log-levels.js';

/**
 * A pino logger writing JSON lines to stderr (stdout is reserved for machine output).
 *
 * @example
 * const log = createLogger({ level: 'debug', name: 'ids' });
 * log.warn({ file, line }, 'rule skipped');
 */
export function createLogger(options: { level?: LogLevel; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', name: options.name, base: undefined },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything; the default for library calls that were given none. */
export const silentLogger: Logger = pino({ level: 'silent' });
