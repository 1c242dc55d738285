import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { privateKeyFacts, userSshKeyRows } from './user_ssh_keys.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4244, gid: 4244, home };
mkdirSync(join(home, '.ssh'));
const keygenMissing = findTool('ssh-keygen') === undefined ? 'skipped: ssh-keygen is not installed (openssh-client)' : undefined;

describe('user_ssh_keys', () => {
  it.skipIf(keygenMissing)('describes keys ssh-keygen writes, encrypted or not', () => {
    const dir = join(home, '.ssh');
    const gen = (args: string[]) => execFileSync('ssh-keygen', ['-q', ...args], { stdio: 'ignore' });
    gen(['-t', 'ed25519', '-N', '', '-f', join(dir, 'id_ed25519')]);
    gen(['-t', 'rsa', '-b', '3072', '-N', 'secret', '-f', join(dir, 'id_rsa')]);
    gen(['-t', 'ecdsa', '-b', '384', '-N', '', '-m', 'PEM', '-f', join(dir, 'id_ecdsa')]);
    const rows = [...userSshKeyRows([user], createTestContext())].sort((a, b) => String(a.path).localeCompare(String(b.path)));
    expect(rows.map((r) => [r.path, r.encrypted, r.key_type, r.key_group_name, r.key_length, r.key_security_bits])).toEqual([
      [join(dir, 'id_ecdsa'), 0, 'ec', 'secp384r1', 384, 192],
      [join(dir, 'id_ed25519'), 0, 'ed25519', '', 256, 128],
      [join(dir, 'id_rsa'), 1, 'rsa', '', 3072, 128],
    ]);
    if (!schemaMissing) expect(columnMismatch('user_ssh_keys', rows[0])).toBe('');
  });

  it('reads PEM keys with OpenSSL and ignores public keys', () => {
    const rsa = execFileSync('openssl', ['genrsa', '2048'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(privateKeyFacts(rsa)).toEqual({ encrypted: 0, key_type: 'rsa', key_group_name: '', key_length: 2048, key_security_bits: 112 });
    expect(privateKeyFacts('ssh-ed25519 AAAA user@host')).toBeUndefined();
    expect(privateKeyFacts('-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----')).toMatchObject({ encrypted: 0, key_length: -1 });
  });

  it('keeps going when a key file is garbage', () => {
    copyFileSync('/etc/hostname', join(home, '.ssh', 'notes'));
    writeFileSync(join(home, '.ssh', 'broken'), '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n');
    const rows = [...userSshKeyRows([user], createTestContext())];
    expect(rows.find((r) => String(r.path).endsWith('broken'))).toMatchObject({ encrypted: 0, key_type: '', key_length: -1 });
    expect(rows.some((r) => String(r.path).endsWith('notes'))).toBe(false);
  });
});
