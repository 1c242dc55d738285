import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { knownHostsRows } from './known_hosts.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4244, gid: 4244, home };
mkdirSync(join(home, '.ssh'));

describe('known_hosts', () => {
  it('lists the entries of ~/.ssh/known_hosts', () => {
    writeFileSync(join(home, '.ssh', 'known_hosts'), 'github.com ssh-ed25519 AAAAC3Nz\n# comment\n\n  |1|abc= ecdsa-sha2-nistp256 AAAA  \n');
    const rows = [...knownHostsRows([user])];
    expect(rows).toEqual([
      { uid: 4244, key: 'github.com ssh-ed25519 AAAAC3Nz', key_file: join(home, '.ssh', 'known_hosts') },
      { uid: 4244, key: '|1|abc= ecdsa-sha2-nistp256 AAAA', key_file: join(home, '.ssh', 'known_hosts') },
    ]);
    if (!schemaMissing) expect(columnMismatch('known_hosts', rows[0])).toBe('');
  });
});
