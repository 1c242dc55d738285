import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { sshConfigRows } from './ssh_configs.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4244, gid: 4244, home };
mkdirSync(join(home, '.ssh'));

describe('ssh_configs', () => {
  it('reads options per Host/Match block, lowercased, then the system file', () => {
    writeFileSync(join(home, '.ssh', 'config'), 'Host github.com\n  User git\n# c\nMatch host x\n ForwardAgent Yes\n');
    const sys = join(home, 'ssh_config');
    writeFileSync(sys, 'Include /etc/ssh/ssh_config.d/*.conf\nHost *\n  SendEnv LANG\n');
    const rows = [...sshConfigRows([user], sys)];
    expect(rows.map((r) => [r.uid, r.block, r.option])).toEqual([
      [4244, 'host github.com', 'user git'],
      [4244, 'match host x', 'forwardagent yes'],
      [0, '', 'include /etc/ssh/ssh_config.d/*.conf'],
      [0, 'host *', 'sendenv lang'],
    ]);
    if (!schemaMissing) expect(columnMismatch('ssh_configs', rows[0])).toBe('');
  });
});
