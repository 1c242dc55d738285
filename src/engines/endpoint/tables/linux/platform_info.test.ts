import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { DMI_ID, platformInfo, platformInfoRow } from './platform_info.js';

describe('platform_info', () => {
  it('reads the BIOS record of a dmi/id directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-dmi-'));
    writeFileSync(join(dir, 'bios_vendor'), 'SeaBIOS\n');
    writeFileSync(join(dir, 'bios_version'), '1.16.2-debian-1.16.2-1\n');
    writeFileSync(join(dir, 'bios_date'), '04/01/2014\n');
    writeFileSync(join(dir, 'bios_release'), '0.0\n');
    const row = platformInfoRow(dir, false)!;
    expect(row).toMatchObject({ vendor: 'SeaBIOS', version: '1.16.2-debian-1.16.2-1', date: '04/01/2014', revision: '0.0', firmware_type: 'bios' });
    if (!schemaMissing) expect(columnMismatch('platform_info', row)).toBe('');
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a row exactly when this machine exports SMBIOS', () => {
    expect(collectRows(platformInfo)).toHaveLength(existsSync(join(DMI_ID, 'bios_vendor')) ? 1 : 0);
  });
});
