import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseShadow } from '../common/passwd.js';
import { hashAlgorithm, passwordStatus, shadow } from './shadow.js';

const isRoot = process.getuid?.() === 0;

describe('shadow', () => {
  it.skipIf(!isRoot)('equals getent shadow (names, aging fields, status)', () => {
    const want = parseShadow(execFileSync('getent', ['shadow'], { encoding: 'utf8' }));
    const got = collectRows(shadow);
    expect(got.map((r) => r.username)).toEqual(want.map((w) => w.username));
    for (const [i, w] of want.entries()) {
      expect(got[i]).toMatchObject({ last_change: w.lastChange, max: w.max, password_status: passwordStatus(w.password) });
    }
  });

  it('classifies passwords like osquery', () => {
    expect(passwordStatus('!!')).toBe('not_set');
    expect(passwordStatus('!$6$x')).toBe('locked');
    expect(passwordStatus('*')).toBe('locked');
    expect(passwordStatus('')).toBe('empty');
    expect(passwordStatus('$6$salt$hash')).toBe('active');
    expect(hashAlgorithm('$6$salt$hash')).toBe('6');
    expect(hashAlgorithm('!$6$salt$hash')).toBeNull();
  });

  it('gives -1 for empty aging fields and NULL for an empty flag', () => {
    expect(parseShadow('a:*:19000:0:99999:7:::\n')[0]).toMatchObject({ inactive: -1, expire: -1, flag: null, min: 0 });
  });

  it.skipIf(schemaMissing || !isRoot)('has exactly osquery columns', () => {
    const [row] = collectRows(shadow);
    expect(columnMismatch('shadow', row!)).toBe('');
  });
});
