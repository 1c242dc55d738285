/**
 * `vigil ids --check-rules`: load rules and report totals (loaded, failed, disabled, by reason) and
 * every failure with file:line. The CLI prints `formatCheckReport`; JSON output uses the object itself.
 */
import { loadRules } from './parser/load.js';
import type { LoadRulesOptions, RuleLoadError, RuleSource, VariableTable } from './types.js';

export interface CheckRulesReport {
  readonly files: number;
  /** Enabled rules seen. */
  readonly total: number;
  readonly loaded: number;
  readonly failed: number;
  readonly duplicates: number;
  readonly disabled: number;
  /** loaded / (total - duplicates), 0..1. */
  readonly loadRatio: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly byKind: Readonly<Record<string, number>>;
  readonly pcreFallback: number;
  readonly durationMs: number;
  readonly errors: readonly RuleLoadError[];
}

/**
 * Loads the rules and summarises what loaded and why the rest did not.
 *
 * @example
 * const report = checkRules([{ path: 'emerging-all.rules' }], vars);
 * process.stderr.write(formatCheckReport(report));
 */
export function checkRules(sources: readonly RuleSource[], vars: VariableTable, options: LoadRulesOptions = {}): CheckRulesReport {
  const { errors, stats } = loadRules(sources, vars, options);
  const duplicates = stats.byKind['duplicate'] ?? 0;
  const denominator = stats.total - duplicates;
  return {
    files: stats.files,
    total: stats.total,
    loaded: stats.loaded,
    failed: stats.failed,
    duplicates,
    disabled: stats.disabled,
    loadRatio: denominator > 0 ? stats.loaded / denominator : 1,
    byReason: stats.byReason,
    byKind: stats.byKind,
    pcreFallback: stats.pcreFallback,
    durationMs: stats.durationMs,
    errors,
  };
}

/** Human-readable report: totals, reasons by count, then each failure as file:line: reason. */
export function formatCheckReport(r: CheckRulesReport, maxErrors = Infinity): string {
  const lines = [
    `rule files: ${r.files}`,
    `rules: ${r.total} enabled, ${r.loaded} loaded (${(r.loadRatio * 100).toFixed(2)}%), ${r.failed} failed, ${r.duplicates} duplicates, ${r.disabled} disabled (commented out)`,
    `pcre on the bounded JavaScript fallback: ${r.pcreFallback}`,
    `load time: ${(r.durationMs / 1000).toFixed(2)} s`,
  ];
  const reasons = Object.entries(r.byReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length) {
    lines.push('reasons:');
    for (const [reason, n] of reasons) lines.push(`  ${String(n).padStart(6)}  ${reason}`);
  }
  let shown = 0;
  for (const e of r.errors) {
    if (shown++ >= maxErrors) {
      lines.push(`... ${r.errors.length - maxErrors} more`);
      break;
    }
    lines.push(`${e.file}:${e.line}: ${e.reason}${e.sid !== undefined ? ` (sid ${e.sid})` : ''} [${e.code}]`);
  }
  return lines.join('\n') + '\n';
}
