/** known_hosts: the host keys in the users' ~/.ssh/known_hosts files, one row per entry. */
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** The entries of a known_hosts file: trimmed lines that are neither blank nor comments. */
export function parseKnownHosts(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Rows for the given users. */
export function* knownHostsRows(users: readonly LocalUser[], _ctx?: QueryContext): Generator<Row> {
  for (const user of users) {
    const file = join(user.home, '.ssh', 'known_hosts');
    const text = readTextOr(file);
    if (text === undefined) continue;
    for (const key of parseKnownHosts(text)) yield { uid: user.uid, key, key_file: file };
  }
}

/** Generator for osquery's `known_hosts` table. */
export const knownHosts: TableImpl = {
  name: 'known_hosts',
  generate: (ctx) => knownHostsRows(usersForQuery(ctx.constraint('uid')), ctx),
};
