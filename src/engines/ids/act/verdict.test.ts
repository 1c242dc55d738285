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
});
