import { execFileSync } from 'node:child_process';
import { arch } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../types.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { applyOsRelease, osVersion, readOsRelease } from './os_version.js';

describe('os_version', () => {
  it('matches what /etc/os-release says, as a shell sourcing it reads it', () => {
    const text = readOsRelease();
    const [row] = collectRows(osVersion);
    if (text === undefined) {
      expect(row!.name).toBe('Unknown');
      return;
    }
    const shell = (v: string) => execFileSync('sh', ['-c', `. /etc/os-release; printf %s "$${v}"`], { encoding: 'utf8' });
    expect(row!.name).toBe(shell('NAME'));
    expect(row!.platform).toBe(shell('ID'));
    expect(String(row!.major)).toBe(shell('VERSION_ID').split('.')[0]);
    expect(row!.arch).toBe(arch() === 'x64' ? 'x86_64' : row!.arch);
  });

  it('splits VERSION_ID and strips quotes', () => {
    const r: Row = {};
    applyOsRelease(r, 'NAME="Ubuntu"\nVERSION_ID="22.04.3"\nUBUNTU_CODENAME=jammy\nID_LIKE=debian\n');
    expect(r).toEqual({ name: 'Ubuntu', major: 22, minor: 4, patch: 3, codename: 'jammy', platform_like: 'debian' });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('os_version', collectRows(osVersion)[0]!)).toBe('');
  });
});
