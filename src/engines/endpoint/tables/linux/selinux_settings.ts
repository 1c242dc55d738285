/**
 * selinux_settings: SELinux's state from selinuxfs (/sys/fs/selinux), laid out as osquery does:
 * the root settings (scope ''), booleans (on/off), policy capabilities, initial contexts and the
 * class/permission tree (scope 'class'). Empty where SELinux is not enabled.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const SELINUXFS = '/sys/fs/selinux';

const ROOT_KEYS = ['checkreqprot', 'deny_unknown', 'enforce', 'mls', 'policyvers', 'reject_unknown'];
const SCOPES = ['booleans', 'policy_capabilities', 'initial_contexts'];

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** A selinuxfs boolean file ("1 1": current and pending value) in osquery's words, or undefined while a change is pending. */
export function booleanValue(raw: string): string | undefined {
  const v = raw.replace(/\0/g, '').trim();
  return v === '0 0' ? 'off' : v === '1 1' ? 'on' : undefined;
}

function* classRows(dir: string, key: string): Generator<Row> {
  for (const entry of listDir(dir)) {
    const path = join(dir, entry);
    if (isDir(path)) yield* classRows(path, key === '' ? entry : `${key}/${entry}`);
    else if (entry !== 'index') yield { scope: 'class', key, value: entry };
  }
}

/** Rows for a selinuxfs mount at `root`. */
export function* selinuxRows(ctx: QueryContext, root = SELINUXFS): Generator<Row> {
  if (statSync(join(root, 'enforce'), { throwIfNoEntry: false }) === undefined) return;
  for (const key of ROOT_KEYS) {
    const value = readTextOr(join(root, key));
    if (value === undefined) ctx.warn(`selinux_settings: cannot read ${join(root, key)}`);
    else yield { scope: '', key, value: value.replace(/\0/g, '').trim() };
  }
  for (const scope of SCOPES) {
    for (const key of listDir(join(root, scope))) {
      const path = join(root, scope, key);
      if (isDir(path)) continue;
      const raw = readTextOr(path);
      if (raw === undefined) {
        ctx.warn(`selinux_settings: cannot read ${path}`);
        continue;
      }
      const value = scope === 'booleans' ? booleanValue(raw) : raw.replace(/\0/g, '').trim();
      if (value === undefined) ctx.warn(`selinux_settings: boolean ${key} has a pending change (${raw.trim()})`);
      else yield { scope, key, value };
    }
  }
  yield* classRows(join(root, 'class'), '');
}

/** Generator for osquery's `selinux_settings` table. */
export const selinuxSettings: TableImpl = {
  name: 'selinux_settings',
  generate: (ctx) => selinuxRows(ctx),
};
