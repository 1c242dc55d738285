/**
 * Distribution detection from os-release (etc/os-release, then usr/lib/os-release), with the
 * older release files as fallbacks for images without one.
 */

/** Files read to detect the distribution, in priority order. */
export const DISTRO_FILES = ['etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'etc/debian_version', 'etc/redhat-release', 'etc/system-release', 'etc/lsb-release'] as const;

/** Parses os-release `KEY=value` lines (shell-style quotes and escapes). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      v = v.slice(1, -1);
      if (m[2]!.startsWith('"')) v = v.replace(/\\(["\\$`])/g, '$1');
    }
    out[m[1]!] = v;
  }
  return out;
}

/** A distribution without its layer (the caller knows which layer the file came from). */
export interface DistroFields {
  readonly id: string;
  readonly versionId: string;
  readonly codename?: string;
  readonly prettyName?: string;
}

/** Maps RHEL-family names in release files to os-release IDs. */
const REDHAT_NAMES: [RegExp, string][] = [
  [/^Red Hat Enterprise Linux/i, 'rhel'],
  [/^Rocky Linux/i, 'rocky'],
  [/^AlmaLinux/i, 'almalinux'],
  [/^CentOS/i, 'centos'],
  [/^Amazon Linux/i, 'amzn'],
  [/^Fedora/i, 'fedora'],
];

/**
 * Reads distribution fields from one of DISTRO_FILES, or undefined when the file says nothing usable.
 *
 * @example
 * distroFromFile('etc/os-release', 'ID=alpine\nVERSION_ID=3.14.0\n'); // { id: 'alpine', versionId: '3.14.0' }
 */
export function distroFromFile(path: string, text: string): DistroFields | undefined {
  if (path.endsWith('os-release')) {
    const f = parseOsRelease(text);
    if (!f.ID) return undefined;
    const id = f.ID.toLowerCase();
    let versionId = f.VERSION_ID ?? '';
    // Debian testing/sid have no VERSION_ID; keep the codename as the version.
    if (versionId === '' && f.VERSION_CODENAME) versionId = f.VERSION_CODENAME;
    return {
      id,
      versionId,
      ...(f.VERSION_CODENAME ? { codename: f.VERSION_CODENAME } : {}),
      ...(f.PRETTY_NAME ? { prettyName: f.PRETTY_NAME } : {}),
    };
  }
  const first = text.split('\n')[0]!.trim();
  if (path === 'etc/alpine-release' && /^\d+\.\d+/.test(first)) return { id: 'alpine', versionId: first };
  if (path === 'etc/debian_version' && /^\d+(\.\d+)*$/.test(first)) return { id: 'debian', versionId: first.split('.')[0]! };
  if (path === 'etc/lsb-release') {
    const f = parseOsRelease(text);
    if (f.DISTRIB_ID && f.DISTRIB_RELEASE) return { id: f.DISTRIB_ID.toLowerCase(), versionId: f.DISTRIB_RELEASE, ...(f.DISTRIB_CODENAME ? { codename: f.DISTRIB_CODENAME } : {}) };
    return undefined;
  }
  if (path === 'etc/redhat-release' || path === 'etc/system-release') {
    const v = /release\s+(\d+(?:\.\d+)*)/i.exec(first);
    const id = REDHAT_NAMES.find(([re]) => re.test(first))?.[1];
    if (id && v) return { id, versionId: v[1]!, prettyName: first };
  }
  return undefined;
}
