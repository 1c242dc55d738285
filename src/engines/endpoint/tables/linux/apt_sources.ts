import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { parseDeb822 } from '../common/dpkg.js';
import { readOptionalText, tokens } from '../common/text-table.js';

export const APT_ETC = '/etc/apt';
export const APT_LISTS = '/var/lib/apt/lists';

/** One binary ("deb") repository a sources file configures. */
export interface AptSourceEntry {
  /** The URI without trailing slashes. */
  readonly baseUri: string;
  readonly suite: string;
}

function entry(uri: string, suite: string): AptSourceEntry | undefined {
  if (!uri.includes('://')) return undefined;
  return { baseUri: uri.replace(/\/+$/, ''), suite };
}

/**
 * The "deb" entries of one-line sources.list text ("deb [options] uri suite [components]"); deb-src and
 * comments are ignored, as in osquery.
 *
 * @example
 * parseSourcesList('deb [arch=amd64] http://deb.debian.org/debian/ bookworm main\n') // [{ baseUri: 'http://deb.debian.org/debian', suite: 'bookworm' }]
 */
export function parseSourcesList(text: string): AptSourceEntry[] {
  const out: AptSourceEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '');
    const at = line.indexOf('deb ');
    if (at < 0) continue;
    const t = tokens(line.slice(at + 4));
    let i = 0;
    if (t[0]?.startsWith('[')) {
      while (i < t.length && !t[i]!.includes(']')) i++;
      i++;
    }
    const uri = t[i];
    const suite = t[i + 1];
    if (uri === undefined || suite === undefined) continue;
    const e = entry(uri, suite);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The "deb" entries of deb822 .sources text (Types/URIs/Suites, every URI x suite pair; Enabled: no
 * skipped).
 *
 * @example
 * parseDeb822Sources('Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n').length // 2
 */
export function parseDeb822Sources(text: string): AptSourceEntry[] {
  const out: AptSourceEntry[] = [];
  for (const p of parseDeb822(text)) {
    if (!tokens(p.get('Types') ?? '').includes('deb')) continue;
    if ((p.get('Enabled') ?? 'yes').toLowerCase() === 'no') continue;
    for (const uri of tokens(p.get('URIs') ?? '')) {
      for (const suite of tokens(p.get('Suites') ?? '')) {
        const e = entry(uri, suite);
        if (e) out.push(e);
      }
    }
  }
  return out;
}

/**
 * apt's file name prefix for a repository's lists: the URI without its scheme, then "dists/<suite>" (or
 * the flat-repository path), '/' turned into '_'.
 *
 * @example
 * listsPrefix({ baseUri: 'http://deb.debian.org/debian', suite: 'bookworm' }) // 'deb.debian.org_debian_dists_bookworm'
 */
export function listsPrefix(e: AptSourceEntry): string {
  const host = e.baseUri.slice(e.baseUri.indexOf('://') + 3);
  const parts = e.suite.includes('/') ? [host, ...e.suite.split('/').filter(Boolean)] : [host, 'dists', e.suite];
  return parts.join('_').replaceAll('/', '_');
}

/**
 * Release-file fields osquery copies (Codename, Version, Origin, Components, Architectures), from the
 * header of an InRelease/Release file (stops at the signature).
 */
export function parseReleaseHeader(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '-----BEGIN PGP SIGNATURE-----') break;
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m && !out.has(m[1]!)) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

function sourceFiles(): string[] {
  const files = [join(APT_ETC, 'sources.list')];
  try {
    const d = join(APT_ETC, 'sources.list.d');
    for (const f of readdirSync(d).sort()) if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(d, f));
  } catch {
    // no sources.list.d
  }
  return files;
}

/** Rows for the entries of one sources file, for repositories apt has fetched a Release file for. */
export function aptRows(file: string, entries: readonly AptSourceEntry[], listFiles: readonly string[], listsDir: string, ctx: QueryContext): Row[] {
  const rows: Row[] = [];
  for (const e of entries) {
    const prefix = `${listsPrefix(e)}_`;
    const release = listFiles.find((f) => f === `${prefix}InRelease`) ?? listFiles.find((f) => f === `${prefix}Release`);
    // osquery lists a repository only once apt has its Release file: that is where the columns come from.
    if (release === undefined) continue;
    const text = readOptionalText(join(listsDir, release), ctx, 'apt_sources');
    if (text === undefined) continue;
    const h = parseReleaseHeader(text);
    rows.push({
      name: `${e.baseUri.slice(e.baseUri.indexOf('://') + 3)} ${e.suite}`,
      source: file,
      base_uri: e.baseUri,
      release: h.get('Codename') ?? null,
      version: h.get('Version') ?? null,
      maintainer: h.get('Origin') ?? null,
      components: h.get('Components') ?? null,
      architectures: h.get('Architectures') ?? null,
      pid_with_namespace: 0,
    });
  }
  return rows;
}

/**
 * `apt_sources`: binary repositories configured in /etc/apt (sources.list, *.list and deb822 *.sources)
 * with the facts of their cached Release files.
 *
 * @example
 * const repos = [...aptSources.generate(createTestContext())].map((r) => r.base_uri);
 */
export const aptSources: TableImpl = {
  name: 'apt_sources',
  *generate(ctx) {
    let listFiles: string[];
    try {
      listFiles = readdirSync(APT_LISTS);
    } catch {
      listFiles = [];
    }
    for (const file of sourceFiles()) {
      const text = readOptionalText(file, ctx, 'apt_sources');
      if (text === undefined) continue;
      const entries = file.endsWith('.sources') ? parseDeb822Sources(text) : parseSourcesList(text);
      yield* aptRows(file, entries, listFiles, APT_LISTS, ctx);
    }
  },
};
