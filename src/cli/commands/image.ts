import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { VIGIL_VERSION } from '../../core/version.js';
import { contextFor, type CliCommand } from '../context.js';
import type { ScanImageOptions } from '../../engines/image/index.js';
import { DB_OPTION_HELP, interruptSignal, openVulnStore, progressReporter } from './db.js';

const SEVERITY_WORDS = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
type SeverityWord = (typeof SEVERITY_WORDS)[number];

function parseSeverities(list: string | undefined): SeverityWord[] | undefined {
  if (list === undefined) return undefined;
  const out = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  for (const s of out) {
    if (!(SEVERITY_WORDS as readonly string[]).includes(s)) throw new AppError('USAGE', `--severity: ${JSON.stringify(s)} is not one of ${SEVERITY_WORDS.join(', ')}`);
  }
  return out as SeverityWord[];
}

interface ScanOpts {
  db?: string;
  format: 'table' | 'json' | 'sarif' | 'cyclonedx' | 'clair';
  severity?: string;
  exitCode?: string;
  ignoreUnfixed?: boolean;
  ignoreFile?: string;
  platform?: string;
  insecure?: boolean;
  maxDbAge: string;
  cache: boolean;
  cacheDir?: string;
}

/**
 * The layer cache (layer digest -> the files detectors read), so a warm scan reads no layer bytes:
 * --cache-dir, else $VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil, else ~/.cache/vigil.
 */
function layerCacheDir(opts: ScanOpts): string | undefined {
  if (!opts.cache) return undefined;
  if (opts.cacheDir) return opts.cacheDir;
  const env = process.env;
  if (env.VIGIL_CACHE_DIR) return env.VIGIL_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(xdg, 'vigil');
}

/** Checks --max-db-age before any work starts: a number of days, 0 or more. */
function maxAgeDaysOf(opts: ScanOpts): number {
  const days = Number(opts.maxDbAge);
  if (!Number.isFinite(days) || days < 0) throw new AppError('USAGE', `--max-db-age ${JSON.stringify(opts.maxDbAge)}: expected a number of days`);
  return days;
}

/** The scanImage options `image scan` and `image explain` share, from their common flags. */
function scanImageOptions(opts: ScanOpts, maxAgeDays: number, signal: AbortSignal, onProgress: ScanImageOptions['onProgress']): ScanImageOptions {
  const cacheDir = layerCacheDir(opts);
  return {
    signal,
    onProgress,
    ...(opts.platform && { platform: opts.platform }),
    ...(opts.insecure && { insecure: true }),
    ...(cacheDir !== undefined && { cacheDir }),
    maxAgeDays,
  };
}

function addImageOptions(c: Command): Command {
  return c
    .option('--db <file>', DB_OPTION_HELP)
    .option('--platform <os/arch[/variant]>', 'image to pick from a multi-platform index')
    .option('--insecure', 'plain HTTP for docker:// registries')
    .option('--max-db-age <days>', 'call vulnerability data older than this stale', '30')
    .option('--cache-dir <dir>', 'layer cache (default: $VIGIL_CACHE_DIR or $XDG_CACHE_HOME/vigil)')
    .option('--no-cache', 'do not read or write the layer cache');
}

/**
 * `vigil image scan|explain`: scan an image against the vulnerability database, explain a verdict.
 */
export const imageCommand: CliCommand = {
  name: 'image',
  register(program: Command) {
    const image = program.command('image').description('scan container images for vulnerable packages (oci:, oci-archive:, docker-archive:, dir:, docker://)');

    addImageOptions(
      image
        .command('scan')
        .description('list the vulnerabilities of an image\'s packages, grouped by severity; with --exit-code, a CI gate')
        .argument('<target>', 'image reference: oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, dir:ROOTFS, docker://HOST/REPO[:TAG|@DIGEST]'),
    )
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif', 'cyclonedx', 'clair']).default('table'))
      .option('--severity <list>', 'only these severities, comma-separated: unknown,negligible,low,medium,high,critical')
      .option('--exit-code <n>', 'exit with N when a vulnerability is reported (or nothing could be checked)')
      .option('--ignore-unfixed', 'leave out vulnerabilities with no fixed version yet')
      .option('--ignore-file <file>', 'file of vulnerability ids to leave out (one per line, # comments, optional exp:YYYY-MM-DD)')
      .action(async (target: string, opts: ScanOpts, cmd: Command) => {
        const ctx = contextFor(cmd);
        const severities = parseSeverities(opts.severity);
        const exitCode = opts.exitCode === undefined ? undefined : Number(opts.exitCode);
        if (exitCode !== undefined && (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)) throw new AppError('USAGE', `--exit-code ${JSON.stringify(opts.exitCode)}: expected an integer from 0 to 255`);
        const maxAgeDays = maxAgeDaysOf(opts);
        let ignore: Set<string> | undefined;
        if (opts.ignoreFile) {
          const { parseIgnoreFile } = await import('../../engines/image/report/index.js');
          let text: string;
          try {
            text = await readFile(opts.ignoreFile, 'utf8');
          } catch (e) {
            throw new AppError('IMG_IGNORE_FILE', `--ignore-file ${opts.ignoreFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
          }
          const parsed = parseIgnoreFile(text, opts.ignoreFile, new Date());
          for (const p of parsed.problems) process.stderr.write(`vigil: warning: ${p}\n`);
          ignore = parsed.ids;
        }
        const { scanImage, buildReport, renderReport } = await import('../../engines/image/index.js');
        const store = await openVulnStore(opts.db, ctx);
        const progress = await progressReporter('image scan');
        const stop = interruptSignal();
        try {
          const result = await scanImage(store, target, scanImageOptions(opts, maxAgeDays, stop.signal, (e) => progress.update(e)));
          progress.stop();
          const report = buildReport(result, { toolVersion: VIGIL_VERSION, ...(severities && { severities }), ignoreUnfixed: opts.ignoreUnfixed ?? false, ...(ignore && { ignore }) });
          process.stdout.write(renderReport(report, result.inventory, opts.format));
          if (opts.format !== 'table') for (const w of report.coverage.warnings) process.stderr.write(`vigil: WARNING: ${w}\n`);
          for (const w of report.warnings) process.stderr.write(`vigil: warning: ${w}\n`);
          if (exitCode !== undefined && (report.summary.total > 0 || report.coverage.status === 'none')) {
            if (report.coverage.status === 'none') process.stderr.write('vigil: nothing could be checked; failing the gate rather than passing an unchecked image\n');
            process.exitCode = exitCode;
          }
        } finally {
          progress.stop();
          stop.dispose();
          await store.close();
        }
      });

    addImageOptions(
      image
        .command('explain')
        .description('show the evidence chain for a vulnerability id or a package in an image, including why something is NOT reported')
        .argument('<target>', 'image reference (as for scan)')
        .argument('<id>', 'a vulnerability id (CVE-…, GHSA-…, DSA-…) or a package name (binary or source)'),
    )
      .option('--json', 'print the explanation as JSON')
      .action(async (target: string, id: string, opts: ScanOpts & { json?: boolean }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const maxAgeDays = maxAgeDaysOf(opts);
        const { scanImage, explainMatch, renderExplanation } = await import('../../engines/image/index.js');
        const store = await openVulnStore(opts.db, ctx);
        const progress = await progressReporter('image explain');
        const stop = interruptSignal();
        try {
          const result = await scanImage(store, target, scanImageOptions(opts, maxAgeDays, stop.signal, (e) => progress.update(e)));
          progress.stop();
          const e = await explainMatch(store, result, id);
          process.stdout.write(opts.json ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e));
        } finally {
          progress.stop();
          stop.dispose();
          await store.close();
        }
      });
  },
};
