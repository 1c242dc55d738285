/**
 * Helpers for long operations that take an AbortSignal. Cancelling is not a failure:
 * callers check `isAbortError` and stop quietly.
 */

/** Yields to the event loop so that timers, I/O and abort handlers can run during long CPU work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Throws the signal's reason (an AbortError) when it has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/** Progress of a long operation, reported through an event callback, never printed by a library. */
export interface ProgressEvent {
  /** What is being done: 'import', 'scan', 'load-rules'... */
  readonly phase: string;
  /** Units done so far. */
  readonly done: number;
  /** Total units when known. */
  readonly total?: number;
  /** What a unit is: 'records', 'bytes', 'packets'... */
  readonly unit?: string;
  /** Free text: the current file, layer or source. */
  readonly detail?: string;
}

/** Options every long-running library call accepts. */
export interface OperationOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}
