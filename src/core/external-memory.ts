import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Default growth of ArrayBuffer memory, since the last collection, after which a long-running job asks for
 * a full garbage collection: 8 MiB.
 *
 * Why: packet and stream buffers are ArrayBuffers (malloc'd outside V8's heap). Those a flow held for a
 * while were promoted to V8's old generation with their holders, and V8 frees them only at a full
 * collection, which it starts for external memory only after about 64 MB of growth. On bench/big.pcap that
 * left 30–60 MB of dead buffers resident at the peak. Collecting every 8 MiB of growth took the peak RSS
 * from 198–215 to 177–183 MB (community rules) and from 320–322 to 245–252 MB (ET), with 6–7 full
 * collections per run and no CPU difference beyond the run-to-run noise (measured 2026-11-23,
 * docs/benchmarks.md).
 */
export const EXTERNAL_GC_STEP = 8 << 20;

/** What the collector reads and calls; injectable for tests. */
export interface ExternalCollectorHooks {
  /** Current ArrayBuffer bytes (default: `process.memoryUsage().arrayBuffers`). */
  readonly arrayBuffers?: () => number;
  /** Runs a full collection (default: V8's `gc`, exposed in a separate context only). */
  readonly gc?: () => void;
}

/** V8's `gc` function, obtained without exposing `gc` on this context's global object. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Returns a check to call between units of work (every few thousand packets): it runs a full collection
 * when ArrayBuffer memory has grown by `step` bytes since the last one (see EXTERNAL_GC_STEP), so dead
 * buffers are returned early instead of piling up to V8's external-memory trigger. Live buffers are not
 * affected: after a collection, the level that remains becomes the new base.
 *
 * @example
 * const check = externalMemoryCollector();
 * for (const pkt of packets) { handle(pkt); if (++n % 4096 === 0) check(); }
 */
export function externalMemoryCollector(step = EXTERNAL_GC_STEP, hooks: ExternalCollectorHooks = {}): () => void {
  const read = hooks.arrayBuffers ?? (() => process.memoryUsage().arrayBuffers);
  let gc = hooks.gc;
  let base = read();
  return () => {
    const now = read();
    if (now - base < step) {
      // Buffers freed by V8's own collections lower the base too, so growth is measured from the lowest level.
      if (now < base) base = now;
      return;
    }
    gc ??= exposedGc();
    gc();
    base = read();
  };
}
