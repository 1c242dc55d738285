import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestContext, collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { BASH_HEADER, buildHeaderBlob } from '../common/testdata/rpm-header-builder.js';
import { RPMDB_SQLITE, readRpmDb, rpmPackages } from './rpm_packages.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-rpm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An rpmdb.sqlite with rpm's Packages schema holding the given blobs. */
function makeDb(blobs: Buffer[]): string {
  const path = join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = new Database(path);
  db.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
  const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const b of blobs) ins.run(b);
  db.close();
  return path;
}

const hasRpmbuild = ['/usr/bin/rpmbuild', '/usr/bin/rpm'].every((p) => existsSync(p));

describe('rpm_packages', () => {
  it('reads packages from an rpmdb.sqlite holding real-format header blobs', () => {
    const path = makeDb([buildHeaderBlob(BASH_HEADER)]);
    const rows = [...readRpmDb(path, createTestContext())];
    expect(rows).toEqual([
      {
        name: 'bash',
        version: '5.2.15',
        release: '3.fc38',
        source: 'bash-5.2.15-3.fc38.src.rpm',
        size: 8123456,
        sha1: '0123456789abcdef0123456789abcdef01234567',
        arch: 'x86_64',
        epoch: 1,
        install_time: 1700000000,
        vendor: 'Fedora Project',
        package_group: 'Unspecified',
        pid_with_namespace: 0,
        mount_namespace_id: null,
      },
    ]);
  });

  it('skips a corrupt header with a warning and keeps the others', () => {
    const good = buildHeaderBlob(BASH_HEADER);
    const path = makeDb([good.subarray(0, 40), good]);
    const ctx = createTestContext();
    const rows = [...readRpmDb(path, ctx)];
    expect(rows.map((r) => r.name)).toEqual(['bash']);
    expect(ctx.warnings).toHaveLength(1);
    expect(ctx.warnings[0]!.message).toMatch(/hnum 1: corrupt RPM header at byte \d+/);
  });

  it('warns and yields nothing for a file that is not an rpmdb', () => {
    const path = join(dir, 'not-a-db');
    writeFileSync(path, 'hello');
    const ctx = createTestContext();
    expect([...readRpmDb(path, ctx)]).toEqual([]);
    expect(ctx.warnings.length).toBe(1);
  });

  it('yields nothing on a host without an rpmdb', () => {
    if (existsSync(RPMDB_SQLITE)) return;
    expect(collectRows(rpmPackages)).toEqual([]);
  });

  it.skipIf(!existsSync(RPMDB_SQLITE))('equals rpm -qa on this host', () => {
    const want = execFileSync('rpm', ['-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\n'], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(collectRows(rpmPackages).map((r) => `${r.name}-${r.version}-${r.release}`).sort()).toEqual(want);
  });

  it.skipIf(!hasRpmbuild)('equals rpm -qa on a database rpm itself wrote', () => {
    const top = join(dir, 'build');
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    const spec = join(top, 'SPECS', 'vt.spec');
    writeFileSync(
      spec,
      'Name: vigil-test\nVersion: 1.2.3\nRelease: 4\nEpoch: 2\nSummary: t\nLicense: MIT\nGroup: Applications/System\nVendor: Vigil Tests\nBuildArch: noarch\n%description\nt\n%files\n',
    );
    // Keep rpmbuild's own database out of $HOME.
    execFileSync('rpmbuild', ['--quiet', '-bb', '--define', `_topdir ${top}`, '--define', `_dbpath ${join(top, 'db')}`, spec], { stdio: 'ignore' });
    const rpmDir = join(top, 'RPMS', 'noarch');
    const pkg = join(rpmDir, readdirSync(rpmDir)[0]!);
    const dbpath = join(dir, 'rpmdb');
    mkdirSync(dbpath);
    const rpm = (...args: string[]) =>
      execFileSync('rpm', ['--dbpath', dbpath, '--define', '_db_backend sqlite', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    rpm('--initdb');
    rpm('-i', '--justdb', '--nodeps', '--ignoreos', '--ignorearch', pkg);
    const qf = '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{SIZE}|%{SHA1HEADER}|%{INSTALLTIME}|%{VENDOR}|%{GROUP}|%{SOURCERPM}\n';
    const want = rpm('-qa', '--qf', qf).trim();
    const rows = [...readRpmDb(join(dbpath, 'rpmdb.sqlite'), createTestContext())];
    expect(rows.map((r) => [r.name, r.epoch, r.version, r.release, r.arch, r.size, r.sha1, r.install_time, r.vendor, r.package_group, r.source].join('|')).join('\n')).toBe(want);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = [...readRpmDb(makeDb([buildHeaderBlob(BASH_HEADER)]), createTestContext())];
    expect(columnMismatch('rpm_packages', row!)).toBe('');
  });
});
