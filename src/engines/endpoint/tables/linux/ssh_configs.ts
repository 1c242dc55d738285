/**
 * ssh_configs: the options of the users' ~/.ssh/config and of /etc/ssh/ssh_config, each with the
 * Host or Match block it belongs to; lowercased as osquery reports them.
 */
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/**
 * Parses ssh_config(5) text into (block, option) pairs.
 *
 * @example
 * parseSshConfig('Host *\n  ForwardAgent no\n'); // [{ block: 'host *', option: 'forwardagent no' }]
 */
export function parseSshConfig(text: string): { block: string; option: string }[] {
  const out: { block: string; option: string }[] = [];
  let block = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim().toLowerCase();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('host ') || line.startsWith('match ')) block = line;
    else out.push({ block, option: line });
  }
  return out;
}

function* fileRows(uid: number, file: string): Generator<Row> {
  const text = readTextOr(file);
  if (text === undefined) return;
  for (const { block, option } of parseSshConfig(text)) yield { uid, block, option, ssh_config_file: file };
}

/** Rows for the given users' configs, then the system-wide one (uid 0). */
export function* sshConfigRows(users: readonly LocalUser[], systemFile = SYSTEM_SSH_CONFIG): Generator<Row> {
  for (const user of users) yield* fileRows(user.uid, join(user.home, '.ssh', 'config'));
  yield* fileRows(0, systemFile);
}

/** Generator for osquery's `ssh_configs` table. */
export const sshConfigs: TableImpl = {
  name: 'ssh_configs',
  generate: (ctx) => sshConfigRows(usersForQuery(ctx.constraint('uid'))),
};
