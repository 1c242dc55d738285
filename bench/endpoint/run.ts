/**
 * Endpoint benchmark: `vigil query` as a whole process and in-process latency for common queries, next to
 * osqueryi 5.20 on the same queries (whole process; osqueryi has no in-process API).
 *
 *   npm run build && npm run bench:endpoint            # osqueryi from $VIGIL_OSQUERYI or /tmp/peers (see docs/benchmarks.md)
 *   VIGIL_BENCH_RUNS=7 npm run bench:endpoint
 *
 * Prints a markdown table (median of N runs, warm page cache: one untimed run first) and the row counts of
 * both tools, so a figure is never compared against a different answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEndpointEngine } from '../../src/engines/endpoint/index.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const runs = Number(process.env.VIGIL_BENCH_RUNS ?? 5);
const osqueryi = [process.env.VIGIL_OSQUERYI, '/tmp/peers/package/plugins/osquery/osqueryi-linux-amd64'].find((p) => p && existsSync(p));
const vigilBin = join(root, 'bin', 'vigil.js');

const QUERIES: { name: string; sql: string }[] = [
  { name: 'processes', sql: 'select pid, name, cmdline, uid, parent from processes' },
  { name: 'processes JOIN listening_ports', sql: 'select p.pid, p.name, l.port, l.address from processes p join listening_ports l using (pid)' },
  { name: 'hash over /usr/bin', sql: "select path, sha256 from hash where directory = '/usr/bin'" },
  // osqueryi computes all three digests whatever the query reads; this row makes Vigil do the same work.
  { name: 'hash over /usr/bin, all three digests', sql: "select path, md5, sha1, sha256 from hash where directory = '/usr/bin'" },
  { name: 'deb_packages', sql: 'select name, version, arch from deb_packages' },
  { name: "file with a %% glob (/etc/%%)", sql: "select path, size, mode from file where path like '/etc/%%'" },
  { name: 'startup: select 1', sql: 'select 1' },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function wall(cmd: string, args: string[]): { ms: number; rows: number; ok: boolean } {
  const times: number[] = [];
  let rows = -1;
  let ok = true;
  for (let i = 0; i <= runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) {
      ok = false;
      process.stderr.write(`${cmd} failed: ${r.stderr}\n`);
      break;
    }
    rows = (JSON.parse(r.stdout) as unknown[]).length;
    if (i > 0) times.push(ms); // the first run warms the page cache
  }
  return { ms: ok ? median(times) : NaN, rows, ok };
}

function inProcess(sql: string): { ms: number; rows: number } {
  const engine = createEndpointEngine();
  const times: number[] = [];
  let rows = 0;
  try {
    for (let i = 0; i <= runs; i++) {
      const t = process.hrtime.bigint();
      const cursor = engine.query(sql);
      rows = 0;
      for (const _ of cursor) rows++;
      if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    engine.close();
  }
  return { ms: median(times), rows };
}

const fmt = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('bench:endpoint needs dist/: run `npm run build` first\n');
  process.exit(1);
}
process.stderr.write(`endpoint bench: ${runs} timed runs per figure; osqueryi: ${osqueryi ?? 'absent (its figures are skipped)'}\n`);
const lines = [
  `| query | vigil query (process) | vigil in-process | osqueryi --json (process) | rows vigil / osqueryi |`,
  `|---|---|---|---|---|`,
];
for (const q of QUERIES) {
  process.stderr.write(`  ${q.name}...\n`);
  const v = wall(process.execPath, [vigilBin, 'query', '--json', q.sql]);
  const ip = inProcess(q.sql);
  const o = osqueryi ? wall(osqueryi, ['--json', q.sql]) : undefined;
  lines.push(`| ${q.name} | ${fmt(v.ms)} | ${fmt(ip.ms)} | ${o ? fmt(o.ms) : 'n/a'} | ${v.rows} / ${o ? o.rows : 'n/a'} |`);
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(`Machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs after one warm-up.\n\n`);
process.stdout.write(lines.join('\n') + '\n');
