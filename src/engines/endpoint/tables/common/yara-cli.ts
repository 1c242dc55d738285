/**
 * YARA scanning through the `yara` command (Debian's yara package, built on libyara), shared by
 * yara_file and yara_process. Rules come from the query the way osquery takes them: `sigfile`
 * (a rules file; relative names live in YARA_HOME) or `sigrule` (rule text). `sig_group` names
 * groups of osquery's configuration, which Vigil has no equivalent for yet: it warns and scans nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { findTool, runTool } from './run-tool.js';
import type { QueryContext, Row } from '../../types.js';

/** Where relative `sigfile` names are looked up (osquery uses /etc/osquery/yara/). */
export const YARA_HOME = '/etc/vigil/yara/';

/** What one target matched: rule names, tags and `$id:offset` strings. */
export interface YaraMatch {
  readonly rules: string[];
  readonly tags: string[];
  readonly strings: string[];
}

/**
 * Parses `yara -g -s` output into matches per target (file path or pid as printed).
 *
 * @example
 * parseYaraOutput('demo [t1] /etc/hosts\n0x0:$a: localhost\n').get('/etc/hosts');
 */
export function parseYaraOutput(text: string): Map<string, YaraMatch> {
  const out = new Map<string, YaraMatch>();
  let current: YaraMatch | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const str = /^0x([0-9a-f]+):(\$[^:]*):/i.exec(line);
    if (str && current) {
      current.strings.push(`${str[2]}:${Number.parseInt(str[1], 16)}`);
      continue;
    }
    const head = /^(\S+) \[([^\]]*)\] (.*)$/.exec(line);
    if (!head) continue;
    const target = head[3];
    const m = out.get(target) ?? { rules: [], tags: [], strings: [] };
    out.set(target, m);
    m.rules.push(head[1]);
    for (const tag of head[2].split(',')) if (tag !== '' && !m.tags.includes(tag)) m.tags.push(tag);
    current = m;
  }
  return out;
}

/** A set of rules to scan with and the columns that say where they came from. */
export interface YaraSignature {
  readonly file: string;
  readonly columns: { sig_group: string; sigfile: string; sigrule: string; sigurl: string };
}

/**
 * The rule sets a query asks for, or [] (with a warning) when it names none or yara is missing.
 * `cleanup` removes the temporary files that hold `sigrule` texts.
 */
export function yaraSignatures(ctx: QueryContext, table: string): { yara?: string; signatures: YaraSignature[]; cleanup(): void } {
  const none = { signatures: [], cleanup: () => undefined };
  const yara = findTool('yara');
  if (yara === undefined) {
    ctx.warn(`${table}: the yara program is not installed (apt-get install yara); the table is empty`);
    return none;
  }
  const signatures: YaraSignature[] = [];
  const empty = { sig_group: '', sigfile: '', sigrule: '', sigurl: '' };
  for (const f of ctx.constraint('sigfile') ?? []) {
    signatures.push({ file: isAbsolute(f) ? f : join(YARA_HOME, f), columns: { ...empty, sigfile: f } });
  }
  let tmp: string | undefined;
  const rules = ctx.constraint('sigrule') ?? [];
  if (rules.length > 0) tmp = mkdtempSync(join(tmpdir(), 'vigil-yara-'));
  rules.forEach((rule, i) => {
    const file = join(tmp!, `rule-${i}.yar`);
    writeFileSync(file, rule);
    signatures.push({ file, columns: { ...empty, sigrule: rule } });
  });
  for (const g of ctx.constraint('sig_group') ?? []) {
    ctx.warn(`${table}: sig_group '${g}' needs YARA groups from a configuration, which Vigil does not read yet; use sigfile or sigrule`);
  }
  if (signatures.length === 0 && (ctx.constraint('sig_group') ?? []).length === 0) {
    ctx.warn(`${table}: the query must give sigfile or sigrule (e.g. WHERE sigrule = 'rule r { condition: true }')`);
  }
  return { yara, signatures, cleanup: () => tmp !== undefined && rmSync(tmp, { recursive: true, force: true }) };
}

function runYara(yara: string, args: string[], sig: YaraSignature, ctx: QueryContext, table: string): string | undefined {
  const r = runTool(yara, ['-g', '-s', '-w', ...args], 600_000);
  if (r.error) {
    ctx.warn(`${table}: running yara failed: ${r.error.message}`);
    return undefined;
  }
  if (r.status !== 0 && r.stdout === '') {
    ctx.warn(`${table}: yara could not scan with ${sig.columns.sigfile || 'the sigrule'}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
    return undefined;
  }
  for (const line of r.stderr.split('\n')) if (line.trim() !== '') ctx.warn(`${table}: yara: ${line.trim()}`);
  return r.stdout;
}

/**
 * Scans files with one signature and returns their matches (files without a match included);
 * `undefined` when the rules do not compile (already warned). One yara process scans them all.
 */
export function yaraScanFiles(yara: string, sig: YaraSignature, files: readonly string[], ctx: QueryContext, table: string): Map<string, YaraMatch> | undefined {
  const results = new Map<string, YaraMatch>();
  if (files.length === 0) return results;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-yara-list-'));
  try {
    const list = join(dir, 'targets');
    writeFileSync(list, `${files.join('\n')}\n`);
    const out = runYara(yara, ['--scan-list', sig.file, list], sig, ctx, table);
    if (out === undefined) return undefined;
    const matches = parseYaraOutput(out);
    for (const f of files) results.set(f, matches.get(f) ?? { rules: [], tags: [], strings: [] });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scans one process's memory; undefined when it cannot be scanned (already warned). */
export function yaraScanPid(yara: string, sig: YaraSignature, pid: string, ctx: QueryContext, table: string): YaraMatch | undefined {
  const out = runYara(yara, [sig.file, pid], sig, ctx, table);
  if (out === undefined) return undefined;
  return parseYaraOutput(out).get(pid) ?? { rules: [], tags: [], strings: [] };
}

/** The match columns osquery fills (count, matches, strings, tags). */
export function matchColumns(m: YaraMatch): Pick<Row, 'matches' | 'count' | 'strings' | 'tags'> {
  return { matches: m.rules.join(','), count: m.rules.length, strings: m.strings.join(','), tags: m.tags.join(',') };
}
