/** SARIF 2.1.0 for code-scanning dashboards: one rule per vulnerability, one result per finding. */
import type { ScanReport } from './types.js';

const LEVEL: Record<string, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', negligible: 'note', unknown: 'warning' };

/**
 * @example JSON.stringify(toSarif(report))
 */
export function toSarif(report: ScanReport): object {
  const rules = new Map<string, object>();
  for (const f of report.findings) {
    if (rules.has(f.id)) continue;
    rules.set(f.id, {
      id: f.id,
      name: f.id,
      shortDescription: { text: f.title ?? f.id },
      helpUri: f.links[0],
      properties: { 'security-severity': f.cvss?.score !== undefined ? String(f.cvss.score) : undefined, tags: ['vulnerability', 'security', f.severity] },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vigil', version: report.tool.version, rules: [...rules.values()] } },
        results: report.findings.map((f) => ({
          ruleId: f.id,
          level: LEVEL[f.severity],
          message: {
            text: `${f.package.name} ${f.installedVersion} is affected by ${f.id} (${f.severity})${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : '; no fix yet'}. Layer ${f.package.layer}.`,
          },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: f.package.file }, region: { startLine: 1 } },
              logicalLocations: [{ name: f.package.purl, kind: 'package' }],
            },
          ],
          partialFingerprints: { vigilFinding: `${report.artifact.digest}/${f.package.purl}/${f.id}` },
          properties: { layer: f.package.layer, purl: f.package.purl, state: f.state },
        })),
        properties: { imageDigest: report.artifact.digest, coverage: report.coverage.status, coverageWarnings: report.coverage.warnings },
      },
    ],
  };
}
