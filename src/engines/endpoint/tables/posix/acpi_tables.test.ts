import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { acpiTableRows, acpiTables } from './acpi_tables.js';

describe('acpi_tables', () => {
  it('hashes each table file, subdirectories included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-acpi-'));
    mkdirSync(join(dir, 'dynamic'));
    writeFileSync(join(dir, 'APIC'), 'apic-bytes');
    writeFileSync(join(dir, 'dynamic', 'SSDT1'), 'ssdt');
    const rows = [...acpiTableRows(createTestContext(), dir)];
    expect(rows).toEqual([
      { name: 'APIC', size: 10, md5: createHash('md5').update('apic-bytes').digest('hex') },
      { name: 'dynamic/SSDT1', size: 4, md5: createHash('md5').update('ssdt').digest('hex') },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the machine tables (as root) with their real sizes', () => {
    for (const r of collectRows(acpiTables)) {
      expect(Number(r.size)).toBeGreaterThan(0);
      if (!schemaMissing) expect(columnMismatch('acpi_tables', r)).toBe('');
    }
  });
});
