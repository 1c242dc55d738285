/**
 * Rule file loading: logical lines (trailing-backslash continuation), comments, commented-out
 * (disabled) rules, `include`, `var`/`ipvar`/`portvar`, `config classification:`; each rule is parsed
 * and a rule that cannot load is reported with file:line and the reason while loading goes on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { describeError } from '../../../../core/errors.js';
import type { LoadRulesOptions, LoadRulesResult, Rule, RuleLoadError, RuleSource, VariableTable } from '../types.js';
import { createHeaderCache, detectSyntax, isSpace, parseRule, type CompiledRule } from './rule-parser.js';
import type { PcreCfg } from '../options/pcre.js';
import { detached, sharingPatterns } from '../options/search.js';
import { fileSyntax } from './file-syntax.js';

/** Snort's standard classtypes (name -> priority), used when no classification.config is given. */
export const STANDARD_CLASSTYPES: ReadonlyMap<string, number> = new Map([
  ['not-suspicious', 3], ['unknown', 3], ['bad-unknown', 2], ['attempted-recon', 2],
  ['successful-recon-limited', 2], ['successful-recon-largescale', 2], ['attempted-dos', 2], ['successful-dos', 2],
  ['attempted-user', 1], ['unsuccessful-user', 1], ['successful-user', 1], ['attempted-admin', 1],
  ['successful-admin', 1], ['rpc-portmap-decode', 2], ['shellcode-detect', 1], ['string-detect', 3],
  ['suspicious-filename-detect', 2], ['suspicious-login', 2], ['system-call-detect', 2], ['tcp-connection', 4],
  ['trojan-activity', 1], ['unusual-client-port-connection', 2], ['network-scan', 3], ['denial-of-service', 2],
  ['non-standard-protocol', 2], ['protocol-command-decode', 3], ['web-application-activity', 2],
  ['web-application-attack', 1], ['misc-activity', 3], ['misc-attack', 2], ['icmp-event', 3],
  ['inappropriate-content', 1], ['policy-violation', 1], ['default-login-attempt', 2], ['sdf', 2],
  ['file-format', 1], ['malware-cnc', 1], ['client-side-exploit', 1],
]);

/** Parses `config classification: name,description,priority` lines into the map. */
export function parseClassification(text: string, into: Map<string, number>): void {
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*config\s+classification\s*:\s*([^,]+),[^,]*,\s*(\d+)\s*$/.exec(line);
    if (m) into.set(m[1]!.trim(), Number(m[2]));
  }
}

const ACTION_RE = /^(alert|log|pass|drop|sdrop|reject|block|rewrite)\s/;
const DISABLED_RE = /^#+\s*(alert|log|pass|drop|sdrop|reject|block|rewrite)\s/;

interface LoadState {
  readonly vars: VariableTable;
  readonly options: LoadRulesOptions;
  readonly classtypes: Map<string, number>;
  readonly cache: ReturnType<typeof createHeaderCache>;
  readonly rules: CompiledRule[];
  readonly errors: RuleLoadError[];
  readonly seenFiles: Set<string>;
  /** Index in `rules` by gid, then sid (numbers: no key string per rule). */
  readonly bySid: Map<number, Map<number, number>>;
  files: number;
  lines: number;
  total: number;
  disabled: number;
  failed: number;
  pcreFallback: number;
}

function addError(st: LoadState, e: Omit<RuleLoadError, 'code'> & { code?: string }): void {
  st.errors.push({ ...e, code: e.code ?? (e.kind === 'io' ? 'IDS_RULE_FILE' : e.kind === 'undefined-variable' || e.kind === 'bad-variable' ? 'IDS_RULE_VARIABLE' : 'IDS_RULE_PARSE') });
}

/** The line without a trailing carriage return (CRLF files). */
function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

function loadText(st: LoadState, text: string, file: string, baseDir: string | undefined, depth: number): void {
  st.files++;
  const lines = text.split('\n');
  const syntax = st.options.syntax ?? fileSyntax(text, lines);
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let line = withoutCr(lines[i]!);
    i++;
    while (line.endsWith('\\') && i < lines.length) {
      line = line.slice(0, -1) + withoutCr(lines[i]!);
      i++;
    }
    st.lines++;
    const t = line.trim();
    if (t === '') continue;
    if (t.startsWith('#')) {
      if (DISABLED_RE.test(t) && t.includes('(') && t.endsWith(')')) st.disabled++;
      continue;
    }
    // The first word, and (for the few directive lines) what follows it after blanks.
    let k = 0;
    while (k < t.length && !isSpace(t.charCodeAt(k))) k++;
    const kw = t.slice(0, k);
    const directive = kw === 'include' || kw === 'var' || kw === 'ipvar' || kw === 'portvar' || kw === 'config';
    while (directive && k < t.length && isSpace(t.charCodeAt(k))) k++;
    const rest = directive ? t.slice(k) : '';
    if (kw === 'include') {
      const target = rest.replace(/\$RULE_PATH/g, st.vars.get('RULE_PATH') ?? '.').trim();
      const path = isAbsolute(target) ? target : resolve(baseDir ?? '.', target);
      if (depth > 16) addError(st, { file, line: startLine, reason: `include nesting too deep at ${target}`, kind: 'io', sid: undefined });
      else loadFile(st, path, depth + 1, file, startLine);
      continue;
    }
    if (kw === 'var' || kw === 'ipvar' || kw === 'portvar') {
      const m = /^([A-Za-z_]\w*)\s+(.+)$/.exec(rest);
      if (!m) addError(st, { file, line: startLine, reason: `${kw} needs a name and a value`, kind: 'bad-variable', sid: undefined });
      else st.vars.set(m[1]!, m[2]!.trim());
      continue;
    }
    if (kw === 'config') {
      if (/^classification\s*:/.test(rest)) parseClassification(t, st.classtypes);
      continue;
    }
    if (!ACTION_RE.test(t)) {
      addError(st, { file, line: startLine, reason: `unrecognised line ${JSON.stringify(t.slice(0, 60))}`, kind: 'syntax', sid: undefined });
      continue;
    }
    st.total++;
    // The rule's own copy of its line: whatever a rule or a V8 cache keeps of it then holds this line,
    // not the whole file.
    const r = parseRule({ text: detached(t), file, line: startLine, syntax, vars: st.vars, cache: st.cache, classtypes: st.classtypes });
    if (!r.ok) {
      st.failed++;
      addError(st, { file, line: startLine, reason: r.error.reason, kind: r.error.kind, sid: r.error.sid });
      continue;
    }
    const rule = r.value;
    for (const op of rule.ops) if (op.name === 'pcre' && (op.cfg as PcreCfg).engine === 'backtrack') st.pcreFallback++;
    let sids = st.bySid.get(rule.gid);
    if (!sids) st.bySid.set(rule.gid, (sids = new Map()));
    const prev = sids.get(rule.sid);
    if (prev !== undefined && !st.options.keepDuplicates) {
      const old = st.rules[prev]!;
      // Snort keeps the higher revision (the later one on a tie) and reports the other.
      const [keep, drop] = rule.rev >= old.rev ? [rule, old] : [old, rule];
      st.rules[prev] = keep;
      addError(st, {
        file: drop.file,
        line: drop.line,
        reason: `duplicate rule ${rule.gid}:${rule.sid} (rev ${drop.rev}); keeping rev ${keep.rev} from ${keep.file}:${keep.line}`,
        kind: 'duplicate',
        sid: drop.sid,
        code: 'IDS_RULE_DUPLICATE',
      });
      continue;
    }
    sids.set(rule.sid, st.rules.length);
    st.rules.push(rule);
  }
}

function loadFile(st: LoadState, path: string, depth: number, fromFile?: string, fromLine?: number): void {
  const abs = resolve(path);
  if (st.seenFiles.has(abs)) return;
  st.seenFiles.add(abs);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    addError(st, {
      file: fromFile ?? abs,
      line: fromLine ?? 0,
      reason: `cannot read rule file ${abs}: ${describeError(e)}`,
      kind: 'io',
      sid: undefined,
    });
    return;
  }
  if (!st.options.classificationPath) {
    const beside = join(dirname(abs), 'classification.config');
    if (!st.seenFiles.has(beside) && existsSync(beside)) {
      st.seenFiles.add(beside);
      try {
        parseClassification(readFileSync(beside, 'utf8'), st.classtypes);
      } catch (e) {
        addError(st, { file: beside, line: 0, reason: `cannot read ${beside}: ${describeError(e)}`, kind: 'io', sid: undefined });
      }
    }
  }
  loadText(st, text, abs, dirname(abs), depth);
}

/**
 * Loads rules from files and/or inline text. Bad rules are reported (file:line, reason) and skipped;
 * loading always goes on. `vars` is copied: `var` lines inside rule files do not leak to the caller.
 * A classification.config beside a rule file is read automatically unless `classificationPath` is given.
 *
 * @example
 * const { rules, errors, stats } = loadRules([{ path: 'snort3-community.rules' }], snortDefaultVariables());
 * for (const e of errors) console.error(`${e.file}:${e.line}: ${e.reason}`);
 */
export function loadRules(sources: readonly RuleSource[], vars: VariableTable, options: LoadRulesOptions = {}): LoadRulesResult {
  const t0 = performance.now();
  const classtypes = new Map(STANDARD_CLASSTYPES);
  for (const [k, v] of options.classtypes ?? []) classtypes.set(k, v);
  const st: LoadState = {
    vars: new Map(vars),
    options,
    classtypes,
    cache: createHeaderCache(),
    rules: [],
    errors: [],
    seenFiles: new Set(),
    bySid: new Map(),
    files: 0,
    lines: 0,
    total: 0,
    disabled: 0,
    failed: 0,
    pcreFallback: 0,
  };
  if (options.classificationPath) {
    try {
      parseClassification(readFileSync(options.classificationPath, 'utf8'), classtypes);
    } catch (e) {
      addError(st, { file: options.classificationPath, line: 0, reason: `cannot read classification file: ${describeError(e)}`, kind: 'io', sid: undefined });
    }
  }
  sharingPatterns(() => {
    let done = 0;
    for (const src of sources) {
      options.signal?.throwIfAborted();
      if (src.path !== undefined) loadFile(st, src.path, 0);
      else if (src.text !== undefined) loadText(st, src.text, src.name ?? '<inline>', undefined, 0);
      done++;
      options.onProgress?.(done, sources.length);
    }
  });
  const byKind: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  for (const e of st.errors) {
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    const reason = reasonClass(e.reason);
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  return {
    rules: st.rules as Rule[],
    errors: st.errors,
    stats: {
      files: st.files,
      lines: st.lines,
      total: st.total,
      loaded: st.rules.length,
      failed: st.failed,
      disabled: st.disabled,
      byKind,
      byReason,
      pcreFallback: st.pcreFallback,
      durationMs: performance.now() - t0,
    },
  };
}

/** Groups reasons for totals: "unknown option \"ja3_hash\"" stays; numbers and quoted details are cut. */
export function reasonClass(reason: string): string {
  if (reason.startsWith('unknown option')) return reason;
  const colon = reason.indexOf(':');
  const head = colon > 0 ? reason.slice(0, colon) : reason;
  if (head === 'pcre') return reason.includes('backtrack') ? 'pcre: unbounded backtracking (not in RE2)' : 'pcre: does not compile';
  if (reason.includes('undefined variable')) return reason.replace(/^.*(undefined variable \$\w+).*$/, '$1');
  return head.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 80);
}
