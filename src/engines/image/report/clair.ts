/**
 * Clair v4's VulnerabilityReport shape (matcher API), so tools written for Clair can read ours:
 * packages, distributions, repository, environments keyed by document-local string ids,
 * vulnerabilities and package_vulnerabilities.
 */
import type { ImageInventory } from '../types.js';
import type { ScanReport } from './types.js';

const NORMALIZED: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', negligible: 'Negligible', unknown: 'Unknown' };

/**
 * @example JSON.stringify(toClairReport(report, inventory))
 */
export function toClairReport(report: ScanReport, inventory: ImageInventory): object {
  const packages: Record<string, object> = {};
  const environments: Record<string, object[]> = {};
  const distributions: Record<string, object> = {};
  const d = inventory.distribution;
  const distId = d ? '1' : '';
  if (d) {
    distributions[distId] = {
      id: distId,
      did: d.id,
      name: d.prettyName?.replace(/ \d.*$/, '') ?? d.id,
      version: d.codename ? `${d.versionId} (${d.codename})` : d.versionId,
      version_code_name: d.codename ?? '',
      version_id: d.versionId,
      arch: '',
      cpe: '',
      pretty_name: d.prettyName ?? '',
    };
  }
  const idOf = new Map<string, string>();
  let next = 1;
  inventory.packages.forEach((p) => {
    const id = String(next++);
    idOf.set(`${p.purl}\0${p.layer}`, id);
    const source = p.sourceName ? { id: String(next++), name: p.sourceName, version: p.sourceVersion ?? p.version, kind: 'source', normalized_version: '', cpe: '' } : { id: '', name: '', version: '', normalized_version: '', cpe: '' };
    packages[id] = { id, name: p.name, version: p.version, kind: 'binary', source, normalized_version: '', arch: p.arch ?? '', cpe: '' };
    environments[id] = [{ package_db: p.file, introduced_in: p.layer, distribution_id: distId, repository_ids: null }];
  });
  const vulnerabilities: Record<string, object> = {};
  const packageVulns: Record<string, string[]> = {};
  report.findings.forEach((f, i) => {
    const vid = String(i + 1);
    const pid = idOf.get(`${f.package.purl}\0${f.package.layer}`) ?? '';
    const ev = f.evidence[0];
    vulnerabilities[vid] = {
      id: vid,
      updater: ev ? `${ev.source}/${ev.namespace}` : 'vigil',
      name: f.id,
      description: f.title ?? '',
      issued: '',
      links: f.links.join(' '),
      severity: ev ? f.severitySource : '',
      normalized_severity: NORMALIZED[f.severity],
      package: { id: '', name: ev?.advisoryPackage ?? f.package.name, version: '', kind: 'binary', normalized_version: '', cpe: '' },
      distribution: d ? distributions[distId] : undefined,
      repository: { id: '', name: '', key: '', uri: '', cpe: '' },
      fixed_in_version: f.fixedVersion ?? '',
      arch_op: '',
    };
    (packageVulns[pid] ??= []).push(vid);
  });
  return {
    manifest_hash: report.artifact.digest,
    packages,
    distributions,
    repository: {},
    environments,
    vulnerabilities,
    package_vulnerabilities: packageVulns,
    enrichments: {},
  };
}
