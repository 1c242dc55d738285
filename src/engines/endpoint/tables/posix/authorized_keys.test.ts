import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { authorizedKeys, keysForHome, parseAuthorizedKeys } from './authorized_keys.js';

const KEYS = `# comment line
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq alice@laptop
from="10.0.0.0/8",no-pty ssh-rsa AAAAB3NzaC1yc2E bob key with spaces
command="echo ssh-rsa x" ecdsa-sha2-nistp256 AAAAE2VjZHNh
sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5 yubikey
zos-key-ring-label="KeyRing01 key1"
garbage line
`;

describe('authorized_keys', () => {
  it('parses keys with options and comments like sshd reads them', () => {
    const rows = parseAuthorizedKeys(KEYS, 1000, '/h/.ssh/authorized_keys');
    expect(rows.map((r) => [r.algorithm, r.key, r.options, r.comment])).toEqual([
      ['ssh-ed25519', 'AAAAC3NzaC1lZDI1NTE5AAAAIOMq', null, 'alice@laptop'],
      ['ssh-rsa', 'AAAAB3NzaC1yc2E', 'from="10.0.0.0/8",no-pty', 'bob key with spaces'],
      ['ecdsa-sha2-nistp256', 'AAAAE2VjZHNh', 'command="echo ssh-rsa x"', null],
      ['sk-ssh-ed25519@openssh.com', 'AAAAGnNrLXNzaC1lZDI1NTE5', null, 'yubikey'],
      [null, null, 'zos-key-ring-label="KeyRing01 key1"', null],
    ]);
  });

  it('reads both authorized_keys files of a home directory', () => {
    const home = mkdtempSync(join(tmpdir(), 'vigil-ak-'));
    try {
      mkdirSync(join(home, '.ssh'));
      writeFileSync(join(home, '.ssh', 'authorized_keys'), 'ssh-ed25519 AAA one\n');
      writeFileSync(join(home, '.ssh', 'authorized_keys2'), 'ssh-rsa BBB two\n');
      const rows = [...keysForHome(7, home, createTestContext())];
      expect(rows.map((r) => [r.uid, r.key, r.key_file])).toEqual([
        [7, 'AAA', join(home, '.ssh', 'authorized_keys')],
        [7, 'BBB', join(home, '.ssh', 'authorized_keys2')],
      ]);
    } finally {
      rmSync(home, { recursive: true });
    }
  });

  it('only reads the asked account', () => {
    expect(collectRows(authorizedKeys, { constraints: { uid: ['0'] } }).every((r) => r.uid === 0)).toBe(true);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('authorized_keys', parseAuthorizedKeys(KEYS, 0, 'f')[0]!)).toBe('');
  });
});
