/**
 * Per-flow state of the inspect stage (the wizard and the HTTP inspector), kept on the flow itself.
 * The flow table's flows have an `inspectState` field for it (one property load per packet, no map
 * lookup); flows from other flow stages get the field added on first use.
 */
import type { FlowState } from '../types.js';

/** What the inspectors keep per flow. `wizard` is 0 until the wizard has decided. */
export interface InspectSlots {
  /** Wizard progress: bit 0x1 client data seen, 0x2 server data seen, bits 0xf0 units looked at, 0x100 decided. */
  wizard: number;
  /** The HTTP inspector's per-flow state (opaque here). */
  http: unknown;
}

interface WithSlot {
  inspectState?: unknown;
}

/** The flow's inspector state, created on first use. */
export function slotsOf(flow: FlowState): InspectSlots {
  const f = flow as FlowState & WithSlot;
  let s = f.inspectState as InspectSlots | undefined;
  if (s === undefined) {
    s = { wizard: 0, http: undefined };
    f.inspectState = s;
  }
  return s;
}

/** The flow's inspector state if any stage created it. */
export function peekSlots(flow: FlowState): InspectSlots | undefined {
  return (flow as FlowState & WithSlot).inspectState as InspectSlots | undefined;
}
