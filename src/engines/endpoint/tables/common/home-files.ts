/**
 * Per-user files in home directories (shell history, authorized_keys): which accounts a query covers.
 */
import type { QueryContext } from '../../types.js';
import { selectAccounts, type PasswdEntry } from './passwd.js';

/**
 * The accounts whose home directories a query reads: those pinned by `uid = N`, else every account, each
 * home directory once (system accounts often share / or /nonexistent).
 */
export function accountsForHomeTables(ctx: QueryContext, table: string): PasswdEntry[] {
  const seen = new Set<string>();
  const out: PasswdEntry[] = [];
  for (const u of selectAccounts(ctx, table)) {
    const key = `${u.uid}\u0000${u.directory}`;
    if (u.directory === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out;
}
