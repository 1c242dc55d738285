import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { historyForHome, parseShellHistory, shellHistory } from './shell_history.js';

describe('shell_history', () => {
  it('reads bash timestamps, zsh extended lines and bash session files from a home directory', () => {
    const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
    try {
      writeFileSync(join(home, '.bash_history'), '#1700000000\nls -la\nplain command\n#not-a-time\n');
      writeFileSync(join(home, '.zsh_history'), ': 1700000100:0;git status\n');
      mkdirSync(join(home, '.bash_sessions'));
      writeFileSync(join(home, '.bash_sessions', 'A.history'), 'echo hi');
      const rows = [...historyForHome(501, home, createTestContext())];
      expect(rows.map((r) => [r.time, r.command, String(r.history_file).slice(home.length)])).toEqual([
        [1700000000, 'ls -la', '/.bash_history'],
        [0, 'plain command', '/.bash_history'],
        [0, '#not-a-time', '/.bash_history'],
        [1700000100, 'git status', '/.zsh_history'],
        [0, 'echo hi', '/.bash_sessions/A.history'],
      ]);
      expect(rows.every((r) => r.uid === 501)).toBe(true);
    } finally {
      rmSync(home, { recursive: true });
    }
  });

  it('matches the lines of the current user history file when there is one', () => {
    const uid = process.getuid!();
    const rows = collectRows(shellHistory, { constraints: { uid: [String(uid)] } });
    let text: string | undefined;
    try {
      text = readFileSync(join(homedir(), '.bash_history'), 'utf8');
    } catch {
      text = undefined;
    }
    const bash = rows.filter((r) => r.history_file === join(homedir(), '.bash_history'));
    if (text === undefined) expect(bash).toEqual([]);
    else expect(bash.length).toBe(parseShellHistory(text, uid, 'x').length);
    expect(rows.every((r) => r.uid === uid)).toBe(true);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('shell_history', parseShellHistory('ls\n', 0, 'f')[0]!)).toBe('');
  });
});
