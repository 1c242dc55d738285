/**
 * system_controls: kernel parameters (sysctl) from /proc/sys, with the value configured in
 * /etc/sysctl.conf and /etc/sysctl.d/*.conf. A `name` constraint reads only those parameters.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, readTextOr } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const SYS_ROOT = '/proc/sys';

/**
 * Parses sysctl.conf(5) text into name -> value ('/' in names is the same as '.'; a leading '-'
 * only means "ignore errors" and is not part of the name).
 *
 * @example
 * parseSysctlConf('net.ipv4.ip_forward = 1\n').get('net.ipv4.ip_forward'); // '1'
 */
export function parseSysctlConf(text: string, into = new Map<string, string>()): Map<string, string> {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    let name = line.slice(0, eq).trim();
    if (name.startsWith('-')) name = name.slice(1);
    into.set(name.replace(/\//g, '.'), line.slice(eq + 1).trim());
  }
  return into;
}

/** sysctl.d directories in systemd's precedence order: a file name in an earlier one masks the same name later. */
export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];

/**
 * The configured values as systemd-sysctl applies them: *.conf files from all sysctl.d
 * directories in file-name order (the first directory wins a name), then /etc/sysctl.conf.
 */
export function readSysctlConfig(dirs: readonly string[] = SYSCTL_DIRS, mainFile = '/etc/sysctl.conf'): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of listDir(dir)) if (name.endsWith('.conf') && !files.has(name)) files.set(name, join(dir, name));
  }
  const config = new Map<string, string>();
  for (const name of [...files.keys()].sort()) {
    const text = readTextOr(files.get(name)!);
    if (text !== undefined) parseSysctlConf(text, config);
  }
  const main = readTextOr(mainFile);
  if (main !== undefined) parseSysctlConf(main, config);
  return config;
}

function leafRow(path: string, config: Map<string, string>): Row {
  const name = path.slice(SYS_ROOT.length + 1).replace(/\//g, '.');
  let current = '';
  try {
    current = readFileSync(path, 'utf8').trim();
  } catch {
    // Write-only controls (vm.compact_memory) and ones the kernel refuses to read stay empty, as in osquery.
  }
  return {
    name,
    oid: '',
    subsystem: name.split('.')[0],
    current_value: current,
    config_value: config.get(name) ?? '',
    type: 'string',
    field_name: null,
  };
}

function* walk(path: string, config: Map<string, string>, ctx: QueryContext): Generator<Row> {
  let entries: string[];
  try {
    entries = readdirSync(path).sort();
  } catch (e) {
    ctx.warn(`system_controls: cannot list ${path}`, e);
    return;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (ctx.signal.aborted) return;
    const child = join(path, entry);
    let isDir: boolean;
    try {
      isDir = statSync(child).isDirectory();
    } catch {
      continue;
    }
    // osquery lists subdirectories before the files of a directory.
    if (isDir) yield* walk(child, config, ctx);
    else files.push(child);
  }
  for (const file of files) yield leafRow(file, config);
}

/** Generator for osquery's `system_controls` table. */
export const systemControls: TableImpl = {
  name: 'system_controls',
  *generate(ctx) {
    const config = readSysctlConfig();
    const names = ctx.constraint('name');
    if (names !== undefined) {
      for (const name of new Set(names)) {
        if (name.includes('..') || name.startsWith('.')) continue;
        const path = join(SYS_ROOT, name.replace(/\./g, '/'));
        let st;
        try {
          st = statSync(path);
        } catch {
          continue;
        }
        if (st.isDirectory()) yield* walk(path, config, ctx);
        else yield leafRow(path, config);
      }
      return;
    }
    yield* walk(SYS_ROOT, config, ctx);
  },
};
