import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, TableImpl } from '../../types.js';
import { readOptionalText, tokens } from '../common/text-table.js';

export const SYSTEM_CRONTAB = '/etc/crontab';

/** Directories of crontabs osquery reads, in this order (system, macOS, RHEL, Debian). */
export const CRON_DIRS = ['/etc/cron.d/', '/var/at/tabs/', '/var/spool/cron/', '/var/spool/cron/crontabs/'];

/**
 * Parses a crontab like osquery: comments and blank lines skipped; "@event command" or five time fields
 * then the command (rejoined with single spaces); lines without a command (variables) skipped. In
 * system crontabs the user field stays at the start of the command, as in osquery.
 *
 * @example
 * parseCrontab('17 * * * * root cd / && run-parts --report /etc/cron.hourly\n', '/etc/crontab')[0]?.hour // '*'
 */
export function parseCrontab(text: string, path: string): Row[] {
  const rows: Row[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const t = tokens(line);
    const row: Row = {
      event: null,
      minute: null,
      hour: null,
      day_of_month: null,
      month: null,
      day_of_week: null,
      command: null,
      path,
      pid_with_namespace: 0,
    };
    let commandStart: number;
    if (t[0]!.startsWith('@')) {
      row.event = t[0]!;
      commandStart = 1;
    } else {
      [row.minute, row.hour, row.day_of_month, row.month, row.day_of_week] = [t[0]!, t[1] ?? null, t[2] ?? null, t[3] ?? null, t[4] ?? null];
      commandStart = 5;
    }
    const command = t.slice(commandStart).join(' ');
    if (command === '') continue;
    row.command = command;
    rows.push(row);
  }
  return rows;
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .sort()
      .map((f) => join(dir, f))
      .filter((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/**
 * `crontab`: scheduled jobs from /etc/crontab, /etc/cron.d and the per-user spools.
 *
 * @example
 * const jobs = [...crontab.generate(createTestContext())];
 */
export const crontab: TableImpl = {
  name: 'crontab',
  *generate(ctx) {
    for (const path of [SYSTEM_CRONTAB, ...CRON_DIRS.flatMap(filesIn)]) {
      const text = readOptionalText(path, ctx, 'crontab');
      if (text !== undefined) yield* parseCrontab(text, path);
    }
  },
};
