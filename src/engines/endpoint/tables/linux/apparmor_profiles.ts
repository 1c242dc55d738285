/**
 * apparmor_profiles: loaded AppArmor profiles and their sub-profiles from securityfs
 * (/sys/kernel/security/apparmor/policy/profiles/<n>/{name,mode,attach,sha1,sha256}). `path` is
 * the profile's full name, parent//child for a sub-profile, as osquery reports it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

export const APPARMOR_PROFILES = '/sys/kernel/security/apparmor/policy/profiles';

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Rows for the profile directories under `dir`, sub-profiles included. */
export function* apparmorRows(ctx: QueryContext, dir = APPARMOR_PROFILES, parent = ''): Generator<Row> {
  for (const entry of listDir(dir)) {
    if (ctx.signal.aborted) return;
    const p = join(dir, entry);
    if (!isDir(p)) continue;
    const read = (f: string) => readTextOr(join(p, f))?.trim();
    const name = read('name');
    const mode = read('mode');
    const attach = read('attach');
    if (name === undefined || mode === undefined || attach === undefined) {
      ctx.warn(`apparmor_profiles: cannot read the profile in ${p}`);
      continue;
    }
    yield { path: parent === '' ? name : `${parent}//${name}`, name, attach, mode, sha1: read('sha1') ?? '', sha256: read('sha256') ?? '' };
    if (isDir(join(p, 'profiles'))) yield* apparmorRows(ctx, join(p, 'profiles'), name);
  }
}

/** Generator for osquery's `apparmor_profiles` table. */
export const apparmorProfiles: TableImpl = {
  name: 'apparmor_profiles',
  generate: (ctx) => apparmorRows(ctx),
};
