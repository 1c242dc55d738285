import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { sharedMissing, sharedPath } from '../../../../test/support/shared.js';
import { readFeedPath } from './read.js';
import { sourceForDocument, vulnSources } from './index.js';
import type { Advisory, ParseItem } from './types.js';

const missing = sharedMissing('vulndata');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-sources-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function advisories(items: Iterable<ParseItem>): Advisory[] {
  return [...items].filter((i): i is Extract<ParseItem, { kind: 'advisory' }> => i.kind === 'advisory').map((i) => i.advisory);
}

function json(...parts: string[]): unknown {
  return JSON.parse(readFileSync(sharedPath('vulndata', ...parts), 'utf8'));
}

async function firstLines(file: string, n: number): Promise<string[]> {
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  for await (const line of rl) {
    out.push(line);
    if (out.length >= n) break;
  }
  rl.close();
  return out;
}

describe.skipIf(missing)('vulnerability sources on real feed files', () => {
  it('every source has help, public URLs and routes only its own documents', () => {
    for (const s of vulnSources.list()) {
      expect(s.help.length).toBeGreaterThan(20);
      expect(s.urls.length).toBeGreaterThan(0);
      for (const u of s.urls) expect(u).toMatch(/^https:\/\//);
    }
    expect(sourceForDocument(json('nvd', 'fkie-cad', 'CVE-2023-38545.json'))?.name).toBe('nvd');
    expect(sourceForDocument(json('npm', 'ghsa', 'GHSA-35jh-r3h4-6jhm.json'))?.name).toBe('osv');
    expect(sourceForDocument(json('redhat', 'csaf-vex-claircore', 'cve-2023-4154.json'))?.name).toBe('redhat-csaf');
    expect(sourceForDocument(json('alpine', 'secdb-20250104', '3.14', 'main.json'))?.name).toBe('alpine-secdb');
    expect(sourceForDocument(json('clair-examples', 'ubuntu_testdata_indexreport-bionic.json'))).toBeUndefined();
  });

  it('reads Debian OSV with source packages, ECOSYSTEM ranges and urgency', async () => {
    const [line] = await firstLines(sharedPath('vulndata', 'debian', 'osv-debian12-20250212.jsonl.gz'), 1);
    const [a] = advisories(vulnSources.get('osv')!.parseDocument(JSON.parse(line!), 'x:1'));
    expect(a!.id).toBe('CVE-2002-0380');
    const d12 = a!.affected.find((f) => f.namespace === 'Debian:12')!;
    expect(d12).toMatchObject({ package: 'tcpdump', state: 'affected', ranges: [{ fixed: '3.7.1-1.2' }], severityRaw: 'not yet assigned', severity: 'unknown' });
    expect(a!.aliases).toContain('DSA-255');
  });

  it('reads Ubuntu OSV with the Ubuntu priority and the upstream CVE as alias', () => {
    const [a] = advisories(vulnSources.get('osv')!.parseDocument(json('ubuntu', 'vunnel-fixtures', 'osv_cve_2016_UBUNTU-CVE-2016-20013.json'), 'u'));
    expect(a!.id).toBe('UBUNTU-CVE-2016-20013');
    expect(a!.aliases).toContain('CVE-2016-20013');
    expect(a!.severity).toBe('negligible');
    expect(a!.affected.some((f) => f.namespace.startsWith('Ubuntu:') && f.package === 'eglibc')).toBe(true);
    expect(a!.cvss[0]).toMatchObject({ version: '3.1', score: 7.5 });
  });

  it('reads PyPI and npm OSV ranges', async () => {
    const lines = await firstLines(sharedPath('vulndata', 'pypi', 'osv-pypa-20241010.jsonl.gz'), 50);
    const all = lines.flatMap((l, i) => advisories(vulnSources.get('osv')!.parseDocument(JSON.parse(l), `p:${i + 1}`)));
    expect(all.length).toBe(50);
    expect(all.every((a) => a.affected.every((f) => f.namespace === 'PyPI'))).toBe(true);
    const [lodash] = advisories(vulnSources.get('osv')!.parseDocument(json('npm', 'ghsa', 'GHSA-35jh-r3h4-6jhm.json'), 'g'));
    expect(lodash!.affected.find((f) => f.package === 'lodash')).toMatchObject({ namespace: 'npm', ranges: [{ fixed: '4.17.21' }] });
    expect(lodash!.aliases).toEqual(['CVE-2021-23337']);
  });

  it('reads Alpine secdb, with "0" as not affected and the real 3.3.3p1-r3 quirk kept', () => {
    const all = advisories(vulnSources.get('alpine-secdb')!.parseDocument(json('alpine', 'secdb-20250104', '3.14', 'main.json'), 'v3.14/main.json'));
    const busybox = all.find((a) => a.id === 'CVE-2021-42374' && a.affected[0]!.package === 'busybox')!;
    expect(busybox.affected[0]).toMatchObject({ namespace: 'Alpine:v3.14', state: 'affected', ranges: [{ fixed: '1.33.1-r4' }] });
    expect(all.some((a) => a.affected[0]!.state === 'not_affected')).toBe(true);
    expect(all.some((a) => a.affected[0]!.package === 'libretls' && a.affected[0]!.ranges[0]?.fixed === '3.3.3p1-r3')).toBe(true);
  });

  it('reads NVD API 2.0 pages and single CVE objects with CVSS', () => {
    const page = advisories(vulnSources.get('nvd')!.parseDocument(json('nvd', 'vunnel-fixtures', 'full-page.json'), 'page'));
    expect(page).toHaveLength(38);
    const [curl] = advisories(vulnSources.get('nvd')!.parseDocument(json('nvd', 'fkie-cad', 'CVE-2023-38545.json'), 'c'));
    expect(curl!.id).toBe('CVE-2023-38545');
    expect(curl!.cvss.find((c) => c.version === '3.1' && c.by?.startsWith('nvd@nist.gov'))).toMatchObject({ score: 9.8, severity: 'CRITICAL' });
    expect(curl!.affected).toEqual([]);
  });

  it('reads Red Hat VEX (fixed, not affected per RHEL major) and RHSA advisories', () => {
    const [vex] = advisories(vulnSources.get('redhat-csaf')!.parseDocument(json('redhat', 'csaf-vex-claircore', 'cve-2023-38545.json'), 'v'));
    expect(vex!.id).toBe('CVE-2023-38545');
    // RHEL 9 streams 9.2 EUS (…-23.el9_2.4) and 9.3 (…-26.el9_3.2) both fix it: the newest fix is kept
    expect(vex!.affected.find((f) => f.namespace === 'Red Hat:9' && f.package === 'curl')).toMatchObject({ state: 'affected', ranges: [{ fixed: '0:7.76.1-26.el9_3.2' }], severity: 'high' });
    expect(vex!.affected.find((f) => f.namespace === 'Red Hat:8' && f.package === 'curl')?.state).toBe('not_affected');
    const [rhsa] = advisories(vulnSources.get('redhat-csaf')!.parseDocument(json('redhat', 'csaf-advisories-vunnel', 'rhsa-2024_0010.json'), 'r'));
    expect(rhsa!.id).toBe('RHSA-2024:0010');
    expect(rhsa!.aliases).toEqual(['CVE-2023-5367', 'CVE-2023-6377', 'CVE-2023-6478']);
  });

  it('reads Ubuntu OpenVEX source packages per release in OSV namespaces, skipping ESM streams', () => {
    const [a] = advisories(vulnSources.get('ubuntu-vex')!.parseDocument(json('ubuntu', 'vunnel-fixtures', 'vex_cve_2023_CVE-2023-38545.json'), 'v'));
    expect(a!.id).toBe('CVE-2023-38545');
    expect(a!.affected.find((f) => f.namespace === 'Ubuntu:22.04:LTS')).toMatchObject({ package: 'curl', state: 'affected', ranges: [{ fixed: '7.81.0-1ubuntu1.24' }] });
    expect(a!.affected.find((f) => f.namespace === 'Ubuntu:16.04:LTS')).toMatchObject({ package: 'curl', state: 'affected', ranges: [{}] });
    expect(a!.affected.every((f) => !f.namespace.includes('esm'))).toBe(true);
    expect(sourceForDocument(json('ubuntu', 'vunnel-fixtures', 'vex_cve_2016_CVE-2016-20013.json'))?.name).toBe('ubuntu-vex');
  });

  it('reads folders, .gz and .zip, and reports an unknown file type as a problem', async () => {
    const { execFileSync } = await import('node:child_process');
    const zip = join(tmp, 'ghsa.zip');
    let zipped = true;
    try {
      execFileSync('python3', ['-c', `import zipfile,sys,os\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nfor f in sorted(os.listdir(sys.argv[2])): z.write(os.path.join(sys.argv[2],f),f)\nz.close()`, zip, sharedPath('vulndata', 'npm', 'ghsa')]);
    } catch {
      zipped = false; // python3 absent: the zip branch is then not exercised here
    }
    writeFileSync(join(tmp, 'notes.txt'), 'hello');
    const items = [];
    for (const p of [...(zipped ? [zip] : []), join(tmp, 'notes.txt')]) for await (const i of readFeedPath(p)) items.push(i);
    const docs = items.filter((i) => i.kind === 'document');
    expect(docs).toHaveLength(zipped ? 3 : 0);
    if (zipped) expect((docs[0] as { document: { origin: string } }).document.origin).toMatch(/ghsa\.zip!GHSA-/);
    expect(items.filter((i) => i.kind === 'problem').map((i) => (i as { origin: string }).origin)).toEqual([join(tmp, 'notes.txt')]);
  });
});

/** Small deterministic PRNG: fuzz runs are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const JUNK: unknown[] = [null, 0, -1, 1e308, '', 'x', '0', [], {}, [null], { id: 5 }, true, 'CVE-', '9'.repeat(500), [{}], { events: 'x' }];

/** Replaces one random node of a JSON value with junk. */
function mutate(v: unknown, r: () => number, depth = 0): unknown {
  if (depth > 0 && r() < 0.15) return JUNK[Math.floor(r() * JUNK.length)];
  if (Array.isArray(v)) {
    if (v.length === 0) return r() < 0.5 ? JUNK[Math.floor(r() * JUNK.length)] : v;
    const copy = [...v];
    const i = Math.floor(r() * copy.length);
    copy[i] = mutate(copy[i], r, depth + 1);
    if (r() < 0.1) copy.splice(i, 1);
    return copy;
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return v;
    const k = keys[Math.floor(r() * keys.length)]!;
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    if (r() < 0.1) delete copy[k];
    else copy[k] = mutate(copy[k], r, depth + 1);
    return copy;
  }
  return r() < 0.5 ? JUNK[Math.floor(r() * JUNK.length)] : v;
}

describe.skipIf(missing)('feed parser fuzzing', () => {
  it('never throws on mutated real records of every source, only reports problems', async () => {
    const [deb] = await firstLines(sharedPath('vulndata', 'debian', 'osv-debian12-20250212.jsonl.gz'), 1);
    const secdb = json('alpine', 'secdb-20250104', '3.14', 'main.json') as { packages: unknown[] };
    const seeds: [string, unknown][] = [
      ['osv', JSON.parse(deb!)],
      ['osv', json('npm', 'ghsa', 'GHSA-35jh-r3h4-6jhm.json')],
      ['osv', json('ubuntu', 'vunnel-fixtures', 'osv_usn_USN-5614-1.json')],
      ['alpine-secdb', { ...secdb, packages: secdb.packages.slice(0, 20) }],
      ['nvd', json('nvd', 'vunnel-fixtures', 'single-entry.json')],
      ['redhat-csaf', json('redhat', 'csaf-advisories-vunnel', 'rhsa-2024_0010.json')],
      ['ubuntu-vex', json('ubuntu', 'vunnel-fixtures', 'vex_cve_2023_CVE-2023-38545.json')],
    ];
    const r = rng(7);
    let advisoriesSeen = 0;
    let problemsSeen = 0;
    for (const [name, seed] of seeds) {
      const source = vulnSources.get(name)!;
      for (let i = 0; i < 250; i++) {
        let doc: unknown = seed;
        const rounds = 1 + Math.floor(r() * 4);
        for (let k = 0; k < rounds; k++) doc = mutate(doc, r);
        for (const item of source.parseDocument(doc, `fuzz:${i}`)) {
          expect(['advisory', 'problem']).toContain(item.kind);
          if (item.kind === 'advisory') {
            advisoriesSeen++;
            expect(typeof item.advisory.id).toBe('string');
            for (const f of item.advisory.affected) expect(typeof f.package).toBe('string');
          } else problemsSeen++;
        }
      }
    }
    expect(advisoriesSeen).toBeGreaterThan(100);
    expect(problemsSeen).toBeGreaterThan(10);
  });

  it('stops a newline-free decompression bomb in a .jsonl.gz with IMG_FEED_INVALID and bounded memory', async () => {
    const { createGzip } = await import('node:zlib');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const { createWriteStream } = await import('node:fs');
    const file = join(tmp, 'bomb.jsonl.gz');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    // 260 MiB of "a" without a newline compresses to a few hundred KiB
    await pipeline(Readable.from((function* () { for (let i = 0; i < 260; i++) yield chunk; })()), createGzip({ level: 1 }), createWriteStream(file));
    const before = process.memoryUsage().rss;
    let error: unknown;
    try {
      for await (const item of readFeedPath(file)) void item;
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('IMG_FEED_INVALID');
    expect((error as Error).message).toContain('a line longer than');
    expect(process.memoryUsage().rss - before).toBeLessThan(700 * 2 ** 20);
  });

  it('reports truncated and corrupted compressed files as IMG_FEED_INVALID, never a crash', async () => {
    const gz = readFileSync(sharedPath('vulndata', 'pypi', 'osv-pypa-20241010.jsonl.gz'));
    const r = rng(11);
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(gz.subarray(0, Math.floor(r() * gz.length)));
      for (let k = 0; k < 5; k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const file = join(tmp, `bad-${i}.jsonl.gz`);
      writeFileSync(file, bytes);
      try {
        for await (const item of readFeedPath(file)) void item;
      } catch (e) {
        expect(isAppError(e) ? e.code : String(e)).toBe('IMG_FEED_INVALID');
        expect((e as Error).message).toContain(file);
      }
    }
  });
});
