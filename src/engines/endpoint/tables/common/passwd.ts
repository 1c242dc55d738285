/**
 * The local account databases (/etc/passwd, /etc/group, /etc/shadow): pure parsers plus readers.
 * osquery asks NSS (getpwent); on a host whose nsswitch uses only `files` -- the default on Debian,
 * Ubuntu, Fedora and in containers -- that is exactly these files. Accounts from LDAP/SSSD are not seen.
 */
import { readFileSync } from 'node:fs';
import type { QueryContext } from '../../types.js';

export const PASSWD_FILE = '/etc/passwd';
export const GROUP_FILE = '/etc/group';
export const SHADOW_FILE = '/etc/shadow';

export interface PasswdEntry {
  readonly username: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly directory: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly groupname: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export interface ShadowEntry {
  readonly username: string;
  readonly password: string;
  /** Days fields; -1 when empty, as glibc's getspent reports them. */
  readonly lastChange: number;
  readonly min: number;
  readonly max: number;
  readonly warning: number;
  readonly inactive: number;
  readonly expire: number;
  readonly flag: number | null;
}

function lines(text: string): string[] {
  // NIS compat entries (+/-) are NSS directives, not accounts.
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('+') && !l.startsWith('-'));
}

function id(field: string | undefined): number | undefined {
  if (field === undefined || !/^[0-9]+$/.test(field)) return undefined;
  const n = Number(field);
  return n <= 0xffffffff ? n : undefined;
}

/**
 * Parses passwd(5) text. Malformed lines are reported through `onBad` (1-based line number) and skipped.
 *
 * @example
 * parsePasswd('root:x:0:0:root:/root:/bin/bash\n')[0]?.shell // '/bin/bash'
 */
export function parsePasswd(text: string, onBad?: (line: number) => void): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!lines(line).length) return;
    const f = line.split(':');
    const uid = id(f[2]);
    const gid = id(f[3]);
    if (f.length < 7 || uid === undefined || gid === undefined || f[0] === '') {
      onBad?.(i + 1);
      return;
    }
    out.push({ username: f[0]!, uid, gid, gecos: f[4]!, directory: f[5]!, shell: f.slice(6).join(':') });
  });
  return out;
}

/**
 * Parses group(5) text. Malformed lines are reported through `onBad` and skipped.
 *
 * @example
 * parseGroup('sudo:x:27:alice,bob\n')[0]?.members // ['alice', 'bob']
 */
export function parseGroup(text: string, onBad?: (line: number) => void): GroupEntry[] {
  const out: GroupEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!lines(line).length) return;
    const f = line.split(':');
    const gid = id(f[2]);
    if (f.length < 4 || gid === undefined || f[0] === '') {
      onBad?.(i + 1);
      return;
    }
    const members = (f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    out.push({ groupname: f[0]!, gid, members });
  });
  return out;
}

/**
 * Parses shadow(5) text. Empty numeric fields are -1, as getspent reports them.
 *
 * @example
 * parseShadow('root:*:19000:0:99999:7:::\n')[0]?.inactive // -1
 */
export function parseShadow(text: string, onBad?: (line: number) => void): ShadowEntry[] {
  const out: ShadowEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!lines(line).length) return;
    const f = line.split(':');
    if (f.length < 8 || f[0] === '') {
      onBad?.(i + 1);
      return;
    }
    const day = (v: string | undefined): number => (v !== undefined && /^-?[0-9]+$/.test(v) ? Number(v) : -1);
    out.push({
      username: f[0]!,
      password: f[1] ?? '',
      lastChange: day(f[2]),
      min: day(f[3]),
      max: day(f[4]),
      warning: day(f[5]),
      inactive: day(f[6]),
      expire: day(f[7]),
      // An empty flag field is reported empty (NULL), unlike the day fields, as osquery shows it.
      flag: f[8] !== undefined && /^-?[0-9]+$/.test(f[8]) ? Number(f[8]) : null,
    });
  });
  return out;
}

function readDb<T>(path: string, parse: (t: string, bad: (n: number) => void) => T[], ctx: QueryContext, table: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    ctx.warn(`${table}: cannot read ${path}`, e);
    return [];
  }
  return parse(text, (n) => ctx.warn(`${table}: ${path}:${n}: malformed entry skipped`));
}

/** The accounts in /etc/passwd; an unreadable file gives one warning and no accounts. */
export function readPasswd(ctx: QueryContext, table: string): PasswdEntry[] {
  return readDb(PASSWD_FILE, parsePasswd, ctx, table);
}

/** The groups in /etc/group; an unreadable file gives one warning and no groups. */
export function readGroups(ctx: QueryContext, table: string): GroupEntry[] {
  return readDb(GROUP_FILE, parseGroup, ctx, table);
}

/** The entries of /etc/shadow (root only); an unreadable file gives one warning and no entries. */
export function readShadow(ctx: QueryContext, table: string): ShadowEntry[] {
  return readDb(SHADOW_FILE, parseShadow, ctx, table);
}

/** A 32-bit id seen as signed, as osquery's uid_signed/gid_signed columns show it (4294967294 -> -2). */
export function toSigned32(n: number): number {
  return n > 0x7fffffff ? n - 0x100000000 : n;
}

/**
 * The accounts a query asks for, with osquery's pushdown: `uid` constraints first, then `username`.
 */
export function selectAccounts(ctx: QueryContext, table: string): PasswdEntry[] {
  const all = readPasswd(ctx, table);
  const uids = ctx.constraint('uid');
  if (uids !== undefined) return all.filter((u) => uids.includes(String(u.uid)));
  const names = ctx.constraint('username');
  if (names !== undefined) return all.filter((u) => names.includes(u.username));
  return all;
}
