/**
 * Log levels, apart from log.ts so that validating options and configuration does not load the
 * logger (pino) on commands that never log.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
