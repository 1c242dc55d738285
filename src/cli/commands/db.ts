import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { defaultDataDir } from '../../core/paths.js';
import type { ProgressEvent } from '../../core/abort.js';
import { openStore, parseStoreUrl } from '../../storage/open.js';
import type { Store } from '../../storage/types.js';
import { contextFor, type CliCommand, type CliContext } from '../context.js';

/** The vulnerability database file name inside Vigil's data directory. */
export const VULN_DB_FILE = 'vulns.db';

/**
 * Where the vulnerability database is: --db (SQLite path or postgres:// URL), else a PostgreSQL
 * store from the configuration, else $XDG_DATA_HOME/vigil/vulns.db.
 */
export function vulnDbLocation(db: string | undefined, ctx: CliContext): ReturnType<typeof parseStoreUrl> {
  if (db) return parseStoreUrl(db);
  const s = ctx.config.storage;
  if (s.driver === 'postgres' && s.url) return { driver: 'postgres', url: s.url };
  if (s.driver === 'sqlite' && s.path) return { driver: 'sqlite', path: s.path };
  return { driver: 'sqlite', path: join(ctx.config.dataDir ?? defaultDataDir(), VULN_DB_FILE) };
}

/** Opens the vulnerability store for a command. */
export async function openVulnStore(db: string | undefined, ctx: CliContext): Promise<Store> {
  return openStore(vulnDbLocation(db, ctx));
}

export const DB_OPTION_HELP = 'vulnerability database: SQLite file or postgres:// URL (default: $XDG_DATA_HOME/vigil/vulns.db)';

/** Cancels long work on Ctrl-C (the CLI prints "cancelled" and exits 130). */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  const onSig = (): void => ctl.abort();
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  return { signal: ctl.signal, dispose: () => (process.off('SIGINT', onSig), process.off('SIGTERM', onSig)) };
}

/**
 * Progress on stderr: a cli-progress bar on a terminal, a status line every 5 s otherwise
 * (CI logs), nothing when quiet.
 */
export async function progressReporter(label: string): Promise<{ update(e: ProgressEvent): void; stop(): void }> {
  if (process.stderr.isTTY) {
    const { SingleBar } = await import('cli-progress');
    const bar = new SingleBar(
      { format: `${label} {phase} {value}{totalText} {unit} | {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 5, barsize: 20 },
    );
    let started = false;
    return {
      update(e) {
        const payload = { phase: e.phase, unit: e.unit ?? '', detail: (e.detail ?? '').slice(-60), totalText: e.total ? `/${e.total}` : '' };
        if (!started) {
          bar.start(e.total ?? 0, e.done, payload);
          started = true;
        } else {
          if (e.total) bar.setTotal(e.total);
          bar.update(e.done, payload);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = Date.now();
  return {
    update(e) {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      process.stderr.write(`vigil: ${label} ${e.phase} ${e.done}${e.total ? `/${e.total}` : ''} ${e.unit ?? ''} ${e.detail ?? ''}\n`);
    },
    stop() {},
  };
}

function printProblems(problems: readonly { origin: string; message: string }[], count: number): void {
  for (const p of problems.slice(0, 20)) process.stderr.write(`vigil: warning: skipped bad record at ${p.origin}: ${p.message}\n`);
  if (count > 20) process.stderr.write(`vigil: warning: ${count - 20} more bad records skipped (see "problems" in the JSON output)\n`);
}

/**
 * `vigil db import|update|status`: the vulnerability database.
 */
export const dbCommand: CliCommand = {
  name: 'db',
  register(program: Command) {
    const db = program.command('db').description('manage the vulnerability database used by "vigil image scan"');

    db.command('import')
      .description('import feed files or folders (OSV .json/.jsonl/.gz/.zip, Alpine secdb, NVD API 2.0 pages, Red Hat CSAF, Ubuntu OpenVEX) in one transaction')
      .argument('<paths...>', 'files or folders to import')
      .option('--db <file>', DB_OPTION_HELP)
      .action(async (paths: string[], opts: { db?: string }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const { importFeedPaths } = await import('../../engines/image/store/index.js');
        const store = await openVulnStore(opts.db, ctx);
        const progress = await progressReporter('db import');
        const stop = interruptSignal();
        try {
          const r = await importFeedPaths(store, paths, { signal: stop.signal, onProgress: (e) => progress.update(e) });
          progress.stop();
          printProblems(r.problems, r.problemCount);
          const total = Object.values(r.advisories).reduce((a, b) => a + b, 0);
          process.stderr.write(`vigil: imported ${total} advisories (${Object.entries(r.advisories).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}) into ${store.location} in ${r.seconds.toFixed(1)} s; ${r.problemCount} bad records skipped\n`);
          process.stdout.write(`${JSON.stringify({ database: store.location, ...r, problems: r.problems.slice(0, 100) }, null, 2)}\n`);
        } finally {
          progress.stop();
          stop.dispose();
          await store.close();
        }
      });

    db.command('update')
      .description('download the feeds from their public URLs and import what changed, in one transaction')
      .addOption(new Option('--source <name...>', 'sources to update (default: all): alpine-secdb, nvd, osv, redhat-csaf, ubuntu-vex'))
      .option('--base-url <name=url...>', 'use a mirror for a source, e.g. alpine-secdb=http://127.0.0.1:8080')
      .option('--db <file>', DB_OPTION_HELP)
      .action(async (opts: { db?: string; source?: string[]; baseUrl?: string[] }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const { updateSources } = await import('../../engines/image/store/index.js');
        const { vulnSources } = await import('../../engines/image/sources/index.js');
        const baseUrls: Record<string, string> = {};
        for (const b of opts.baseUrl ?? []) {
          const i = b.indexOf('=');
          if (i <= 0) throw new AppError('USAGE', `--base-url ${JSON.stringify(b)}: expected NAME=URL`);
          baseUrls[b.slice(0, i)] = b.slice(i + 1);
        }
        const names = opts.source ?? [...vulnSources.names()];
        const store = await openVulnStore(opts.db, ctx);
        const dir = await mkdtemp(join(tmpdir(), 'vigil-db-update-'));
        const progress = await progressReporter('db update');
        const stop = interruptSignal();
        try {
          const r = await updateSources(store, names, { dir, baseUrls, signal: stop.signal, onProgress: (e) => progress.update(e) });
          progress.stop();
          if (r.import) printProblems(r.import.problems, r.import.problemCount);
          for (const s of r.sources) process.stderr.write(`vigil: ${s.name}: ${s.status}\n`);
          process.stdout.write(`${JSON.stringify({ database: store.location, ...r, ...(r.import && { import: { ...r.import, problems: r.import.problems.slice(0, 100) } }) }, null, 2)}\n`);
        } finally {
          progress.stop();
          stop.dispose();
          await store.close();
          await rm(dir, { recursive: true, force: true });
        }
      });

    db.command('status')
      .description('show the sources in the database, their record counts and data dates')
      .option('--json', 'print JSON')
      .option('--db <file>', DB_OPTION_HELP)
      .action(async (opts: { db?: string; json?: boolean }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const { dbStatus } = await import('../../engines/image/store/index.js');
        const store = await openVulnStore(opts.db, ctx);
        try {
          const s = await dbStatus(store);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
            return;
          }
          const out: string[] = [`database: ${s.location}`];
          if (!s.initialised || s.sources.length === 0) {
            out.push('EMPTY: no vulnerability data. Run "vigil db import PATH..." or "vigil db update".');
          } else {
            out.push('', 'SOURCE        ADVISORIES  PACKAGE ROWS  DATA DATE             IMPORTED');
            for (const x of s.sources) {
              out.push(`${x.name.padEnd(13)} ${String(x.advisories).padStart(10)}  ${String(x.affected).padStart(12)}  ${(x.dataDate ?? '-').padEnd(20)}  ${x.importedAt}`);
            }
            out.push('', 'NAMESPACE                     SOURCE        ROWS  DATA DATE');
            for (const n of s.namespaces) out.push(`${n.namespace.padEnd(29)} ${n.source.padEnd(12)} ${String(n.affected).padStart(6)}  ${n.dataDate ?? '-'}`);
          }
          process.stdout.write(`${out.join('\n')}\n`);
        } finally {
          await store.close();
        }
      });
  },
};
