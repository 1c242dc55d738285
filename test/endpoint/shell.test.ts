import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type IPty } from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-shell-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** `vigil shell` from the sources under a real pseudo-terminal. */
function startShell(): { pty: IPty; output: () => string; waitFor: (pattern: RegExp | string, ms?: number) => Promise<string> } {
  const entry = `const { main } = await import(${JSON.stringify(join(repoRoot, 'src/cli/main.ts'))}); process.exitCode = await main(['node', 'vigil', 'shell']);`;
  const pty = spawn(process.execPath, ['--import', 'tsx', '-e', entry], {
    name: 'xterm',
    cols: 200,
    rows: 50,
    cwd: repoRoot,
    env: { ...process.env, HOME: home, VIGIL_DATA_DIR: join(home, 'data') } as Record<string, string>,
  });
  let out = '';
  pty.onData((d) => (out += d));
  let from = 0;
  return {
    pty,
    output: () => out,
    // Waits for text after the previous match, so each step checks fresh output.
    waitFor: (pattern, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = (): void => {
          const rest = out.slice(from);
          const m = typeof pattern === 'string' ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), 0: pattern } : null) : pattern.exec(rest);
          if (m) {
            from += m.index + m[0].length;
            resolve(rest.slice(0, m.index + m[0].length));
          } else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${out}`));
          else setTimeout(tick, 20);
        };
        tick();
      }),
  };
}

describe('vigil shell under a pseudo-terminal', () => {
  it('lists tables, shows schemas, switches modes, runs multi-line statements, cancels with Ctrl-C and keeps history', async () => {
    const sh = startShell();
    try {
      await sh.waitFor('vigil> ');
      sh.pty.write('.tables\r');
      await sh.waitFor('=> osquery_info');
      await sh.waitFor('vigil> ');

      sh.pty.write('.schema file\r');
      await sh.waitFor('CREATE TABLE file(`path` TEXT, `directory` TEXT');
      await sh.waitFor('vigil> ');

      // A statement over two lines: the shell waits for the ';' with a continuation prompt.
      sh.pty.write(`select pid, name from processes\r`);
      await sh.waitFor('...> ');
      sh.pty.write(`where pid = ${process.pid};\r`);
      const pretty = await sh.waitFor('vigil> ');
      expect(pretty).toMatch(new RegExp(`\\| ${process.pid} +\\| node +\\|`));
      expect(pretty).toContain('+-----');

      sh.pty.write('.mode json\r');
      await sh.waitFor('vigil> ');
      sh.pty.write(`select pid from processes where pid = ${process.pid};\r`);
      expect(await sh.waitFor('vigil> ')).toContain(`{"pid":"${process.pid}"}`);

      sh.pty.write('select * from no_such_table;\r');
      expect(await sh.waitFor('vigil> ')).toContain('no such table: no_such_table');

      // A query that walks the whole file system; Ctrl-C must stop it and give the prompt back.
      sh.pty.write("select count(*) from file where path like '/%%';\r");
      await new Promise((r) => setTimeout(r, 700));
      const cancelledAt = Date.now();
      sh.pty.write('\x03');
      await sh.waitFor('Query cancelled.', 5000);
      await sh.waitFor('vigil> ');
      expect(Date.now() - cancelledAt).toBeLessThan(4000);

      // The shell still works after a cancel.
      sh.pty.write('select 41 + 1 as answer;\r');
      expect(await sh.waitFor('vigil> ')).toContain('{"answer":"42"}');

      // Up-arrow recalls the previous statement.
      sh.pty.write('\x1b[A');
      await sh.waitFor('select 41 + 1 as answer;');
      sh.pty.write('\x15'); // clear the line
      sh.pty.write('.quit\r');
      await new Promise<void>((resolve) => sh.pty.onExit(() => resolve()));
      const history = readFileSync(join(home, 'data', 'shell_history'), 'utf8');
      expect(history).toContain('select 41 + 1 as answer;');
    } finally {
      sh.pty.kill();
    }
  }, 60_000);
});
