/**
 * A value-or-error return for hot paths (decoders, matchers) where throwing is too costly
 * and failure is an expected outcome.
 */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** @example return ok(parsed); */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** @example return err('depth must be positive'); */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
