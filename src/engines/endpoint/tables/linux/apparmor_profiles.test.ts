import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { apparmorProfiles, apparmorRows } from './apparmor_profiles.js';

function profile(dir: string, name: string, mode: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'name'), `${name}\n`);
  writeFileSync(join(dir, 'mode'), `${mode}\n`);
  writeFileSync(join(dir, 'attach'), `${name}\n`);
  writeFileSync(join(dir, 'sha1'), 'da39a3ee5e6b4b0d3255bfef95601890afd80709\n');
}

describe('apparmor_profiles', () => {
  it('reads profiles and sub-profiles from an apparmorfs layout', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-apparmor-'));
    profile(join(root, 'usr.sbin.cupsd.1'), '/usr/sbin/cupsd', 'enforce');
    profile(join(root, 'usr.sbin.cupsd.1', 'profiles', 'third_party.2'), 'third_party', 'complain');
    const rows = [...apparmorRows(createTestContext(), root)];
    expect(rows.map((r) => [r.path, r.name, r.mode])).toEqual([
      ['/usr/sbin/cupsd', '/usr/sbin/cupsd', 'enforce'],
      ['/usr/sbin/cupsd//third_party', 'third_party', 'complain'],
    ]);
    if (!schemaMissing) expect(columnMismatch('apparmor_profiles', rows[0])).toBe('');
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the loaded profiles of this machine (none without AppArmor)', () => {
    for (const r of collectRows(apparmorProfiles)) expect(typeof r.mode).toBe('string');
  });
});
