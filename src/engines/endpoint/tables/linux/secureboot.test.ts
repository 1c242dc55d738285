import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { EFIVARS, secureBootRow, secureboot } from './secureboot.js';

describe('secureboot', () => {
  it('reads the SecureBoot and SetupMode variables of an efivarfs directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-efivars-'));
    const guid = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
    writeFileSync(join(dir, `SecureBoot-${guid}`), Buffer.from([0x06, 0, 0, 0, 1]));
    writeFileSync(join(dir, `SetupMode-${guid}`), Buffer.from([0x06, 0, 0, 0, 0]));
    const row = secureBootRow(dir)!;
    expect(row).toMatchObject({ secure_boot: 1, setup_mode: 0 });
    if (!schemaMissing) expect(columnMismatch('secureboot', row)).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a row exactly when this machine booted with UEFI variables', () => {
    expect(collectRows(secureboot)).toHaveLength(existsSync(EFIVARS) && secureBootRow() !== undefined ? 1 : 0);
  });
});
