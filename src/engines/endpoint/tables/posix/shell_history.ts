import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { accountsForHomeTables } from '../common/home-files.js';
import { readOptionalText } from '../common/text-table.js';

/** History files osquery reads in each home directory, in this order. */
export const HISTORY_FILES = ['.bash_history', '.zsh_history', '.zhistory', '.history', '.sh_history'];

const BASH_TIMESTAMP = /^#([0-9]+)$/;
const ZSH_EXTENDED = /^: {0,10}([0-9]{1,11}):[0-9]+;(.*)$/;

/**
 * Parses a shell history file like osquery: bash "#<epoch>" lines time the following command, zsh
 * extended lines ": <epoch>:<duration>;<command>" carry their own time, other lines have time 0.
 *
 * @example
 * parseShellHistory('#1700000000\nls -la\n', 0, '/root/.bash_history')[0]?.time // 1700000000
 */
export function parseShellHistory(text: string, uid: number, file: string): Row[] {
  const rows: Row[] = [];
  let pending: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (pending === undefined) {
      const ts = BASH_TIMESTAMP.exec(line);
      if (ts) {
        pending = ts[1];
        continue;
      }
    }
    let time = 0;
    let command = line;
    if (pending !== undefined) {
      time = Number(pending);
      pending = undefined;
    } else {
      const z = ZSH_EXTENDED.exec(line);
      if (z) {
        time = Number(z[1]);
        command = z[2] ?? '';
      }
    }
    rows.push({ uid, time, command, history_file: file });
  }
  return rows;
}

/** The history rows of one account's home directory. */
export function* historyForHome(uid: number, directory: string, ctx: QueryContext): Generator<Row> {
  const files = HISTORY_FILES.map((f) => join(directory, f));
  try {
    const sessions = join(directory, '.bash_sessions');
    for (const f of readdirSync(sessions).sort()) if (f.endsWith('.history')) files.push(join(sessions, f));
  } catch {
    // no macOS-style bash sessions directory: the common case
  }
  for (const file of files) {
    const text = readOptionalText(file, ctx, 'shell_history');
    if (text !== undefined) yield* parseShellHistory(text, uid, file);
  }
}

/**
 * `shell_history`: commands from every account's shell history files (bash, zsh, sh). `WHERE uid = N`
 * reads one account.
 *
 * @example
 * const mine = [...shellHistory.generate(createTestContext({ constraints: { uid: ['0'] } }))];
 */
export const shellHistory: TableImpl = {
  name: 'shell_history',
  *generate(ctx) {
    for (const u of accountsForHomeTables(ctx, 'shell_history')) {
      if (ctx.signal.aborted) return;
      yield* historyForHome(u.uid, u.directory, ctx);
    }
  },
};
