import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseLimits, ulimitInfo } from './ulimit_info.js';

describe('ulimit_info', () => {
  it('equals the limits prlimit reports for this process', () => {
    const rows = collectRows(ulimitInfo);
    const out = execFileSync('prlimit', ['--pid', String(process.pid), '--raw', '--noheadings', '--output', 'RESOURCE,SOFT,HARD'], { encoding: 'utf8' });
    const want = new Map(out.trim().split('\n').map((l) => {
      const [r, soft, hard] = l.trim().split(/\s+/);
      return [r.toLowerCase(), [soft, hard]];
    }));
    for (const r of rows) {
      const w = want.get(String(r.type));
      if (w) expect([r.soft_limit, r.hard_limit]).toEqual(w);
    }
    expect(rows.map((r) => r.type)).toContain('nofile');
  });

  it('parses /proc/<pid>/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \nMax core file size        0                    unlimited            bytes     \n';
    expect(parseLimits(text)).toEqual([
      { type: 'core', soft_limit: '0', hard_limit: 'unlimited' },
      { type: 'nofile', soft_limit: '1024', hard_limit: '524288' },
    ]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('ulimit_info', collectRows(ulimitInfo)[0])).toBe('');
  });
});
