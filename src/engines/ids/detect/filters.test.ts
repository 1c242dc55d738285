import { describe, expect, it } from 'vitest';
import { EventFilters, parseThresholdFile, type EventFilterSpec } from './filters.js';

const A = 0x0a000001;
const B = 0x0a000002;
const C = 0xc0a80001;

/** Runs events at the given packet times and returns which ones were logged. */
function run(filter: EventFilterSpec, times: number[], src = A, f = new EventFilters()): boolean[] {
  return times.map((t) => f.check(filter.gid, filter.sid, 'alert', filter, src, C, t).log);
}

describe('EventFilters (rule threshold / event_filter)', () => {
  const base = { gid: 1, sid: 10, track: 'by_src' as const, seconds: 60 };

  it('logs only the first count events per window when type is limit', () => {
    expect(run({ ...base, type: 'limit', count: 2 }, [0, 1, 2, 3, 59, 60, 61, 62])).toEqual([true, true, false, false, false, true, true, false]);
  });

  it('logs every count-th event when type is threshold', () => {
    expect(run({ ...base, type: 'threshold', count: 3 }, [0, 1, 2, 3, 4, 5, 6])).toEqual([false, false, true, false, false, true, false]);
  });

  it('logs once per window after count events when type is both', () => {
    expect(run({ ...base, type: 'both', count: 3 }, [0, 1, 2, 3, 4, 60, 61, 62, 63])).toEqual([false, false, true, false, false, false, false, true, false]);
  });

  it('counts each tracked address separately', () => {
    const f = new EventFilters();
    const spec: EventFilterSpec = { ...base, type: 'limit', count: 1 };
    expect(f.check(1, 10, 'alert', spec, A, C, 0).log).toBe(true);
    expect(f.check(1, 10, 'alert', spec, B, C, 0).log).toBe(true);
    expect(f.check(1, 10, 'alert', spec, A, C, 1).log).toBe(false);
    // by_dst tracks the destination: both sources count together
    const dst: EventFilterSpec = { ...base, sid: 11, track: 'by_dst', type: 'limit', count: 1 };
    expect(f.check(1, 11, 'alert', dst, A, C, 0).log).toBe(true);
    expect(f.check(1, 11, 'alert', dst, B, C, 0).log).toBe(false);
  });

  it('lets a threshold file entry override the rule option and a global filter cover every sid', () => {
    const { content, errors } = parseThresholdFile(
      ['event_filter gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60', 'threshold gen_id 1, sig_id 0, type limit, track by_dst, count 2, seconds 10'].join('\n'),
      't.conf',
    );
    expect(errors).toEqual([]);
    const f = new EventFilters(content);
    const rule: EventFilterSpec = { ...base, type: 'limit', count: 100 };
    expect([0, 1].map((t) => f.check(1, 10, 'alert', rule, A, C, t).log)).toEqual([true, false]);
    expect([0, 1, 2].map((t) => f.check(1, 99, 'alert', undefined, A, C, t).log)).toEqual([true, true, false]);
  });
});

describe('EventFilters (detection_filter)', () => {
  it('fires only after count matches within the window, then keeps firing', () => {
    const f = new EventFilters();
    const cfg = { track: 'by_src' as const, count: 2, seconds: 10 };
    expect([0, 1, 2, 3].map((t) => f.detectionFilter(1, 5, cfg, A, C, t))).toEqual([false, false, true, true]);
    // A new window far later starts from zero.
    expect([100, 101].map((t) => f.detectionFilter(1, 5, cfg, A, C, t))).toEqual([false, false]);
  });
});

describe('suppress and rate_filter', () => {
  it('suppresses a sid entirely or only for listed addresses', () => {
    const { content, errors } = parseThresholdFile(
      ['suppress gen_id 1, sig_id 1', 'suppress gen_id 1, sig_id 2, track by_src, ip [10.0.0.0/24, 2001:db8::/32]'].join('\n'),
      't.conf',
    );
    expect(errors).toEqual([]);
    const f = new EventFilters(content);
    expect(f.check(1, 1, 'alert', undefined, C, A, 0).log).toBe(false);
    expect(f.check(1, 2, 'alert', undefined, A, C, 0).log).toBe(false);
    expect(f.check(1, 2, 'alert', undefined, C, A, 0).log).toBe(true);
    const v6 = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(1)]);
    expect(f.check(1, 2, 'alert', undefined, v6, A, 0).log).toBe(false);
  });

  it('changes the action after the rate is exceeded, for timeout seconds', () => {
    const { content } = parseThresholdFile('rate_filter gen_id 1, sig_id 3, track by_src, count 2, seconds 10, new_action drop, timeout 5', 't');
    const f = new EventFilters(content);
    const actions = [0, 1, 2, 3, 8, 20].map((t) => f.check(1, 3, 'alert', undefined, A, C, t).action);
    expect(actions).toEqual(['alert', 'alert', 'drop', 'drop', 'alert', 'alert']);
  });

  it('reads Snort 3 Lua tables', () => {
    const text = `suppress =\n{\n  { gid = 1, sid = 7, track = 'by_dst', ip = '192.168.0.1' },\n}\nevent_filter = { { gid = 1, sid = 8, type = 'limit', track = 'by_src', count = 1, seconds = 3 } }\n`;
    const { content, errors } = parseThresholdFile(text, 'snort.lua');
    expect(errors).toEqual([]);
    expect(content.suppressions).toHaveLength(1);
    expect(content.eventFilters[0]).toMatchObject({ sid: 8, type: 'limit', count: 1, seconds: 3 });
  });

  it('reports bad lines with file:line and keeps the good ones', () => {
    const { content, errors } = parseThresholdFile(
      ['# comment', 'event_filter gen_id 1, sig_id 1, type sometimes, track by_src, count 1, seconds 1', 'bogus line', 'suppress gen_id 1, sig_id 4'].join('\n'),
      'bad.conf',
    );
    expect(errors.map((e) => `${e.file}:${e.line}`)).toEqual(['bad.conf:2', 'bad.conf:3']);
    expect(errors[0]!.reason).toMatch(/type must be/);
    expect(content.suppressions).toHaveLength(1);
  });

  it('never throws on random garbage', () => {
    let x = 7;
    const chars = 'abc_ ,=\n{}\'"0123456789.:/[]#-';
    for (let i = 0; i < 300; i++) {
      let s = '';
      for (let j = 0; j < 80; j++) {
        x = (x * 1103515245 + 12345) >>> 0;
        s += chars[x % chars.length];
      }
      expect(() => parseThresholdFile(`suppress ${s}`, 'f')).not.toThrow();
      expect(() => parseThresholdFile(`event_filter = { {${s}`, 'f')).not.toThrow();
    }
  });
});
