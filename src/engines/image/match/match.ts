/**
 * Matches an inventory against the vulnerability store: query every package's (namespace, names)
 * in batches, judge each advisory row with the matcher's version scheme, merge verdicts into one
 * finding per package and vulnerability, enrich with NVD CVSS, and say how complete the data was.
 */
import type { OperationOptions } from '../../../core/abort.js';
import type { SqlValue, Store } from '../../../storage/types.js';
import type { ImageInventory, Package } from '../types.js';
import type { Cvss, Severity } from '../sources/types.js';
import { SEVERITIES } from '../sources/types.js';
import { dbStatus } from '../store/status.js';
import { evaluateRow } from './evaluate.js';
import { describeUnmatched } from './matchers.js';
import { matchers } from './registry.js';
import type { AdvisoryRow, Coverage, Finding, MatchResult, Matcher, NamespaceCoverage, PackageCoverage, Verdict } from './types.js';

export interface MatchOptions extends OperationOptions {
  /** Data older than this many days is called stale (default 30). */
  readonly maxAgeDays?: number;
  /** "Now", for tests. */
  readonly now?: Date;
}

interface RawRow {
  source: string;
  advisory_id: string;
  namespace: string;
  package: string;
  state: string;
  ranges: string;
  versions: string | null;
  severity: string | null;
  severity_raw: string | null;
  aliases: string;
  origin: string;
  modified: string | null;
}

interface DetailRow {
  source: string;
  id: string;
  summary: string | null;
  severity: string | null;
  cvss: string;
  links: string;
}

function parseJson<T>(s: string | null, fallback: T): T {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

function toRow(r: RawRow): AdvisoryRow {
  return {
    source: r.source,
    advisoryId: r.advisory_id,
    namespace: r.namespace,
    package: r.package,
    state: r.state === 'not_affected' ? 'not_affected' : 'affected',
    ranges: parseJson(r.ranges, []),
    ...(r.versions !== null && { versions: parseJson<string[]>(r.versions, []) }),
    ...(r.severity !== null && { severity: r.severity as Severity }),
    ...(r.severity_raw !== null && { severityRaw: r.severity_raw }),
    aliases: parseJson(r.aliases, []),
    cvss: [],
    links: [],
    origin: r.origin,
    ...(r.modified !== null && { modified: r.modified }),
  };
}

// Phase 1 reads what a verdict needs; titles, links and scores are read in phase 2 for the few
// advisories that become findings (a Debian image has ~20 not-affected rows per finding).
const SELECT_ROWS =
  'SELECT f.source, f.advisory_id, f.namespace, f.package, f.state, f.ranges, f.versions, f.severity, f.severity_raw, ' +
  'a.aliases, f.origin, a.modified ' +
  'FROM img_affected f JOIN img_advisory a ON a.source = f.source AND a.id = f.advisory_id WHERE f.namespace = ? AND f.package IN ';

async function loadRows(store: Store, wanted: Map<string, Set<string>>): Promise<Map<string, AdvisoryRow[]>> {
  const out = new Map<string, AdvisoryRow[]>();
  for (const [ns, names] of wanted) {
    const list = [...names];
    for (let i = 0; i < list.length; i += 400) {
      const chunk = list.slice(i, i + 400);
      const rows = await store.all<RawRow>(`${SELECT_ROWS}(${chunk.map(() => '?').join(', ')})`, [ns, ...chunk]);
      for (const r of rows) {
        const key = `${r.namespace}\0${r.package}`;
        let l = out.get(key);
        if (!l) out.set(key, (l = []));
        l.push(toRow(r));
      }
    }
  }
  return out;
}

/** Phase 2: title, advisory severity, CVSS and links of the advisories behind findings. */
async function loadDetails(store: Store, keys: Iterable<[string, string]>): Promise<Map<string, Pick<AdvisoryRow, 'summary' | 'advisorySeverity' | 'cvss' | 'links'>>> {
  const bySource = new Map<string, Set<string>>();
  for (const [source, id] of keys) {
    let s = bySource.get(source);
    if (!s) bySource.set(source, (s = new Set()));
    s.add(id);
  }
  const out = new Map<string, Pick<AdvisoryRow, 'summary' | 'advisorySeverity' | 'cvss' | 'links'>>();
  for (const [source, ids] of bySource) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += 400) {
      const chunk = list.slice(i, i + 400);
      const rows = await store.all<DetailRow>(`SELECT source, id, summary, severity, cvss, links FROM img_advisory WHERE source = ? AND id IN (${chunk.map(() => '?').join(', ')})`, [source, ...chunk]);
      for (const r of rows) {
        out.set(`${r.source}\0${r.id}`, {
          ...(r.summary !== null && { summary: r.summary }),
          ...(r.severity !== null && { advisorySeverity: r.severity as Severity }),
          cvss: parseJson(r.cvss, []),
          links: parseJson(r.links, []),
        });
      }
    }
  }
  return out;
}

/** The vulnerability id users know: the CVE when the advisory is a distribution's copy of one. */
function primaryId(row: AdvisoryRow): string {
  if (/^(CVE|GHSA)-/.test(row.advisoryId)) return row.advisoryId;
  const m = /^UBUNTU-(CVE-\d+-\d+)$/.exec(row.advisoryId);
  if (m) return m[1]!;
  // PYSEC/ALSA ids with one CVE alias are reported under the CVE like other scanners do
  const cves = row.aliases.filter((a) => a.startsWith('CVE-'));
  if (/^(PYSEC|OSV)-/.test(row.advisoryId) && cves.length === 1) return cves[0]!;
  return row.advisoryId;
}

/** Distribution notices (DSA, DLA, RHSA, USN…) that only group CVEs. */
function isNotice(id: string): boolean {
  return /^(DSA|DLA|RHSA|USN|ALSA|RLSA|ELSA)-/.test(id);
}

function bestCvss(list: readonly Cvss[]): Cvss | undefined {
  const rank = (c: Cvss): number => (c.version.startsWith('3') ? 3 : c.version.startsWith('4') ? 2 : 1) * 10 + (c.by?.includes('primary') ? 1 : 0) + (c.score !== undefined ? 5 : 0);
  return [...list].sort((a, b) => rank(b) - rank(a))[0];
}

function severityFromCvss(c: Cvss | undefined): Severity | undefined {
  if (!c) return undefined;
  if (c.severity) {
    const s = c.severity.toLowerCase();
    if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  }
  if (c.score === undefined) return undefined;
  return c.score >= 9 ? 'critical' : c.score >= 7 ? 'high' : c.score >= 4 ? 'medium' : c.score > 0 ? 'low' : 'negligible';
}

function packageKey(p: Package): string {
  return `${p.ecosystem}\0${p.name}\0${p.version}\0${p.arch ?? ''}\0${p.file}`;
}

/**
 * Matches an image inventory against the store.
 *
 * @example
 * const result = await matchInventory(store, inventory);
 * result.findings.filter((f) => f.severity === 'critical');
 */
export async function matchInventory(store: Store, inventory: ImageInventory, options: MatchOptions = {}): Promise<MatchResult> {
  const now = options.now ?? new Date();
  const maxAge = options.maxAgeDays ?? 30;
  const status = await dbStatus(store);
  const dist = inventory.distribution;

  // Filter + Query
  const plans: { pkg: Package; matcher?: Matcher; namespaces: string[]; names: string[] }[] = [];
  const wanted = new Map<string, Set<string>>();
  for (const pkg of inventory.packages) {
    const matcher = matchers.list().find((m) => m.filter(pkg, dist));
    if (!matcher) {
      plans.push({ pkg, namespaces: [], names: [] });
      continue;
    }
    const q = matcher.query(pkg, dist);
    plans.push({ pkg, matcher, namespaces: [...q.namespaces], names: [...q.names] });
    for (const ns of q.namespaces) {
      let s = wanted.get(ns);
      if (!s) wanted.set(ns, (s = new Set()));
      for (const n of q.names) s.add(n);
    }
  }
  const rows = status.initialised ? await loadRows(store, wanted) : new Map<string, AdvisoryRow[]>();
  options.signal?.throwIfAborted();

  // Namespace coverage
  const nsRows = new Map<string, { sources: string[]; affected: number; dates: string[] }>();
  for (const n of status.namespaces) {
    const e = nsRows.get(n.namespace) ?? { sources: [], affected: 0, dates: [] };
    e.sources.push(n.source);
    e.affected += n.affected;
    if (n.dataDate) e.dates.push(n.dataDate);
    nsRows.set(n.namespace, e);
  }

  // Vulnerable
  const findings = new Map<string, { verdicts: Verdict[]; pkg: Package; matcher: Matcher }>();
  const notAffected: Verdict[] = [];
  const packages: PackageCoverage[] = [];
  for (const plan of plans) {
    if (!plan.matcher) {
      packages.push({ package: plan.pkg, namespaces: [], names: [], status: 'unsupported', advisories: 0 });
      continue;
    }
    const hasData = plan.namespaces.some((ns) => nsRows.has(ns));
    let seen = 0;
    const version = plan.matcher.versionOf(plan.pkg);
    for (const ns of plan.namespaces) {
      for (const name of plan.names) {
        for (const row of rows.get(`${ns}\0${name}`) ?? []) {
          seen++;
          const ev = evaluateRow(plan.matcher.scheme, version, row);
          const verdict: Verdict = { ...ev, row, matcher: plan.matcher.name, comparedVersion: version, package: plan.pkg };
          if (ev.state === 'not_affected') {
            notAffected.push({ ...verdict, reason: ev.reason });
            continue;
          }
          const key = `${packageKey(plan.pkg)}\0${primaryId(row)}`;
          const f = findings.get(key) ?? { verdicts: [], pkg: plan.pkg, matcher: plan.matcher };
          f.verdicts.push(verdict);
          findings.set(key, f);
        }
      }
    }
    packages.push({ package: plan.pkg, matcher: plan.matcher.name, namespaces: plan.namespaces, names: plan.names, status: hasData ? 'checked' : 'no-data', advisories: seen });
  }

  // Phase 2: details of the advisories behind findings
  const detailKeys: [string, string][] = [];
  for (const f of findings.values()) for (const v of f.verdicts) detailKeys.push([v.row.source, v.row.advisoryId]);
  const details = await loadDetails(store, detailKeys);
  for (const f of findings.values()) f.verdicts = f.verdicts.map((v) => ({ ...v, row: { ...v.row, ...details.get(`${v.row.source}\0${v.row.advisoryId}`) } }));

  // NVD enrichment for every CVE we report
  const cveIds = new Set<string>();
  for (const [key, f] of findings) {
    const id = key.split('\0').pop()!;
    if (id.startsWith('CVE-')) cveIds.add(id);
    for (const v of f.verdicts) for (const a of v.row.aliases) if (a.startsWith('CVE-')) cveIds.add(a);
  }
  const nvd = new Map<string, Cvss[]>();
  if (status.sources.some((s) => s.name === 'nvd')) {
    const ids = [...cveIds];
    for (let i = 0; i < ids.length; i += 400) {
      const chunk = ids.slice(i, i + 400);
      const r = await store.all<{ id: string; cvss: string }>(`SELECT id, cvss FROM img_advisory WHERE source = 'nvd' AND id IN (${chunk.map(() => '?').join(', ')})`, chunk as SqlValue[]);
      for (const x of r) nvd.set(x.id, parseJson(x.cvss, []));
    }
  }

  // Build findings; fold distribution notices into the CVE findings they group
  const built: Finding[] = [];
  const byPkgCve = new Map<string, Finding & { related: string[] }>();
  const notices: { pkgKey: string; id: string; verdicts: Verdict[]; pkg: Package }[] = [];
  for (const [key, f] of findings) {
    const id = key.split('\0').pop()!;
    const pkgKey = packageKey(f.pkg);
    if (isNotice(id)) {
      notices.push({ pkgKey, id, verdicts: f.verdicts, pkg: f.pkg });
      continue;
    }
    const finding = buildFinding(id, f.pkg, f.verdicts, nvd, f.matcher);
    byPkgCve.set(`${pkgKey}\0${id}`, finding);
    built.push(finding);
  }
  for (const n of notices) {
    const cves = [...new Set(n.verdicts.flatMap((v) => v.row.aliases).filter((a) => a.startsWith('CVE-')))];
    const covered = cves.filter((c) => byPkgCve.has(`${n.pkgKey}\0${c}`));
    if (cves.length > 0 && covered.length === cves.length) {
      for (const c of covered) byPkgCve.get(`${n.pkgKey}\0${c}`)!.related.push(n.id);
      continue;
    }
    built.push(buildFinding(n.id, n.pkg, n.verdicts, nvd, matchers.get(n.verdicts[0]!.matcher)!));
  }
  built.sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.package.name.localeCompare(b.package.name) || a.id.localeCompare(b.id));

  const coverage = computeCoverage(status, packages, nsRows, now, maxAge, dist);
  return {
    inventory,
    findings: built,
    notAffected,
    packages,
    coverage,
    database: { location: status.location, sources: status.sources.map((s) => ({ name: s.name, dataDate: s.dataDate, advisories: s.advisories })) },
    matchedAt: now.toISOString(),
  };
}

function buildFinding(id: string, pkg: Package, verdicts: Verdict[], nvd: Map<string, Cvss[]>, matcher: Matcher): Finding & { related: string[] } {
  // a fix known to any source wins over "unfixed"; the lowest fixed version is the one to upgrade to
  const fixedOnes = verdicts.filter((v) => v.state === 'fixed' && v.fixedVersion !== undefined);
  const fixedVersion = fixedOnes.map((v) => v.fixedVersion!).sort((a, b) => matcher.scheme.compare(a, b))[0];
  const first = verdicts[0]!;
  const aliases = [...new Set(verdicts.flatMap((v) => [v.row.advisoryId, ...v.row.aliases]).filter((a) => a !== id))];
  const distSev = verdicts.find((v) => v.row.severity !== undefined && v.row.severity !== 'unknown');
  const advSev = verdicts.find((v) => v.row.advisorySeverity !== undefined && v.row.advisorySeverity !== 'unknown');
  const cveId = id.startsWith('CVE-') ? id : aliases.find((a) => a.startsWith('CVE-'));
  const nvdCvss = cveId ? nvd.get(cveId) ?? [] : [];
  const cvss = bestCvss(nvdCvss) ?? bestCvss(verdicts.flatMap((v) => v.row.cvss));
  let severity: Severity = 'unknown';
  let severitySource = 'none';
  if (distSev) {
    severity = distSev.row.severity!;
    severitySource = `${distSev.row.source}:${distSev.row.namespace}`;
  } else if (advSev) {
    severity = advSev.row.advisorySeverity!;
    severitySource = `${advSev.row.source}:${advSev.row.advisoryId}`;
  } else if (severityFromCvss(bestCvss(nvdCvss))) {
    severity = severityFromCvss(bestCvss(nvdCvss))!;
    severitySource = 'nvd';
  } else if (severityFromCvss(cvss)) {
    severity = severityFromCvss(cvss)!;
    severitySource = `${first.row.source}:cvss`;
  }
  const links = [...new Set([...verdicts.flatMap((v) => v.row.links.slice(0, 5)), ...(cveId && nvdCvss.length > 0 ? [`https://nvd.nist.gov/vuln/detail/${cveId}`] : [])])];
  return {
    id,
    aliases,
    package: pkg,
    state: fixedVersion !== undefined ? 'fixed' : 'unfixed',
    installedVersion: pkg.version,
    ...(fixedVersion !== undefined && { fixedVersion }),
    severity,
    severitySource,
    ...(cvss && { cvss }),
    ...(first.row.summary && { title: first.row.summary }),
    links,
    evidence: verdicts,
    related: [],
  };
}

function computeCoverage(
  status: Awaited<ReturnType<typeof dbStatus>>,
  packages: PackageCoverage[],
  nsRows: Map<string, { sources: string[]; affected: number; dates: string[] }>,
  now: Date,
  maxAgeDays: number,
  dist: ImageInventory['distribution'],
): Coverage {
  const warnings: string[] = [];
  const checked = packages.filter((p) => p.status === 'checked').length;
  const unchecked = packages.length - checked;
  if (!status.initialised || status.sources.length === 0) {
    warnings.push(`the vulnerability database ${status.location} is EMPTY: nothing was checked. Run "vigil db import" or "vigil db update" first.`);
  }
  const namespaces: NamespaceCoverage[] = [];
  const wantedNs = new Map<string, number>();
  for (const p of packages) for (const ns of p.namespaces.slice(0, 1)) wantedNs.set(ns, (wantedNs.get(ns) ?? 0) + 1);
  for (const p of packages) {
    if (p.namespaces.length === 0 && p.status !== 'unsupported') wantedNs.set('(unknown release)', (wantedNs.get('(unknown release)') ?? 0) + 1);
  }
  for (const [ns, count] of wantedNs) {
    const all = packages.filter((p) => p.namespaces.includes(ns));
    const present = all.flatMap((p) => p.namespaces).filter((n) => nsRows.has(n));
    const usedNs = present[0] ?? ns;
    const info = nsRows.get(usedNs);
    if (!info) {
      if (status.sources.length > 0) warnings.push(`NO DATA for ${ns}: ${count} package(s) were NOT checked (import a feed that covers ${ns}).`);
      namespaces.push({ namespace: ns, sources: [], affectedRows: 0, dataDate: null, stale: false });
      continue;
    }
    const dates = [...info.dates].sort();
    const dataDate = dates[dates.length - 1] ?? null;
    const ageDays = dataDate ? (now.getTime() - new Date(dataDate).getTime()) / 86400_000 : Infinity;
    const stale = ageDays > maxAgeDays;
    if (stale) {
      warnings.push(
        dataDate
          ? `STALE DATA for ${usedNs}: newest advisory is from ${dataDate.slice(0, 10)} (${Math.floor(ageDays)} days old); vulnerabilities published since then are missing. Run "vigil db update".`
          : `STALE DATA for ${usedNs}: the data has no dates; its age is unknown.`,
      );
    }
    namespaces.push({ namespace: usedNs, sources: info.sources, affectedRows: info.affected, dataDate, stale });
  }
  const unsupported = packages.filter((p) => p.status === 'unsupported');
  if (unsupported.length > 0) {
    const p = unsupported[0]!.package;
    warnings.push(`${unsupported.length} package(s) have no vulnerability matcher and were NOT checked (e.g. ${p.ecosystem} ${p.name}): ${describeUnmatched(p, dist)}.`);
  }
  const statusWord: Coverage['status'] = checked === 0 ? 'none' : unchecked > 0 || namespaces.some((n) => n.stale) ? 'partial' : 'complete';
  return { status: packages.length === 0 ? (status.sources.length === 0 ? 'none' : 'complete') : statusWord, checkedPackages: checked, uncheckedPackages: unchecked, namespaces, warnings };
}
