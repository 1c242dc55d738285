/**
 * IDS benchmark (`npm run bench:ids`): whole-process `vigil ids` runs on ../shared/ids/bench/big.pcap
 * with the Snort 3 community rules and the enabled ET Open (Snort 2.9) rules, with the variables of
 * ../shared/ids/bench/README.md, next to Snort 3's figures on the same machine class.
 *
 * For each ruleset: rule load time (a run on an empty pcap, like Snort's "load only"), then N runs on
 * big.pcap (median wall time, peak RSS from /usr/bin/time -v or the kernel's rusage), alerts written
 * and distinct sids. It runs the built CLI (dist/), so build first; it rebuilds when dist is missing.
 *
 * Options (env): BENCH_RUNS=3, BENCH_SETS=community,et, BENCH_PROFILE=1 (adds --cpu-prof to one run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const shared = resolve(process.env.VIGIL_SHARED ?? join(root, '..', 'shared'));
const big = join(shared, 'ids', 'bench', 'big.pcap');
const rulesDir = join(shared, 'ids', 'rules');

if (!existsSync(big)) {
  console.error(`skipped: ${big} is missing (the shared data kit ../shared is not beside this clone)`);
  process.exit(0);
}

const HTTP_PORTS =
  '[80,81,311,383,591,593,901,1220,1414,1741,1830,2301,2381,2809,3037,3128,3702,4343,4848,5250,6988,7000,7001,7144,7145,7510,7777,7779,8000,8008,8014,8028,8080,8085,8088,8090,8118,8123,8180,8181,8243,8280,8300,8800,8888,8899,9000,9060,9080,9090,9091,9443,9999,11371,34443,34444,41080,50002,55555]';
const VARIABLES: Record<string, string> = {
  HOME_NET: '[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]',
  EXTERNAL_NET: 'any',
  DNS_SERVERS: '$HOME_NET',
  SMTP_SERVERS: '$HOME_NET',
  HTTP_SERVERS: '$HOME_NET',
  SQL_SERVERS: '$HOME_NET',
  TELNET_SERVERS: '$HOME_NET',
  SSH_SERVERS: '$HOME_NET',
  FTP_SERVERS: '$HOME_NET',
  SIP_SERVERS: '$HOME_NET',
  AIM_SERVERS: 'any',
  SHELLCODE_PORTS: '!80',
  ORACLE_PORTS: '1024:',
  SSH_PORTS: '22',
  FTP_PORTS: '[21,2100,3535]',
  HTTP_PORTS,
};

interface RuleSet {
  readonly name: string;
  readonly files: string[];
  readonly classification?: string;
  readonly snort: { load: number; wall: number; mbit: number; rssMb: number; alerts: number; sids: number };
}

const etDir = join(rulesDir, 'et-open-snort-2.9.0');
const sets: RuleSet[] = [
  {
    name: 'community',
    files: [join(rulesDir, 'snort3-community', 'snort3-community.rules')],
    snort: { load: 0.38, wall: 2.01, mbit: 281, rssMb: 105, alerts: 5227, sids: 81 },
  },
  {
    name: 'et',
    files: existsSync(etDir) ? readdirSync(etDir).filter((f) => f.endsWith('.rules')).sort().map((f) => join(etDir, f)) : [],
    classification: join(etDir, 'classification.config'),
    snort: { load: 2.23, wall: 28.7, mbit: 19.7, rssMb: 252, alerts: 33672, sids: 250 },
  },
];

const runs = Number(process.env.BENCH_RUNS ?? 3);
const wanted = new Set((process.env.BENCH_SETS ?? 'community,et').split(','));

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench: building dist/ (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

const work = mkdtempSync(join(tmpdir(), 'vigil-bench-ids-'));
const emptyPcap = join(work, 'empty.pcap');
{
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(65535, 16);
  h.writeUInt32LE(1, 20);
  writeFileSync(emptyPcap, h);
}
const hasTime = existsSync('/usr/bin/time');

interface RunResult {
  wall: number;
  /** User + system CPU seconds of the process (less sensitive than wall time to other load on the machine). */
  cpu: number;
  rssMb: number;
  alerts: number;
  sids: number;
  loadSeconds: number | undefined;
  stderr: string;
}

function runOnce(set: RuleSet, pcap: string, extraNode: string[] = []): RunResult {
  const conf = join(work, `${set.name}.json`);
  writeFileSync(conf, JSON.stringify({ variables: VARIABLES, ...(set.classification && existsSync(set.classification) ? { classification: set.classification } : {}) }));
  const out = join(work, `out-${set.name}`);
  rmSync(out, { recursive: true, force: true });
  const args = [...extraNode, join(root, 'bin', 'vigil.js'), 'ids', '-r', pcap, '-c', conf, '-A', 'fast', '-l', out, '-k', 'none'];
  for (const f of set.files) args.push('-R', f);
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = hasTime ? ['-v', process.execPath, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`vigil ids failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0);
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0);
  const fast = join(out, 'alert_fast.txt');
  const lines = existsSync(fast) ? readFileSync(fast, 'utf8').split('\n').filter((l) => l !== '') : [];
  const sids = new Set(lines.map((l) => /\[(\d+:\d+):\d+\]/.exec(l)?.[1]));
  const load = /load_seconds: ([\d.]+)/.exec(r.stderr)?.[1];
  return { wall, cpu, rssMb: rssKb / 1024, alerts: lines.length, sids: sids.size, loadSeconds: load === undefined ? undefined : Number(load), stderr: r.stderr };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const capturedBytes = 70_606_188;

const rows: string[] = [];
for (const set of sets) {
  if (!wanted.has(set.name) || set.files.length === 0) continue;
  console.error(`bench: ${set.name}: load only (empty pcap)`);
  const loads = Array.from({ length: runs }, () => runOnce(set, emptyPcap));
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    console.error(`bench: ${set.name}: big.pcap run ${i + 1}/${runs}`);
    results.push(runOnce(set, big));
  }
  if (process.env.BENCH_PROFILE === '1') {
    console.error(`bench: ${set.name}: profiling run (--cpu-prof into ${work})`);
    runOnce(set, big, ['--cpu-prof', '--cpu-prof-dir', join(work, 'prof')]);
  }
  const wall = median(results.map((r) => r.wall));
  const cpu = median(results.map((r) => r.cpu));
  const loadCpu = median(loads.map((r) => r.cpu));
  const loadWall = median(loads.map((r) => r.wall));
  const loadInner = median(loads.map((r) => r.loadSeconds ?? 0));
  const rss = median(results.map((r) => r.rssMb));
  const last = results[results.length - 1]!;
  const mbit = (capturedBytes * 8) / 1e6 / wall;
  const s = set.snort;
  rows.push(
    `| ${set.name} | Vigil | ${loadWall.toFixed(2)} s wall, ${loadCpu.toFixed(2)} s CPU (rules+engine ${loadInner.toFixed(2)} s) | ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU | ${mbit.toFixed(1)} Mbit/s (${((capturedBytes * 8) / 1e6 / cpu).toFixed(0)} per CPU s) | ${rss.toFixed(0)} MB | ${last.alerts} (${last.sids} sids) |`,
    `| ${set.name} | Snort 3.12 | ${s.load.toFixed(2)} s | ${s.wall.toFixed(2)} s | ${s.mbit} Mbit/s | ${s.rssMb} MB | ${s.alerts} (${s.sids} sids) |`,
  );
  console.error(last.stderr.split('\n').filter((l) => /received|alerts|loaded|skipped|Mbits|seconds/.test(l)).join('\n'));
}

console.log(`IDS benchmark, ${new Date().toISOString().slice(0, 10)}, ${runs} runs (median), whole process, -k none, -A fast to a file; load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
console.log('| rules | engine | load only (empty pcap) | big.pcap wall | throughput (captured bytes / wall) | peak RSS | alerts written |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (process.env.BENCH_PROFILE !== '1') rmSync(work, { recursive: true, force: true });
