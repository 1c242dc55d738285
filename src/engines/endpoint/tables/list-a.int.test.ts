/**
 * Batch A against a real osqueryi on the same machine: the same SQL must give the same rows. Runs only
 * when VIGIL_OSQUERYI names an osqueryi binary (see ../shared/endpoint/PEERS.md); osqueryi is a
 * comparison tool, never a dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEndpointEngine } from '../index.js';

const OSQUERYI = process.env.VIGIL_OSQUERYI;
const missing = OSQUERYI === undefined || !existsSync(OSQUERYI) ? 'skipped: set VIGIL_OSQUERYI to an osqueryi binary to compare with osquery' : undefined;
if (missing) console.warn(missing);

/** Queries whose answer does not change between two runs a second apart. */
const STABLE = [
  'select * from users',
  'select * from groups',
  'select * from user_groups',
  'select * from shadow',
  'select * from etc_hosts',
  'select * from etc_services',
  'select * from etc_protocols',
  'select * from dns_resolvers',
  'select * from kernel_info',
  'select * from kernel_modules',
  'select * from kernel_keys',
  'select * from os_version',
  'select * from deb_packages',
  'select * from rpm_packages',
  'select * from apt_sources',
  'select * from yum_sources',
  'select * from crontab',
  'select * from mounts where type not in (\'proc\', \'sysfs\', \'cgroup2\', \'tmpfs\', \'devtmpfs\')',
  'select * from startup_items',
  'select * from shell_history',
  'select * from authorized_keys',
  'select * from last',
  'select * from logged_in_users',
  'select * from systemd_units',
  'select * from portage_packages',
  'select pid, name, path, cmdline, cwd, root, uid, gid, euid, egid, parent, pgroup, cgroup_path, start_time from processes where pid = 1',
];

const key = (row: Record<string, unknown>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])));

describe.skipIf(missing)('batch A equals osqueryi', () => {
  const engine = createEndpointEngine();
  // osqueryi's librpm creates ~/.rpmdb on Debian: give it a throwaway HOME.
  const home = mkdtempSync(join(tmpdir(), 'vigil-osqueryi-home-'));
  afterAll(() => {
    engine.close();
    rmSync(home, { recursive: true, force: true });
  });
  for (const sql of STABLE) {
    it(sql, () => {
      const theirs = (JSON.parse(execFileSync(OSQUERYI!, ['--json', sql], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, unknown>[]).map(key).sort();
      const ours = engine.all(sql).map(key).sort();
      expect(ours).toEqual(theirs);
    });
  }
});
