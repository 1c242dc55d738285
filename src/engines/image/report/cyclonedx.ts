/** CycloneDX 1.5 JSON: the image as the subject, every package a component, findings as vulnerabilities. */
import { randomUUID } from 'node:crypto';
import type { ImageInventory } from '../types.js';
import type { ScanReport } from './types.js';

const RATING: Record<string, string> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', negligible: 'info', unknown: 'unknown' };

/**
 * @example JSON.stringify(toCycloneDx(report, inventory))
 */
export function toCycloneDx(report: ScanReport, inventory: ImageInventory): object {
  const refOf = (purl: string, layer: string): string => `${purl}#${layer.slice(7, 19)}`;
  const components = inventory.packages.map((p) => ({
    'bom-ref': refOf(p.purl, p.layer),
    type: p.ecosystem === 'npm' || p.ecosystem === 'pypi' ? 'library' : 'library',
    name: p.name,
    version: p.version,
    purl: p.purl,
    properties: [
      { name: 'vigil:layer', value: p.layer },
      { name: 'vigil:file', value: p.file },
      ...(p.sourceName ? [{ name: 'vigil:source-name', value: p.sourceName }] : []),
      ...(p.sourceVersion ? [{ name: 'vigil:source-version', value: p.sourceVersion }] : []),
    ],
  }));
  const vulns = new Map<string, { id: string; ratings: object[]; description?: string; advisories: { url: string }[]; affects: object[]; source: object; analysis?: object }>();
  for (const f of report.findings) {
    let v = vulns.get(f.id);
    if (!v) {
      v = {
        id: f.id,
        source: { name: f.evidence[0]?.source ?? 'vigil', ...(f.links[0] && { url: f.links[0] }) },
        ratings: [
          { severity: RATING[f.severity], method: 'other', source: { name: f.severitySource } },
          ...(f.cvss?.score !== undefined ? [{ score: f.cvss.score, severity: RATING[f.severity], method: f.cvss.version.startsWith('4') ? 'CVSSv4' : f.cvss.version.startsWith('3.1') ? 'CVSSv31' : f.cvss.version.startsWith('3') ? 'CVSSv3' : 'CVSSv2', vector: f.cvss.vector }] : []),
        ],
        ...(f.title && { description: f.title }),
        advisories: f.links.map((url) => ({ url })),
        affects: [],
      };
      vulns.set(f.id, v);
    }
    v.affects.push({ ref: refOf(f.package.purl, f.package.layer), versions: [{ version: f.installedVersion, status: 'affected' }] });
    if (f.fixedVersion) v.analysis = { state: 'exploitable', response: ['update'], detail: `fixed in ${f.fixedVersion}` };
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: report.createdAt,
      tools: { components: [{ type: 'application', name: 'vigil', version: report.tool.version }] },
      component: {
        'bom-ref': report.artifact.digest,
        type: 'container',
        name: report.artifact.reference,
        version: report.artifact.digest,
        properties: [
          { name: 'vigil:digest-kind', value: report.artifact.digestKind },
          { name: 'vigil:coverage', value: report.coverage.status },
          ...report.coverage.warnings.map((w) => ({ name: 'vigil:coverage-warning', value: w })),
        ],
      },
    },
    components,
    vulnerabilities: [...vulns.values()],
  };
}
