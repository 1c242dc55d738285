/**
 * Error types shared by every layer.
 *
 * `AppError` is an expected failure caused by input or environment (a bad rule, a corrupt layer,
 * an unreachable database). It carries a stable `code` listed in docs/errors.md. `BugError` is a
 * broken invariant inside Vigil and is never thrown because of bad input.
 */

/** What an error code means and what the user should do about it. */
export interface ErrorCodeInfo {
  readonly summary: string;
  readonly action: string;
}

/** A catalog of error codes, one per area (core, storage, each engine). */
export type ErrorCatalog = Readonly<Record<string, ErrorCodeInfo>>;

/**
 * Declares a catalog of error codes. Codes are SCREAMING_SNAKE_CASE and stable: scripts match them.
 *
 * @example
 * export const IDS_ERRORS = defineErrorCodes({
 *   IDS_RULE_PARSE: { summary: 'A rule could not be parsed.', action: 'Fix the rule at the file:line shown.' },
 * });
 */
export function defineErrorCodes<const T extends ErrorCatalog>(catalog: T): T {
  for (const code of Object.keys(catalog)) {
    if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code)) {
      throw new BugError(`error code ${JSON.stringify(code)} is not SCREAMING_SNAKE_CASE`);
    }
  }
  return Object.freeze(catalog);
}

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable context: file, line, key, offset... Serialised in JSON error bodies. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * An expected failure with a stable code and a message that names the input, the place and what to do.
 *
 * @example
 * throw new AppError('CONFIG_INVALID', 'vigil.json: storage.driver: expected "sqlite" or "postgres"');
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  /** The JSON body an HTTP boundary returns for this error. */
  toJSON(): { code: string; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * A broken invariant: a bug in Vigil, never the user's input.
 *
 * @example
 * if (offset < 0) throw new BugError('cursor moved before the buffer start');
 */
export class BugError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BugError';
  }
}

/** True for AppError instances, including ones from another copy of this module. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (e instanceof Error && e.name === 'AppError' && typeof (e as AppError).code === 'string');
}

/** True when `e` is the error an aborted AbortSignal produces. Cancelling is not a failure. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: unknown }).code === 'ABORT_ERR');
}

/** A short description of any thrown value, for logs and messages. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
