import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { kernelKeys, parseKernelKeys } from './kernel_keys.js';

describe('kernel_keys', () => {
  it.skipIf(!existsSync('/proc/keys'))('has one row per key in /proc/keys, serials in order', () => {
    const want = readFileSync('/proc/keys', 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]);
    const rows = collectRows(kernelKeys);
    expect(rows.map((r) => r.serial_number).slice(0, want.length)).toEqual(want.slice(0, rows.length));
    expect(Math.abs(rows.length - want.length)).toBeLessThanOrEqual(1); // the test's own session keyring may come or go
  });

  it('parses fields and joins the description like osquery', () => {
    expect(parseKernelKeys('1f088015 I--Q---     1 perm 1f3f0000     0 65534 keyring   _uid_ses.0: 1\nshort line\n')).toEqual([
      { serial_number: '1f088015', flags: 'I--Q---', usage: 1, timeout: 'perm', permissions: '1f3f0000', uid: 0, gid: 65534, type: 'keyring', description: '_uid_ses.0:1' },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('kernel_keys', parseKernelKeys('1 I 1 perm 1 0 0 user a: 1\n')[0]!)).toBe('');
  });
});
