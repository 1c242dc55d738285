/** Renders an Explanation as text: each step of the chain on its own line. */
import type { Explanation } from '../match/explain.js';
import type { Finding, Verdict } from '../match/types.js';

function verdictLines(v: Verdict, indent: string): string[] {
  return [
    `${indent}advisory ${v.row.advisoryId} from ${v.row.source}, namespace ${v.row.namespace}, package ${v.row.package} (record ${v.row.origin})`,
    `${indent}  compared ${v.comparedVersion} with the ${v.matcher} matcher:`,
    ...(v.comparisons.length > 0 ? v.comparisons.map((c) => `${indent}    ${c}`) : [`${indent}    (no version comparison needed)`]),
    `${indent}  verdict: ${v.state.replace('_', ' ')}: ${v.reason}`,
  ];
}

function findingLines(f: Finding): string[] {
  const p = f.package;
  return [
    `REPORTED ${f.id} in ${p.name} ${p.version}${p.sourceName && p.sourceName !== p.name ? ` (source package ${p.sourceName} ${p.sourceVersion ?? ''})`.replace(/ \)$/, ')') : ''}`,
    `  package read from ${p.file} by ${p.detector}, introduced in layer ${p.layer}`,
    `  state: ${f.state === 'fixed' ? `fix available in ${f.fixedVersion}` : 'no fix yet'}; severity ${f.severity} (from ${f.severitySource})${f.cvss ? `; CVSS ${f.cvss.version} ${f.cvss.score ?? ''} ${f.cvss.vector}` : ''}`,
    ...(f.related.length > 0 ? [`  also fixed by: ${f.related.join(', ')}`] : []),
    '  evidence:',
    ...f.evidence.flatMap((v) => verdictLines(v, '    ')),
  ];
}

/**
 * @example process.stdout.write(renderExplanation(explanation));
 */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [`explain ${e.query} in image ${e.digest}`, ''];
  if (e.kind === 'vulnerability') {
    for (const f of e.findings) out.push(...findingLines(f), '');
    for (const v of e.notAffected) {
      out.push(`NOT REPORTED for ${v.package.name} ${v.package.version} (layer ${v.package.layer}): checked, not affected`, ...verdictLines(v, '  '), '');
    }
    if (e.findings.length === 0 && e.notAffected.length === 0) {
      if (!e.inDatabase) out.push(`NOT REPORTED: ${e.query} is not in the vulnerability database at all (no data, which is not the same as not affected).`);
      else if (e.elsewhere.length === 0) out.push(`NOT REPORTED: ${e.query} is in the database but names no package Vigil can match (e.g. NVD enrichment only).`);
      else {
        out.push(`NOT REPORTED: ${e.query} concerns packages that are not installed in this image (or other releases):`);
        for (const r of e.elsewhere.slice(0, 30)) out.push(`  ${r.source} ${r.advisoryId}: ${r.namespace} ${r.package} (${r.state.replace('_', ' ')})`);
        if (e.elsewhere.length > 30) out.push(`  … and ${e.elsewhere.length - 30} more`);
      }
      out.push('');
    }
  } else {
    if (e.packages.length === 0) out.push(`no installed package is named ${e.query} (binary or source name) in this image`, '');
    for (const p of e.packages) {
      const pkg = p.coverage.package;
      out.push(`PACKAGE ${pkg.name} ${pkg.version}${pkg.arch ? ` (${pkg.arch})` : ''}`);
      out.push(`  read from ${pkg.file} by ${pkg.detector}, introduced in layer ${pkg.layer}`);
      if (pkg.sourceName) out.push(`  source package ${pkg.sourceName} ${pkg.sourceVersion ?? ''}`.trimEnd());
      if (p.coverage.status === 'unsupported') out.push('  NOT CHECKED: no matcher handles this kind of package on this distribution');
      else {
        out.push(`  matcher ${p.coverage.matcher}: looked up ${p.coverage.names.join(', ')} in ${p.coverage.namespaces.join(', ') || '(no namespace: unknown release)'}`);
        if (p.coverage.status === 'no-data') out.push('  NOT CHECKED: the database has NO DATA for that namespace (this is not "no vulnerabilities")');
        else {
          const affected = p.findings.reduce((n, f) => n + f.evidence.length, 0);
          out.push(`  ${p.coverage.advisories} advisory record(s) checked: ${affected} affected (${p.findings.length} reported), ${p.notAffected.length} not affected`);
        }
      }
      for (const f of p.findings) out.push(`  REPORTED ${f.id}: ${f.state === 'fixed' ? `fixed in ${f.fixedVersion}` : 'no fix yet'} (${f.severity}); ${f.evidence[0]?.comparisons.join('; ') ?? ''}`);
      for (const v of p.notAffected) out.push(`  not affected ${v.row.advisoryId} (${v.row.source}): ${v.reason}${v.comparisons.length ? `; ${v.comparisons.join('; ')}` : ''}`);
      out.push('');
    }
  }
  if (e.coverageWarnings.length > 0) out.push('coverage warnings:', ...e.coverageWarnings.map((w) => `  - ${w}`), '');
  return `${out.join('\n')}`;
}
