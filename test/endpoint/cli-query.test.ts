import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';

/** Runs `vigil` from the sources (tsx), as a whole process. */
function vigil(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `const { main } = await import(${JSON.stringify(join(repoRoot, 'src/cli/main.ts'))}); process.exitCode = await main(process.argv.slice(0, 1).concat(['vigil'], process.argv.slice(1)));`, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('vigil query', () => {
  it('prints osqueryi --json: an array of objects whose values are all strings', () => {
    const r = vigil('query', '--json', `select pid, name, parent from processes where pid = ${process.pid}`);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(['name', 'parent', 'pid']);
    expect(rows[0]!.pid).toBe(String(process.pid));
    expect(rows[0]!.parent).toBe(String(process.ppid));
  });

  it('prints the pretty table by default and csv/line/list on request', () => {
    expect(vigil('query', "select 1 as a, 'x' as b").stdout).toBe('+---+---+\n| a | b |\n+---+---+\n| 1 | x |\n+---+---+\n');
    expect(vigil('query', '--csv', "select 1 as a, 'x' as b").stdout).toBe('a|b\n1|x\n');
    expect(vigil('query', '--list', "select 1 as a, 'x' as b").stdout).toBe('a|b\n1|x\n');
    expect(vigil('query', '--line', "select 1 as a, 'x' as b").stdout).toBe('    a = 1\n    b = x\n');
  });

  it("fails with SQLite's message and code EP_SQL for an unknown table", () => {
    const r = vigil('query', 'select * from no_such_table');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('vigil: no such table: no_such_table [EP_SQL]\n');
    expect(r.stdout).toBe('');
  });

  it('names the required columns when file is queried without them', () => {
    const r = vigil('query', 'select * from file');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/table file needs a constraint on path or directory.*\[EP_REQUIRED_CONSTRAINT\]/);
  });

  it('refuses two output modes at once', () => {
    const r = vigil('query', '--json', '--csv', 'select 1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[USAGE\]/);
  });
});

describe('vigil query, osqueryi habits', () => {
  it('takes a double-quoted word that names no column as a string, as osquery does', () => {
    const r = vigil('query', '--json', 'select path from file where path = "/etc/passwd"');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ path: '/etc/passwd' }]);
  });

  it('runs several statements and prints one JSON array, like osqueryi', () => {
    const r = vigil('query', '--json', "select 1 as x; select 'a;b' as y;");
    expect(r.stdout).toBe('[\n  {"x":"1"},\n  {"y":"a;b"}\n]\n');
  });
});
