import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
