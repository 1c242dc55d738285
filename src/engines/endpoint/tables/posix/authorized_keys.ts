import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { accountsForHomeTables } from '../common/home-files.js';
import { readOptionalText } from '../common/text-table.js';

export const AUTHORIZED_KEYS_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2'];

/**
 * Key types recognised in authorized_keys. osquery knows the first five; the DSA and FIDO (sk-) types
 * are added because sshd accepts them and an auditor must see them.
 */
export const SSH_KEY_TYPES = [
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-dss',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

const WS = /[ \t]/;

function keyRow(line: string, keyType: string, at: number, uid: number, file: string): Row | undefined {
  let rest = line.slice(at + keyType.length);
  const lead = rest.length - rest.trimStart().length;
  rest = rest.slice(lead);
  if (rest === '') return undefined;
  const end = rest.search(WS);
  const key = end < 0 ? rest : rest.slice(0, end);
  const comment = end < 0 ? null : rest.slice(end).trimStart();
  const options = at > 0 ? line.slice(0, at).trimEnd() : null;
  return { uid, algorithm: keyType, key, options, comment, key_file: file, pid_with_namespace: 0 };
}

/**
 * Parses an authorized_keys file like osquery: for each non-comment line, the first known key type
 * preceded by nothing or by options (unlike osquery, a key type inside a quoted option is not taken); a line with only a z/OS key-ring label option keeps its options.
 *
 * @example
 * parseAuthorizedKeys('from="10.0.0.1" ssh-ed25519 AAAAC3 alice@laptop\n', 1000, '/home/alice/.ssh/authorized_keys')[0]?.options // 'from="10.0.0.1"'
 */
export function parseAuthorizedKeys(text: string, uid: number, file: string): Row[] {
  const rows: Row[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    // The key type is the first whole token, outside the options' double quotes, that is a known type
    // (a quoted command="... ssh-rsa ..." must not be taken for the key).
    let found = false;
    let inQuote = false;
    for (let at = 0; at < line.length && !found; at++) {
      const c = line[at]!;
      if (c === '"' && line[at - 1] !== '\\') inQuote = !inQuote;
      if (inQuote || (at > 0 && !WS.test(line[at - 1]!))) continue;
      const keyType = SSH_KEY_TYPES.find((t) => line.startsWith(t, at) && WS.test(line[at + t.length] ?? ''));
      if (keyType === undefined) continue;
      const row = keyRow(line, keyType, at, uid, file);
      if (row) rows.push(row);
      found = true;
    }
    if (!found && line.split(',').some((o) => o.trim().startsWith('zos-key-ring-label='))) {
      rows.push({ uid, algorithm: null, key: null, options: line, comment: null, key_file: file, pid_with_namespace: 0 });
    }
  }
  return rows;
}

/** The authorized keys of one account's home directory. */
export function* keysForHome(uid: number, directory: string, ctx: QueryContext): Generator<Row> {
  for (const f of AUTHORIZED_KEYS_FILES) {
    const file = join(directory, f);
    const text = readOptionalText(file, ctx, 'authorized_keys');
    if (text !== undefined) yield* parseAuthorizedKeys(text, uid, file);
  }
}

/**
 * `authorized_keys`: SSH public keys that may log in as each account (~/.ssh/authorized_keys and
 * authorized_keys2). `WHERE uid = N` reads one account.
 *
 * @example
 * const rootKeys = [...authorizedKeys.generate(createTestContext({ constraints: { uid: ['0'] } }))];
 */
export const authorizedKeys: TableImpl = {
  name: 'authorized_keys',
  *generate(ctx) {
    for (const u of accountsForHomeTables(ctx, 'authorized_keys')) {
      if (ctx.signal.aborted) return;
      yield* keysForHome(u.uid, u.directory, ctx);
    }
  },
};
