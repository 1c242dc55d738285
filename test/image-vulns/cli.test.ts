/**
 * The CLI end to end on the real test images: `vigil db import`, `vigil db status`,
 * `vigil image scan` (formats, CI gate) and `vigil image explain`, run in-process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { sharedMissing, sharedPath } from '../support/shared.js';
import { testImagePath, testImagesMissing } from '../support/test-images.js';

const missing = sharedMissing('vulndata') ?? testImagesMissing();
if (missing) console.warn(missing);
const tmp = mkdtempSync(join(tmpdir(), 'vigil-cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'vigil', ...args, ...(args[0] === 'image' ? ['--cache-dir', join(tmp, 'cache')] : [])]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe.skipIf(missing)('vigil db and vigil image on the test images', () => {
  const db = join(tmp, 'vulns.db');
  const alpine = `docker-archive:${testImagePath('alpine-docker.tar')}`;
  const bookworm = `oci:${testImagePath('oci')}:bookworm`;

  beforeAll(async () => {
    const r = await vigil('db', 'import', '--db', db, sharedPath('vulndata', 'alpine', 'secdb-20250104', '3.14'), sharedPath('vulndata', 'debian'), sharedPath('vulndata', 'nvd'));
    expect(r.code).toBe(0);
  }, 120_000);

  it('shows sources, counts and data dates', async () => {
    const r = await vigil('db', 'status', '--db', db, '--json');
    const s = JSON.parse(r.stdout);
    expect(s.sources.map((x: { name: string }) => x.name)).toEqual(['alpine-secdb', 'nvd', 'osv']);
    expect(s.sources.find((x: { name: string }) => x.name === 'osv').advisories).toBe(31332);
    const text = await vigil('db', 'status', '--db', db);
    expect(text.stdout).toMatch(/Debian:12\s+osv/);
  });

  it('scans the alpine image as JSON and fails the gate on findings', async () => {
    const r = await vigil('image', 'scan', '--db', db, '--format', 'json', '--exit-code', '3', alpine);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.artifact.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const f = report.findings.find((x: { id: string; package: { name: string } }) => x.id === 'CVE-2021-42374' && x.package.name === 'busybox');
    expect(f).toMatchObject({ state: 'fixed', installedVersion: '1.33.1-r3', fixedVersion: '1.33.1-r4' });
    expect(report.artifact.layers.map((l: { digest: string }) => l.digest)).toContain(f.package.layer);
    // the secdb copy has no dates: say so
    expect(r.stderr).toMatch(/WARNING: STALE DATA for Alpine:v3\.14/);
  });

  it('passes the gate when the ignore file and filters leave nothing', async () => {
    const first = JSON.parse((await vigil('image', 'scan', '--db', db, '--format', 'json', alpine)).stdout);
    expect(first.summary.total).toBeGreaterThan(0);
    const ignore = join(tmp, 'ignore');
    writeFileSync(ignore, `# reviewed\n${[...new Set(first.findings.map((f: { id: string }) => f.id))].join('\n')}\n`);
    const r = await vigil('image', 'scan', '--db', db, '--format', 'json', '--ignore-file', ignore, '--exit-code', '3', alpine);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ total: 0, filteredOut: first.summary.total });
    const onlyCritical = JSON.parse((await vigil('image', 'scan', '--db', db, '--format', 'json', '--severity', 'critical', '--ignore-unfixed', alpine)).stdout);
    expect(onlyCritical.findings.every((f: { severity: string; state: string }) => f.severity === 'critical' && f.state === 'fixed')).toBe(true);
  });

  it('scans the bookworm OCI layout and explains a verdict chain', async () => {
    const r = await vigil('image', 'scan', '--db', db, '--format', 'json', bookworm);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.artifact.packageCount).toBe(107);
    expect(report.artifact.distribution).toMatchObject({ id: 'debian', versionId: '12' });
    const curl = report.findings.filter((x: { id: string }) => x.id === 'CVE-2024-2379');
    expect(curl.map((x: { package: { name: string } }) => x.package.name).sort()).toEqual(['curl', 'libcurl4']);
    expect(curl[0].package.layer).toBe(report.artifact.layers[1].digest);
    const e = await vigil('image', 'explain', '--db', db, bookworm, 'CVE-2023-38545');
    expect(e.stdout).toMatch(/NOT REPORTED for curl 7\.88\.1-10\+deb12u\d+ \(layer sha256:[0-9a-f]{64}\): checked, not affected/);
    expect(e.stdout).toMatch(/advisory CVE-2023-38545 from osv, namespace Debian:12, package curl \(record .*\.jsonl\.gz:\d+\)/);
    expect(e.stdout).toMatch(/dpkg: 7\.88\.1-10\+deb12u\d+ > 7\.88\.1-10\+deb12u4 \(fixed\)/);
    for (const format of ['sarif', 'cyclonedx', 'clair', 'table']) {
      const out = await vigil('image', 'scan', '--db', db, '--format', format, bookworm);
      expect(out.code).toBe(0);
      if (format !== 'table') expect(() => JSON.parse(out.stdout)).not.toThrow();
    }
  });

  it('fails the gate loudly when nothing could be checked', async () => {
    const r = await vigil('image', 'scan', '--db', join(tmp, 'empty.db'), '--exit-code', '4', alpine);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/NOTHING WAS CHECKED/);
    expect(r.stderr).toMatch(/failing the gate/);
  });

  it('reports bad usage and bad paths with codes', async () => {
    expect((await vigil('image', 'scan', '--db', db, '--severity', 'huge', alpine)).stderr).toMatch(/--severity: "huge" is not one of .* \[USAGE\]/);
    for (const sub of ['scan', 'explain']) {
      const args = sub === 'scan' ? [alpine] : [alpine, 'busybox'];
      const bad = await vigil('image', sub, '--db', db, '--max-db-age', 'soon', ...args);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--max-db-age "soon": expected a number of days \[USAGE\]/);
    }
    const r = await vigil('db', 'import', '--db', db, join(tmp, 'does-not-exist.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does-not-exist\.json: cannot read: ENOENT \[IMG_FEED_NOT_FOUND\]/);
  });
});
