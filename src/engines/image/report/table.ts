/** The human table: a loud coverage banner, then findings grouped by severity, most severe first. */
import { SEVERITIES } from '../sources/types.js';
import type { ScanReport } from './types.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function banner(report: ScanReport): string[] {
  const c = report.coverage;
  if (c.warnings.length === 0 && c.status === 'complete') return [];
  const head =
    c.status === 'none'
      ? '!!! NOTHING WAS CHECKED: the result below does NOT mean "no vulnerabilities" !!!'
      : c.status === 'partial'
        ? '!!! INCOMPLETE CHECK: missing or stale vulnerability data, findings may be missing !!!'
        : '!!! WARNING !!!';
  return [head, ...c.warnings.map((w) => `  - ${w}`), ''];
}

/**
 * Renders the table (no colours: CI logs and pipes read it as is).
 *
 * @example process.stdout.write(renderTable(report));
 */
export function renderTable(report: ScanReport): string {
  const a = report.artifact;
  const lines: string[] = [];
  lines.push(`${a.reference} (${a.digestKind} ${a.digest})`);
  lines.push(
    `${a.distribution?.prettyName ?? a.distribution?.id ?? 'unknown distribution'}; ${a.packageCount} packages; ${report.coverage.checkedPackages} checked, ${report.coverage.uncheckedPackages} not checked`,
  );
  lines.push('');
  lines.push(...banner(report));
  const s = report.summary;
  const counts = [...SEVERITIES].reverse().map((sev) => `${sev.toUpperCase()}: ${s.bySeverity[sev]}`).join(', ');
  lines.push(`Total: ${s.total} (${counts}); ${s.fixable} fixable, ${s.unfixed} without fix${s.filteredOut > 0 ? `; ${s.filteredOut} filtered out` : ''}`);
  const layerIndex = new Map(a.layers.map((l, i) => [l.digest, i + 1]));
  for (const sev of [...SEVERITIES].reverse()) {
    const group = report.findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push('');
    lines.push(`${sev.toUpperCase()} (${group.length})`);
    const rows = group.map((f) => [
      f.package.name,
      f.id,
      f.installedVersion,
      f.fixedVersion ?? '(no fix yet)',
      f.cvss?.score !== undefined ? f.cvss.score.toFixed(1) : '-',
      `${layerIndex.get(f.package.layer) ?? '?'}:${f.package.layer.replace(/^sha256:/, '').slice(0, 12)}`,
      cut(f.title ?? '', 60),
    ]);
    const header = ['PACKAGE', 'VULNERABILITY', 'INSTALLED', 'FIXED', 'CVSS', 'LAYER', 'TITLE'];
    const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    lines.push(header.map((h, i) => pad(h, widths[i]!)).join('  ').trimEnd());
    for (const r of rows) lines.push(r.map((c, i) => (i === r.length - 1 ? c : pad(cut(c, widths[i]!), widths[i]!))).join('  ').trimEnd());
  }
  if (report.findings.length === 0 && report.coverage.status === 'complete') lines.push('', 'No vulnerabilities found in the checked packages.');
  const b = banner(report);
  if (b.length > 0) lines.push('', ...b.slice(0, 1));
  return `${lines.join('\n')}\n`;
}
