import { existsSync, readFileSync, statSync } from 'node:fs';
import { machine } from 'node:os';
import type { Row, TableImpl } from '../../types.js';
import { readTextOrUndefined } from '../common/proc.js';

const OS_RELEASE_COLUMNS: Readonly<Record<string, string>> = {
  NAME: 'name',
  VERSION: 'version',
  BUILD_ID: 'build',
  ID: 'platform',
  ID_LIKE: 'platform_like',
  VERSION_CODENAME: 'codename',
  VERSION_ID: '_id',
};

/**
 * Applies os-release(5) text to an os_version row the way osquery does: mapped keys, quotes removed,
 * VERSION_ID split into major/minor/patch, any other *CODENAME* key taken as the codename.
 *
 * @example
 * const r: Row = {}; applyOsRelease(r, 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n'); r.major // 12
 */
export function applyOsRelease(row: Row, text: string): void {
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    let column = OS_RELEASE_COLUMNS[key];
    if (column === undefined) {
      if (!key.includes('CODENAME')) continue;
      column = 'codename';
    }
    if (value.startsWith('"') || value.startsWith("'")) value = value.slice(1, -1);
    if (column === '_id') {
      const parts = value.split('.');
      const [major, minor, ...patch] = parts;
      const toInt = (v: string | undefined): number | null => {
        const n = Number.parseInt(v ?? '', 10);
        return Number.isFinite(n) ? n : null;
      };
      if (major !== undefined) row.major = toInt(major);
      if (minor !== undefined) row.minor = toInt(minor);
      if (patch.length > 0) row.patch = toInt(patch.join('.'));
      continue;
    }
    row[column] = value;
  }
}

/**
 * `os_version`: the distribution from /etc/os-release (with osquery's /etc/redhat-release and
 * /etc/gentoo-release overrides) and the machine architecture.
 *
 * @example
 * const [os] = osVersion.generate(createTestContext());
 */
export const osVersion: TableImpl = {
  name: 'os_version',
  *generate() {
    const row: Row = {
      name: 'Unknown',
      version: null,
      major: 0,
      minor: 0,
      patch: 0,
      build: null,
      platform: 'posix',
      platform_like: null,
      codename: null,
      arch: machine(),
      extra: null,
      install_date: null,
      revision: null,
      pid_with_namespace: 0,
      mount_namespace_id: null,
    };
    const osRelease = '/etc/os-release';
    if (existsSync(osRelease) && statSync(osRelease).size > 0) {
      const text = readTextOrUndefined(osRelease);
      if (text !== undefined) applyOsRelease(row, text);
    }
    const redhat = readTextOrUndefined('/etc/redhat-release');
    const gentoo = redhat === undefined ? readTextOrUndefined('/etc/gentoo-release') : undefined;
    const content = redhat ?? gentoo;
    if (content !== undefined) {
      row.platform = redhat !== undefined ? 'rhel' : 'gentoo';
      row.platform_like = row.platform;
      const text = content.trim().replace(/\s+/g, ' ');
      const m = /([\w+\s]+) .* ([0-9]+)\.([0-9]+)\.?(\w+)?/.exec(text);
      if (m) {
        row.name = m[1] ?? '';
        row.major = Number(m[2]);
        row.minor = Number(m[3]);
        row.patch = m[4] === undefined ? 0 : Number.parseInt(m[4], 10) || 0;
      }
      row.version = text;
      row.build = '';
    }
    yield row;
  },
};

/** Exposed for tests: the os-release file as text, or undefined. */
export function readOsRelease(): string | undefined {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return undefined;
  }
}
