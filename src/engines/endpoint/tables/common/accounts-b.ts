/**
 * Local accounts from /etc/passwd and /etc/group, for tables that show owners (suid_bin) or walk
 * users' home directories (browser profiles, language packages). osquery reads the same databases
 * through getpwent; NSS sources other than files are out of reach without libc.
 */
import { readTextOr } from './sysfs.js';

export interface LocalUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** Parses passwd(5) text; malformed lines are skipped. */
export function parsePasswd(text: string): LocalUser[] {
  const users: LocalUser[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    users.push({ name: f[0], uid, gid, home: f[5] });
  }
  return users;
}

/** Parses group(5) text into gid -> name; malformed lines are skipped. */
export function parseGroupNames(text: string): Map<number, string> {
  const groups = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3) continue;
    const gid = Number(f[2]);
    if (Number.isInteger(gid) && !groups.has(gid)) groups.set(gid, f[0]);
  }
  return groups;
}

/** The users in /etc/passwd (empty when it cannot be read). */
export function readLocalUsers(passwdPath = '/etc/passwd'): LocalUser[] {
  const text = readTextOr(passwdPath);
  return text === undefined ? [] : parsePasswd(text);
}

/** uid -> user name and gid -> group name, as getpwuid/getgrgid would answer from the files. */
export function readAccountNames(): { user(uid: number): string; group(gid: number): string } {
  const users = new Map<number, string>();
  for (const u of readLocalUsers()) if (!users.has(u.uid)) users.set(u.uid, u.name);
  const groupText = readTextOr('/etc/group');
  const groups = groupText === undefined ? new Map<number, string>() : parseGroupNames(groupText);
  return {
    user: (uid) => users.get(uid) ?? String(uid),
    group: (gid) => groups.get(gid) ?? String(gid),
  };
}

/**
 * The users a per-user table (osquery's `user_data` tables) looks at: those pinned by a `uid`
 * constraint, else only the user running the query, as osquery does (it warns and suggests
 * `JOIN users USING (uid)` to see everyone).
 */
export function usersForQuery(uidConstraint: readonly string[] | undefined): LocalUser[] {
  const all = readLocalUsers();
  const wanted = new Set(uidConstraint === undefined ? [process.getuid?.() ?? -1] : uidConstraint.map(Number));
  const seen = new Set<number>();
  return all.filter((u) => (wanted.has(u.uid) && !seen.has(u.uid) ? (seen.add(u.uid), true) : false));
}
