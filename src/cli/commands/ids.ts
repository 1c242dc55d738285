import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { ProgressEvent } from '../../core/abort.js';
import { externalMemoryCollector } from '../../core/external-memory.js';
import type { CliCommand } from '../context.js';
import { configFor } from '../global-config.js';
import { ALERT_MODES, formatStats, idsConfigSchema, mbitsPerSec, runIds, type AlertMode, type IdsConfig, type IdsRunResult } from '../../engines/ids/index.js';

interface IdsFlags {
  readonly pcap: string[];
  readonly pcapDir?: string;
  readonly rules: string[];
  readonly conf?: string;
  readonly alertMode?: AlertMode;
  readonly logDir?: string;
  readonly checksumMode?: 'all' | 'none';
  readonly var: string[];
  readonly threshold?: string;
  readonly quiet?: boolean;
  readonly checkRules?: boolean;
  readonly profileRules?: string | boolean;
  readonly json?: boolean;
  readonly inline?: boolean;
  readonly dump?: string;
  readonly interface?: string;
  readonly bpf?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads and validates the -c file; relative paths inside it resolve against its directory. */
function readIdsConfig(path: string | undefined): IdsConfig {
  if (path === undefined) return idsConfigSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AppError('IDS_CONFIG', `${path}: ${e instanceof SyntaxError ? `not valid JSON (${e.message})` : 'cannot read the file'}`, { cause: e, details: { file: path } });
  }
  const parsed = idsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('IDS_CONFIG', `${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, { details: { file: path, key: issue.path.join('.') } });
  }
  const base = dirname(resolve(path));
  const rel = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : join(base, p));
  const c = parsed.data;
  return {
    ...c,
    rules: c.rules.map((r) => rel(r)!),
    classification: rel(c.classification),
    threshold: rel(c.threshold),
    output: { ...c.output, logDir: rel(c.output.logDir) },
  };
}

function parseVars(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new AppError('IDS_BAD_VAR', `--var ${item}: expected NAME=VALUE`, { details: { value: item } });
    out[item.slice(0, eq).replace(/^\$/, '')] = item.slice(eq + 1);
  }
  return out;
}

const CAPTURE_EXT = /\.(pcap|pcapng|cap|dmp)$/i;

function pcapsIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new AppError('IDS_NO_INPUT', `--pcap-dir ${dir}: cannot read the directory`, { cause: e, details: { dir } });
  }
  const files = names.filter((n) => CAPTURE_EXT.test(n)).sort().map((n) => join(dir, n)).filter((p) => statSync(p).isFile());
  if (files.length === 0) throw new AppError('IDS_NO_INPUT', `--pcap-dir ${dir}: no .pcap/.pcapng/.cap files in the directory`, { details: { dir } });
  return files;
}

/**
 * Keeps V8's young generation at its initial size while rules load. Loading allocates fast and most of
 * what it allocates survives, so V8 grows the young generation to its largest (two 16 MB semi-spaces)
 * and never gives the memory back: 30 MB of resident memory for the whole run, for nothing (the
 * community rules load in 106 MB instead of 135 MB, at the same CPU time). The returned function puts
 * V8's default growth (factor 2) back; the caller calls it when packets start. A growth factor given
 * to node by the user (NODE_OPTIONS, node flags) is left alone.
 */
function holdYoungGeneration(): () => void {
  const userSet = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.includes('semi-space-growth-factor'));
  if (userSet) return () => {};
  setFlagsFromString('--semi-space-growth-factor=1');
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    setFlagsFromString('--semi-space-growth-factor=2');
  };
}

/** A throttled status line on stderr: rewritten in place on a terminal, every 10 s otherwise. */
function progressPrinter(): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  const every = tty ? 500 : 10_000;
  let last = 0;
  let printed = false;
  const start = performance.now();
  return {
    onProgress(e) {
      const live = e.phase === 'capture';
      if (!live && (e.phase !== 'detect' || e.total === undefined || e.total === 0)) return;
      const now = performance.now();
      if (now - last < every) return;
      last = now;
      if (live) {
        const line = `vigil ids: capturing on ${e.detail ?? ''}: ${e.done} packets`;
        process.stderr.write(tty ? `\r${line.padEnd(100).slice(0, 120)}` : `${line}\n`);
        printed = true;
        return;
      }
      const total = e.total!;
      const pct = Math.min(100, (100 * e.done) / total).toFixed(1);
      const mbit = mbitsPerSec(e.done, now - start).toFixed(0);
      const line = `vigil ids: ${pct}% of ${(total / 1e6).toFixed(1)} MB, ${mbit} Mbit/s${e.detail ? `, ${e.detail}` : ''}`;
      if (tty) process.stderr.write(`\r${line.padEnd(100).slice(0, 120)}`);
      else process.stderr.write(`${line}\n`);
      printed = true;
    },
    done() {
      if (tty && printed) process.stderr.write('\r'.padEnd(121) + '\r');
    },
  };
}

function reportLoad(result: IdsRunResult, quiet: boolean): void {
  const errors = result.load.errors;
  if (quiet || errors.length === 0) return;
  const shown = errors.slice(0, 20);
  for (const e of shown) process.stderr.write(`vigil: ${e.file}:${e.line}: ${e.reason} [${e.code}]\n`);
  if (errors.length > shown.length) process.stderr.write(`vigil: ${errors.length - shown.length} more rules skipped; run with --check-rules for the full list\n`);
  for (const e of result.thresholdErrors) process.stderr.write(`vigil: ${e.file}:${e.line}: ${e.reason} [IDS_THRESHOLD_LINE]\n`);
}

function checkRulesReport(result: IdsRunResult): string {
  const s = result.load.stats;
  const pctLoaded = s.total === 0 ? 100 : (100 * s.loaded) / s.total;
  let out = `rules: ${s.total} enabled in ${s.files} files, ${s.loaded} loaded (${pctLoaded.toFixed(2)}%), ${s.failed} skipped, ${s.disabled} disabled (commented out)\n`;
  out += `load time: ${(result.stats.loadMs / 1000).toFixed(3)} s; pcre on the bounded fallback: ${s.pcreFallback}\n`;
  const d = result.detector;
  out += `detection: ${d.groups} rule groups, ${d.fastPatternRules} rules with a fast pattern, ${d.noFastPatternRules} without (${d.addressIndexedRules} address-indexed), ${d.matcherStates} matcher states (${d.denseMatchers} dense, ${d.sparseMatchers} sparse)\n`;
  const reasons = Object.entries(s.byReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    out += 'skipped by reason:\n';
    for (const [reason, n] of reasons) out += `  ${String(n).padStart(6)}  ${reason}\n`;
    out += 'skipped rules:\n';
    for (const e of result.load.errors) out += `  ${e.file}:${e.line}: ${e.sid !== undefined ? `sid ${e.sid}: ` : ''}${e.reason}\n`;
  }
  for (const e of result.thresholdErrors) out += `threshold: ${e.file}:${e.line}: ${e.reason}\n`;
  return out;
}

function profileReport(result: IdsRunResult, count: number): string {
  const top = result.topRules(count);
  let out = `${'-'.repeat(50)}\nrule profile (top ${top.length} by time)\n${'-'.repeat(50)}\n`;
  out += `${'#'.padStart(4)} ${'gid:sid:rev'.padEnd(18)} ${'checks'.padStart(10)} ${'matches'.padStart(9)} ${'alerts'.padStart(8)} ${'time(us)'.padStart(12)} ${'avg/check'.padStart(10)}  msg\n`;
  top.forEach((r, i) => {
    out += `${String(i + 1).padStart(4)} ${`${r.gid}:${r.sid}:${r.rev}`.padEnd(18)} ${String(r.checks).padStart(10)} ${String(r.matches).padStart(9)} ${String(r.alerts).padStart(8)} ${r.timeUs.toFixed(0).padStart(12)} ${r.avgUs.toFixed(2).padStart(10)}  ${r.msg}\n`;
  });
  return out;
}

/** Snort 3's end-of-run `verdicts` section (non-zero counts), plus the dump count. */
function formatVerdicts(result: IdsRunResult, inline: boolean): string {
  const v = result.verdicts;
  const rows: [string, number][] = [
    ['allow', v.allowed],
    ['drop', v.dropped],
    ['reject', v.rejected],
    ['block', v.blocked],
    ['blocked_flows', v.flowsBlocked],
    [inline ? 'cant_drop' : 'would_drop', v.wouldDrop],
    ['dumped', v.dumped],
  ];
  let out = `${'-'.repeat(50)}\nverdicts${inline ? ' (inline)' : ''}\n`;
  for (const [name, n] of rows) if (n > 0 || name === 'allow') out += `${name.padStart(25)}: ${n}\n`;
  return out;
}

async function action(this: Command, flags: IdsFlags): Promise<void> {
  // The global configuration is validated (a bad --config or VIGIL_* value is an error) though ids reads its own -c file.
  configFor(this);
  const conf = readIdsConfig(flags.conf);
  const rules = [...conf.rules, ...flags.rules];
  if (rules.length === 0) throw new AppError('IDS_NO_RULES', 'no rule files: give -R FILE (repeatable) or "rules" in the -c config');
  for (const r of rules) if (!existsSync(r)) throw new AppError('IO_ERROR', `${r}: rule file not found`, { details: { file: r } });
  const pcaps = [...flags.pcap, ...(flags.pcapDir !== undefined ? pcapsIn(flags.pcapDir) : [])];
  const iface = flags.interface;
  if (iface !== undefined && pcaps.length > 0) throw new AppError('USAGE', '-i and -r/--pcap-dir cannot be combined: read an interface or capture files');
  if (iface !== undefined && flags.dump !== undefined) throw new AppError('USAGE', '--dump needs capture files (-r): a live capture sees copies of packets and cannot hold any back');
  if (!flags.checkRules && iface === undefined && pcaps.length === 0) throw new AppError('IDS_NO_INPUT', 'no packets to read: give -r FILE (repeatable) or --pcap-dir DIR (or --check-rules to only load rules)');
  for (const p of pcaps) if (!existsSync(p)) throw new AppError('IO_ERROR', `${p}: capture file not found`, { details: { file: p } });
  const quiet = flags.quiet === true;
  const profileCount = flags.profileRules === undefined || flags.profileRules === false ? 0 : flags.profileRules === true ? 20 : Number(flags.profileRules);
  if (!Number.isInteger(profileCount) || profileCount < 0) throw new AppError('USAGE', `--profile-rules ${String(flags.profileRules)}: expected a positive number of rules`);
  const progress = quiet ? undefined : progressPrinter();
  const controller = new AbortController();
  // Live capture: the first Ctrl-C ends the capture normally (alerts flushed, statistics printed), a second one aborts.
  const stopLive = new AbortController();
  const onSigint = () => {
    if (iface !== undefined && !stopLive.signal.aborted) {
      stopLive.abort();
      process.once('SIGINT', onSigint);
    } else controller.abort();
  };
  process.once('SIGINT', onSigint);
  const releaseYoungGeneration = holdYoungGeneration();
  const collectExternal = externalMemoryCollector();
  let result: IdsRunResult;
  try {
    result = await runIds({
      pcaps,
      rules: rules.map((path) => ({ path })),
      variables: { ...conf.variables, ...parseVars(flags.var) },
      classificationPath: conf.classification,
      thresholdFile: flags.threshold ?? conf.threshold,
      alertMode: flags.alertMode ?? conf.output.mode ?? 'fast',
      logDir: flags.logDir ?? conf.output.logDir,
      jsonFields: conf.output.jsonFields,
      alertOutput: (chunk) => process.stdout.write(chunk),
      checksums: flags.checksumMode ?? conf.checksums,
      eventQueue: conf.eventQueue,
      builtinRules: conf.builtinRules,
      inspectSegments: conf.stream.inspectSegments,
      streamLimits: { maxWindow: conf.stream.maxWindow, smallSegments: conf.stream.smallSegments },
      portScan: conf.portScan,
      profileRules: profileCount > 0,
      maxDfaCells: conf.limits.maxDfaCells,
      loadOnly: flags.checkRules === true,
      inline: flags.inline === true,
      dumpPath: flags.dump,
      live: iface !== undefined ? { iface, filter: flags.bpf, stop: stopLive.signal, onListening: quiet ? undefined : () => process.stderr.write(`vigil ids: listening on ${iface}\n`) } : undefined,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase !== 'load-rules') releaseYoungGeneration();
        // Progress comes every few thousand packets: a cheap point to return dead packet buffers early.
        if (e.phase === 'detect' || e.phase === 'capture') collectExternal();
        progress?.onProgress(e);
      },
    });
  } finally {
    releaseYoungGeneration();
    process.removeListener('SIGINT', onSigint);
    progress?.done();
  }
  if (flags.checkRules) {
    if (flags.json) {
      const s = result.load.stats;
      process.stdout.write(`${JSON.stringify({ stats: s, detection: result.detector, loadSeconds: result.stats.loadMs / 1000, errors: result.load.errors })}\n`);
    } else process.stdout.write(checkRulesReport(result));
    return;
  }
  reportLoad(result, quiet);
  // A damaged capture is reported even with -q: its packets after the damage were not inspected.
  for (const e of result.captureErrors) process.stderr.write(`vigil: ${e.message} [${e.code}]\n`);
  if (!quiet) {
    process.stderr.write(formatStats(result.stats));
    process.stderr.write(formatVerdicts(result, flags.inline === true));
  }
  if (profileCount > 0) process.stderr.write(profileReport(result, profileCount));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ stats: result.stats, verdicts: result.verdicts, alertsBySid: Object.fromEntries(result.alertsBySid) })}\n`);
  }
}

/** `vigil ids`: Snort-style offline detection on pcaps. */
export const idsCommand: CliCommand = {
  name: 'ids',
  register(program) {
    program
      .command('ids')
      .description('network intrusion detection / prevention on pcap/pcapng files or a live interface with Snort 2/3 and ET rules (Snort-compatible flags and alert formats)')
      .option('-r, --pcap <file>', 'capture file to read (repeatable)', collect, [])
      .option('--pcap-dir <dir>', 'read every .pcap/.pcapng/.cap file in this directory, in name order')
      .option('-R, --rules <file>', 'rule file to load (repeatable); include lines are followed', collect, [])
      .option('-c, --conf <file>', "Vigil IDS config (JSON: variables, rules, outputs, event queue, limits; see docs/ids.md)")
      .addOption(new Option('-A, --alert-mode <mode>', 'alert output: fast (alert_fast.txt), json (alert_json.txt), full (alert_full.txt) or none').choices(ALERT_MODES))
      .option('-l, --log-dir <dir>', 'write alerts to files in this directory (default: stdout)')
      .addOption(new Option('-k, --checksum-mode <mode>', 'checksum validation: all (packets with a bad checksum are counted and not inspected, as in Snort) or none').choices(['all', 'none']))
      .option('--var <name=value>', 'set a rule variable, e.g. --var HOME_NET=[10.0.0.0/8] (repeatable)', collect, [])
      .option('--threshold <file>', 'threshold file: threshold / event_filter / suppress / rate_filter lines')
      .option('-q, --quiet', 'no progress, load warnings or statistics on stderr')
      .option('--check-rules', 'only load the rules and report how many load, and why the others do not')
      .option('--profile-rules [count]', 'print the rules that cost the most (time, checks, matches) after the run (default 20)')
      .option('-Q, --inline', 'inline (IPS) mode: drop, sdrop, reject and block rules act (packets do not pass; block drops the rest of the flow)')
      .option('--dump <file>', "write every packet that passes to this pcap (Snort's DAQ dump; with -r)")
      .option('-i, --interface <iface>', 'capture live from this interface (through tcpdump; needs root or CAP_NET_RAW) until Ctrl-C')
      .option('--bpf <filter>', 'with -i: a BPF capture filter, e.g. "tcp port 80"')
      .option('--json', 'with --check-rules: the report as JSON; otherwise: print the statistics as JSON on stdout')
      .action(action);
  },
};
