import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { readOptionalText } from '../common/text-table.js';

export const YUM_CONF = '/etc/yum.conf';
export const YUM_REPOS_DIR = '/etc/yum.repos.d';

const KEYS = ['name', 'baseurl', 'mirrorlist', 'metalink', 'enabled', 'gpgcheck', 'gpgkey'] as const;

/** An ini file as sections of key/value pairs, in file order (yum's repo files). */
export function parseIni(text: string): { section: string; values: Map<string, string> }[] {
  const out: { section: string; values: Map<string, string> }[] = [];
  let cur: { section: string; values: Map<string, string> } | undefined;
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*[#;]/.test(line) || line.trim() === '') continue;
    const sec = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (sec) {
      cur = { section: sec[1]!.trim(), values: new Map() };
      out.push(cur);
      last = undefined;
      continue;
    }
    if (cur === undefined) continue;
    // yum continues multi-value options (baseurl, gpgkey) on indented lines.
    if (/^\s/.test(line) && last !== undefined) {
      cur.values.set(last, `${cur.values.get(last) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    last = line.slice(0, eq).trim();
    cur.values.set(last, line.slice(eq + 1).trim());
  }
  return out;
}

/**
 * yum_sources rows for one repo/config file: one per section except [main].
 *
 * @example
 * yumRows('[base]\nname=Base\nbaseurl=http://m.example/os\nenabled=1\n', '/etc/yum.repos.d/x.repo')[0]?.baseurl
 */
export function yumRows(text: string, source: string): Row[] {
  const rows: Row[] = [];
  for (const { section, values } of parseIni(text)) {
    if (section === 'main') continue;
    const get = (k: (typeof KEYS)[number]): string | null => values.get(k) ?? null;
    rows.push({
      name: get('name'),
      source,
      baseurl: get('baseurl'),
      mirrorlist: get('mirrorlist'),
      metalink: get('metalink'),
      enabled: get('enabled'),
      gpgcheck: get('gpgcheck'),
      gpgkey: get('gpgkey'),
      pid_with_namespace: 0,
    });
  }
  return rows;
}

function reposDir(conf: string | undefined): string {
  if (conf === undefined) return YUM_REPOS_DIR;
  const main = parseIni(conf).find((s) => s.section === 'main');
  return main?.values.get('reposdir')?.split(/[\s,]+/)[0] ?? YUM_REPOS_DIR;
}

/**
 * `yum_sources`: repositories in /etc/yum.conf and the repo files of its reposdir (/etc/yum.repos.d).
 *
 * @example
 * const enabled = [...yumSources.generate(createTestContext())].filter((r) => r.enabled === '1');
 */
export const yumSources: TableImpl = {
  name: 'yum_sources',
  *generate(ctx: QueryContext) {
    const conf = readOptionalText(YUM_CONF, ctx, 'yum_sources');
    if (conf !== undefined) yield* yumRows(conf, YUM_CONF);
    const dir = reposDir(conf);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.repo')).sort();
    } catch {
      return;
    }
    for (const f of files) {
      const path = join(dir, f);
      const text = readOptionalText(path, ctx, 'yum_sources');
      if (text !== undefined) yield* yumRows(text, path);
    }
  },
};
