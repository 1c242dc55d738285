import Database from 'better-sqlite3';
import { describeError } from '../../../core/errors.js';
import { buildPurl, distroQualifier, type DetectedPackage, type PackageDetector } from './detector.js';
import { parseRpmHeader, splitSourceRpm } from './rpm-header.js';

const SQLITE_DB = 'var/lib/rpm/rpmdb.sqlite';
const SQLITE_DB_USR = 'usr/lib/sysimage/rpm/rpmdb.sqlite';

/** purl namespace per os-release ID, as Trivy and the purl spec use them. */
const NAMESPACE: Record<string, string> = {
  rhel: 'redhat',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'almalinux',
  amzn: 'amazon',
  fedora: 'fedora',
  ol: 'oracle',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  sles: 'suse',
};

/**
 * rpm: the sqlite rpmdb (RHEL 9, Rocky/Alma 9, Fedora 33+, Amazon Linux 2023). The database bytes
 * are opened in memory (better-sqlite3 deserialises a Buffer): nothing is written to disk. Each
 * `Packages.blob` is an rpm header. BerkeleyDB and ndb rpmdbs are not read (reported as a warning).
 */
export const rpm: PackageDetector = {
  name: 'rpm',
  version: '1',
  kind: 'os',
  wants: [
    { pattern: SQLITE_DB, maxBytes: 512 * 1024 * 1024 },
    { pattern: SQLITE_DB_USR, maxBytes: 512 * 1024 * 1024 },
  ],
  accepts: (path) => path === SQLITE_DB || path === SQLITE_DB_USR,
  detect(path, content, context) {
    const packages: DetectedPackage[] = [];
    const problems: string[] = [];
    const d = context.distribution;
    let db: Database.Database | undefined;
    try {
      // rpm keeps its sqlite db in WAL mode; a deserialised in-memory db cannot use WAL, so the
      // header's read/write format bytes (18, 19) are set back to rollback-journal on a copy.
      const bytes = Buffer.from(content);
      if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
        bytes[18] = 1;
        bytes[19] = 1;
      }
      db = new Database(bytes, { readonly: true });
      const rows = db.prepare('SELECT hnum, blob FROM Packages').all() as { hnum: number; blob: Buffer }[];
      for (const row of rows) {
        if (!(row.blob instanceof Uint8Array)) {
          problems.push(`${path}: Packages row ${row.hnum}: blob is not binary; skipped`);
          continue;
        }
        const h = parseRpmHeader(row.blob);
        if (!h.ok) {
          problems.push(`${path}: Packages row ${row.hnum}: ${h.error}; skipped`);
          continue;
        }
        const f = h.value;
        if (f.name === 'gpg-pubkey') continue; // imported signing keys, not software
        const version = `${f.epoch !== undefined && f.epoch !== 0 ? `${f.epoch}:` : ''}${f.version}-${f.release}`;
        const src = f.sourceRpm !== undefined ? splitSourceRpm(f.sourceRpm) : undefined;
        packages.push({
          ecosystem: 'rpm',
          name: f.name,
          version,
          ...(src ? { sourceName: src.name, sourceVersion: `${f.epoch ? `${f.epoch}:` : ''}${src.version}-${src.release}` } : {}),
          ...(f.arch ? { arch: f.arch } : {}),
          purl: buildPurl('rpm', (d && NAMESPACE[d.id]) ?? d?.id ?? 'redhat', f.name, `${f.version}-${f.release}`, {
            arch: f.arch,
            epoch: f.epoch ? String(f.epoch) : undefined,
            distro: distroQualifier(d),
          }),
        });
      }
    } catch (e) {
      problems.push(`${path}: not a readable sqlite rpmdb (${describeError(e)})`);
    } finally {
      db?.close();
    }
    return { packages, problems };
  },
};
