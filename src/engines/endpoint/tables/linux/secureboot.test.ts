import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { EFIVARS_DIR, efiBool, secureboot } from './secureboot.js';

describe('secureboot', () => {
  it('has one row with UEFI variables, none without', () => {
    const rows = collectRows(secureboot);
    if (!existsSync(EFIVARS_DIR)) expect(rows).toEqual([]);
    else if (rows.length > 0) expect([0, 1, -1, null]).toContain(rows[0]!.secure_boot);
  });

  it('decodes efivarfs booleans after the attribute bytes', () => {
    expect(efiBool(Buffer.from([6, 0, 0, 0, 1]))).toBe(1);
    expect(efiBool(Buffer.from([6, 0, 0, 0, 0]))).toBe(0);
    expect(efiBool(Buffer.from([6, 0, 0, 0, 7]))).toBe(-1);
    expect(efiBool(Buffer.from([6, 0, 0]))).toBeNull();
    expect(efiBool(undefined)).toBeNull();
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(secureboot);
    if (row) expect(columnMismatch('secureboot', row)).toBe('');
  });
});
