/** Builds the stable ScanReport from a match result and the user's filters. */
import type { MatchResult, Finding } from '../match/types.js';
import { SEVERITIES, type Severity } from '../sources/types.js';
import { REPORT_SCHEMA_VERSION, type ReportFinding, type ReportOptions, type ScanReport } from './types.js';

function toReportFinding(f: Finding): ReportFinding {
  const p = f.package;
  return {
    id: f.id,
    aliases: f.aliases,
    related: f.related,
    package: {
      name: p.name,
      version: p.version,
      ecosystem: p.ecosystem,
      ...(p.sourceName !== undefined && { sourceName: p.sourceName }),
      ...(p.sourceVersion !== undefined && { sourceVersion: p.sourceVersion }),
      ...(p.arch !== undefined && { arch: p.arch }),
      purl: p.purl,
      layer: p.layer,
      file: p.file,
    },
    installedVersion: f.installedVersion,
    ...(f.fixedVersion !== undefined && { fixedVersion: f.fixedVersion }),
    state: f.state,
    severity: f.severity,
    severitySource: f.severitySource,
    ...(f.cvss && { cvss: { version: f.cvss.version, vector: f.cvss.vector, ...(f.cvss.score !== undefined && { score: f.cvss.score }), ...(f.cvss.by && { by: f.cvss.by }) } }),
    ...(f.title !== undefined && { title: f.title }),
    links: f.links,
    evidence: f.evidence.map((v) => ({
      source: v.row.source,
      advisoryId: v.row.advisoryId,
      namespace: v.row.namespace,
      advisoryPackage: v.row.package,
      origin: v.row.origin,
      comparedVersion: v.comparedVersion,
      comparisons: v.comparisons,
      reason: v.reason,
    })),
  };
}

/** True when the id or one of its aliases is in the ignore set. */
function isIgnored(f: Finding, ignore: ReadonlySet<string> | undefined): boolean {
  if (!ignore || ignore.size === 0) return false;
  return ignore.has(f.id) || f.aliases.some((a) => ignore.has(a));
}

/**
 * @example const report = buildReport(result, { toolVersion: '0.1.0', severities: ['high', 'critical'] });
 */
export function buildReport(result: MatchResult, options: ReportOptions): ScanReport {
  const inv = result.inventory;
  const kept = result.findings.filter(
    (f) => (!options.severities || options.severities.includes(f.severity)) && !(options.ignoreUnfixed && f.state === 'unfixed') && !isIgnored(f, options.ignore),
  );
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of kept) bySeverity[f.severity]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'vigil', version: options.toolVersion },
    createdAt: (options.now ?? new Date()).toISOString(),
    artifact: {
      reference: inv.reference,
      digest: inv.digest,
      digestKind: inv.digestKind,
      configDigest: inv.configDigest,
      ...(inv.platform && { platform: inv.platform }),
      ...(inv.distribution && {
        distribution: {
          id: inv.distribution.id,
          versionId: inv.distribution.versionId,
          ...(inv.distribution.codename && { codename: inv.distribution.codename }),
          ...(inv.distribution.prettyName && { prettyName: inv.distribution.prettyName }),
        },
      }),
      layers: inv.layers.map((l) => ({ digest: l.digest, diffId: l.diffId, mediaType: l.mediaType, size: l.size, ...(l.createdBy && { createdBy: l.createdBy }) })),
      packageCount: inv.packages.length,
    },
    database: result.database,
    coverage: result.coverage,
    filters: { ...(options.severities && { severities: options.severities }), ignoreUnfixed: options.ignoreUnfixed ?? false, ignored: [...(options.ignore ?? [])].sort() },
    summary: {
      total: kept.length,
      fixable: kept.filter((f) => f.state === 'fixed').length,
      unfixed: kept.filter((f) => f.state === 'unfixed').length,
      bySeverity,
      filteredOut: result.findings.length - kept.length,
    },
    findings: kept.map(toReportFinding),
    warnings: inv.warnings,
  };
}

/**
 * Parses an ignore file: one vulnerability id per line, `#` comments, and Trivy's optional
 * `exp:YYYY-MM-DD` after the id (the entry stops applying after that date).
 *
 * @example parseIgnoreFile('CVE-2023-1234\n# reviewed\nCVE-2024-1 exp:2030-01-01\n', 'f', new Date())
 */
export function parseIgnoreFile(text: string, file: string, now: Date): { ids: Set<string>; problems: string[] } {
  const ids = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line.length === 0) return;
    const [id, ...rest] = line.split(/\s+/);
    if (!id || !/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9:._-]+$/.test(id)) {
      problems.push(`${file}:${i + 1}: ${JSON.stringify(id)} is not a vulnerability id; line ignored`);
      return;
    }
    const exp = rest.find((r) => r.startsWith('exp:'));
    if (exp) {
      const d = new Date(exp.slice(4));
      if (Number.isNaN(d.getTime())) {
        problems.push(`${file}:${i + 1}: bad expiry date ${JSON.stringify(exp.slice(4))}; line ignored`);
        return;
      }
      if (d.getTime() < now.getTime()) return;
    }
    ids.add(id);
  });
  return { ids, problems };
}
