import { describe, expect, it } from 'vitest';
import type { FlowState } from '../types.js';
import { verdictFor, VerdictTracker } from './verdict.js';

const flow = (): FlowState => ({ id: 1, established: true, bits: new Set(), clientBytes: 0, serverBytes: 0, service: undefined }) as unknown as FlowState;

describe('verdictFor', () => {
  it('uses Snort 3 action strings in IDS, inline and passive-inline modes', () => {
    expect(['alert', 'log', 'pass', 'drop', 'sdrop', 'block', 'reject'].map((a) => verdictFor(a as never, false))).toEqual(['allow', 'allow', 'allow', 'would_drop', 'would_drop', 'would_block', 'would_reset']);
    expect(['alert', 'drop', 'block', 'reject'].map((a) => verdictFor(a as never, true))).toEqual(['allow', 'drop', 'block', 'reset']);
    expect(['drop', 'block', 'reject'].map((a) => verdictFor(a as never, true, false))).toEqual(['cant_drop', 'cant_block', 'cant_reset']);
  });
});

describe('VerdictTracker', () => {
  it('drops a packet on drop, blocks the flow on block, and passes everything in IDS mode', () => {
    const inline = new VerdictTracker({ inline: true });
    const f = flow();
    inline.begin();
    inline.onEvent('alert', f);
    expect(inline.end()).toBe(true);
    inline.begin();
    inline.onEvent('drop', f);
    expect(inline.end()).toBe(false);
    expect(inline.checkBlocked(f)).toBe(false);
    inline.begin();
    expect(inline.onEvent('block', f)).toBe('block');
    expect(inline.end()).toBe(false);
    inline.begin();
    expect(inline.checkBlocked(f)).toBe(true);
    expect(inline.end()).toBe(false);
    expect(inline.counts).toMatchObject({ allowed: 1, dropped: 1, blocked: 2, flowsBlocked: 1 });

    const ids = new VerdictTracker({ inline: false });
    ids.begin();
    expect(ids.onEvent('block', f)).toBe('would_block');
    expect(ids.end()).toBe(true);
    ids.begin();
    expect(ids.checkBlocked(f)).toBe(false);
    expect(ids.end()).toBe(true);
    expect(ids.counts).toMatchObject({ allowed: 2, wouldDrop: 1, blocked: 0 });
  });

  it('keeps a unit\'s drop apart until it is put on the current frame or on a held frame', () => {
    const v = new VerdictTracker({ inline: true });
    const f = flow();
    v.begin(); // frame 1 passes and is held back
    expect(v.end()).toBe(true);
    v.begin(); // frame 2: a PDU of frame 1's data is inspected while frame 2 is processed
    v.beginUnit();
    v.onEvent('drop', f);
    const level = v.endUnit();
    expect(level).toBe(1);
    expect(v.applyToHeld(level)).toBe(true);
    expect(v.end()).toBe(true); // frame 2 itself passes
    expect(v.counts).toMatchObject({ allowed: 1, dropped: 1 });
    v.begin(); // frame 3 completes a PDU itself
    v.beginUnit();
    v.onEvent('alert', f);
    expect(v.endUnit()).toBe(0);
    expect(v.applyToHeld(0)).toBe(false);
    v.beginUnit();
    v.onEvent('reject', f);
    v.applyToCurrent(v.endUnit());
    expect(v.end()).toBe(false);
    expect(v.counts).toMatchObject({ allowed: 1, dropped: 1, rejected: 1 });
  });
});
