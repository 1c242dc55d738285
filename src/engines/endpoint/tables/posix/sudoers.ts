/**
 * sudoers: the rules in /etc/sudoers and the files it includes (#include, #includedir, and the
 * @include/@includedir spellings of sudo >= 1.9.1), one row per non-comment line, as osquery does.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** sudoers(5): no more than 128 files may be nested. */
const MAX_NEST = 128;

/** A parsed line of a sudoers file. */
export type SudoersLine =
  | { readonly kind: 'rule'; readonly header: string; readonly details: string }
  | { readonly kind: 'include'; readonly path: string }
  | { readonly kind: 'includedir'; readonly path: string };

/**
 * Parses sudoers text into rules and includes; comments and blank lines are dropped.
 *
 * @example
 * parseSudoers('root ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n');
 */
export function parseSudoers(text: string): SudoersLine[] {
  const out: SudoersLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const inc = /^[#@](include|includedir)\s+(.+)$/.exec(line);
    if (inc) {
      out.push({ kind: inc[1] === 'include' ? 'include' : 'includedir', path: inc[2].trim() });
      continue;
    }
    if (line.startsWith('#')) continue;
    const cols = line.split(/\s+/);
    out.push({ kind: 'rule', header: cols[0], details: cols.slice(1).join(' ') });
  }
  return out;
}

function* genFile(file: string, level: number, ctx: QueryContext, seen: Set<string>): Generator<Row> {
  if (level > MAX_NEST || seen.has(file)) {
    ctx.warn(`sudoers: include nesting too deep or cyclic at ${file}`);
    return;
  }
  const text = readTextOr(file);
  if (text === undefined) {
    ctx.warn(`sudoers: cannot read ${file}`);
    return;
  }
  seen.add(file);
  for (const line of parseSudoers(text)) {
    if (line.kind === 'rule') {
      yield { source: file, header: line.header, rule_details: line.details };
    } else if (line.kind === 'include') {
      // A relative include is read relative to the including file (sudoers(5)).
      const path = line.path.startsWith('/') ? line.path : join(dirname(file), line.path);
      yield { source: file, header: 'include', rule_details: path };
      yield* genFile(path, level + 1, ctx, seen);
    } else {
      yield { source: file, header: 'includedir', rule_details: line.path };
      let names: string[];
      try {
        names = readdirSync(line.path).sort();
      } catch (e) {
        ctx.warn(`sudoers: cannot list includedir ${line.path}`, e);
        continue;
      }
      for (const name of names) {
        // sudoers(5): files in an included directory whose name contains '.' or ends with '~' are ignored.
        if (name.includes('.') || name.endsWith('~')) continue;
        yield* genFile(join(line.path, basename(name)), level + 1, ctx, seen);
      }
    }
  }
  seen.delete(file);
}

/** Generator for osquery's `sudoers` table. */
export const sudoers: TableImpl = {
  name: 'sudoers',
  *generate(ctx) {
    if (readTextOr(SUDOERS_FILE) === undefined) return;
    yield* genFile(SUDOERS_FILE, 1, ctx, new Set());
  },
};

/** Where sudo reads its policy on Linux. */
export const SUDOERS_FILE = '/etc/sudoers';

/** Rows for a sudoers file other than /etc/sudoers (tests and tools). */
export function* sudoersRowsFrom(file: string, ctx: QueryContext): Generator<Row> {
  yield* genFile(file, 1, ctx, new Set());
}
