/**
 * Red Hat CSAF 2.0: VEX files (one per CVE, every product's status: fixed, known_affected,
 * known_not_affected) and security advisories (RHSA, fixed packages per CVE). Only base RHEL
 * streams (cpe:/o|a:redhat:enterprise_linux:N) become namespaces `Red Hat:N`; layered products
 * (Satellite, OpenShift, EUS streams) are not matched against RHEL images.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { arr, isObject, parseFiles, str, strings } from './common.js';
import { download, joinUrl } from './http.js';
import { readFile } from 'node:fs/promises';
import { normalizeSeverity } from './severity.js';
import { compareRpm } from '../versions/rpm.js';
import { UNCHANGED } from './types.js';
import type { Advisory, AffectedPackage, Cvss, FetchedBody, FetchOptions, ParseItem, Unchanged, VulnSource } from './types.js';

export const REDHAT_VEX_BASE_URL = 'https://security.access.redhat.com/data/csaf/v2/vex';

interface Component {
  readonly name: string;
  readonly evr?: string;
  readonly arch?: string;
}

/** `curl-0:7.76.1-26.el9_3.2.src` -> curl, 0:7.76.1-26.el9_3.2, src; `curl` -> curl. */
export function parseComponent(ref: string): Component {
  const m = /^(.+)-(\d+):([^-:]+)-([^-:]+?)(?:\.([a-z0-9_]+))?$/.exec(ref);
  if (!m) {
    // unversioned components ("curl", "curl.src") name a package in a product's not-affected/affected lists
    const a = /^(.+)\.(src|noarch|x86_64|i686|aarch64|ppc64le|s390x)$/.exec(ref);
    return a ? { name: a[1]!, arch: a[2]! } : { name: ref };
  }
  const arch = m[5];
  const known = arch && /^(src|noarch|x86_64|i686|aarch64|ppc64le|s390x|s390|ppc64|i386)$/.test(arch);
  return { name: m[1]!, evr: `${m[2]}:${m[3]}-${known ? m[4] : `${m[4]}.${arch}`}`, ...(known && { arch }) };
}

/** `cpe:/o:redhat:enterprise_linux:9` or `cpe:/a:redhat:enterprise_linux:9::appstream` -> `Red Hat:9`. */
export function namespaceOfCpe(cpe: string): string | undefined {
  const m = /^cpe:\/[oa]:redhat:enterprise_linux:(\d+)(?:[:.]|$)/.exec(cpe);
  return m ? `Red Hat:${m[1]}` : undefined;
}

function collectCpes(branches: unknown, into: Map<string, string>): void {
  for (const b of arr(branches)) {
    if (!isObject(b)) continue;
    if (isObject(b.product)) {
      const id = str(b.product.product_id);
      const cpe = isObject(b.product.product_identification_helper) ? str(b.product.product_identification_helper.cpe) : undefined;
      if (id && cpe) into.set(id, cpe);
    }
    collectCpes(b.branches, into);
  }
}

/**
 * Parses one CSAF document (VEX or advisory) into one advisory per CVE.
 *
 * @example [...parseCsaf(JSON.parse(text), 'cve-2023-38545.json')]
 */
export function* parseCsaf(doc: unknown, origin: string): Iterable<ParseItem> {
  if (!isObject(doc) || !isObject(doc.document) || !Array.isArray(doc.vulnerabilities)) {
    yield { kind: 'problem', origin, message: 'not a CSAF document (no "document" or "vulnerabilities"); skipped' };
    return;
  }
  const document = doc.document;
  const category = str(document.category) ?? '';
  const tracking = isObject(document.tracking) ? document.tracking : {};
  const trackingId = str(tracking.id);
  const modified = str(tracking.current_release_date);
  const published = str(tracking.initial_release_date);
  const aggregate = isObject(document.aggregate_severity) ? str(document.aggregate_severity.text) : undefined;
  const cpes = new Map<string, string>();
  const tree = isObject(doc.product_tree) ? doc.product_tree : {};
  collectCpes(tree.branches, cpes);
  const products = new Map<string, { component: Component; namespace: string }>();
  for (const r of arr(tree.relationships)) {
    if (!isObject(r) || !isObject(r.full_product_name)) continue;
    const id = str(r.full_product_name.product_id);
    const ref = str(r.product_reference);
    const platform = str(r.relates_to_product_reference);
    if (!id || !ref || !platform) continue;
    const cpe = cpes.get(platform);
    const namespace = cpe ? namespaceOfCpe(cpe) : undefined;
    if (!namespace) continue;
    products.set(id, { component: parseComponent(ref), namespace });
  }
  const isAdvisory = category === 'csaf_security_advisory';
  // an RHSA groups several CVEs: it becomes one advisory (aliases = its CVEs), a VEX file one per CVE
  const grouped: Advisory[] = [];
  for (const [vi, v] of doc.vulnerabilities.entries()) {
    if (!isObject(v)) continue;
    const cve = str(v.cve);
    const id = isAdvisory ? trackingId : cve;
    if (!id) {
      yield { kind: 'problem', origin: `${origin}#vulnerabilities[${vi}]`, message: 'vulnerability without a CVE id; skipped' };
      continue;
    }
    const impactOf = new Map<string, string>();
    for (const t of arr(v.threats)) {
      if (!isObject(t) || str(t.category) !== 'impact') continue;
      const details = str(t.details);
      if (details) for (const p of strings(t.product_ids)) impactOf.set(p, details);
    }
    const status = isObject(v.product_status) ? v.product_status : {};
    const byKey = new Map<string, AffectedPackage>();
    const add = (productId: string, state: 'fixed' | 'affected' | 'not_affected'): void => {
      const p = products.get(productId);
      if (!p) return;
      const key = `${p.namespace}\0${p.component.name}`;
      const raw = impactOf.get(productId) ?? aggregate;
      const sev = raw ? { severity: normalizeSeverity(raw), severityRaw: raw } : {};
      const prev = byKey.get(key);
      if (state === 'fixed' && p.component.evr) {
        // Several minor-release streams of one major (9.2 EUS, 9.3) each fix the package. Keep the
        // newest fix: an older stream's fix would hide the bug in newer builds (no false negatives).
        const fixed = prev?.ranges[0]?.fixed;
        if (prev && prev.state === 'affected' && prev.ranges[0] && prev.ranges[0].fixed === undefined) return;
        if (fixed === undefined || compareRpm(p.component.evr, fixed) > 0) {
          byKey.set(key, { namespace: p.namespace, package: p.component.name, state: 'affected', ranges: [{ fixed: p.component.evr }], ...sev });
        }
      } else if (state === 'affected') {
        byKey.set(key, { namespace: p.namespace, package: p.component.name, state: 'affected', ranges: [{}], ...sev });
      } else if (state === 'not_affected' && !prev) {
        byKey.set(key, { namespace: p.namespace, package: p.component.name, state: 'not_affected', ranges: [] });
      }
    };
    for (const pid of strings(status.known_not_affected)) add(pid, 'not_affected');
    for (const pid of strings(status.fixed)) add(pid, 'fixed');
    for (const pid of strings(status.known_affected)) add(pid, 'affected');
    const cvss: Cvss[] = [];
    for (const s of arr(v.scores)) {
      if (!isObject(s)) continue;
      for (const [k, ver] of [['cvss_v3', '3'], ['cvss_v4', '4.0'], ['cvss_v2', '2.0']] as const) {
        const c = s[k];
        if (isObject(c) && str(c.vectorString)) {
          const score = typeof c.baseScore === 'number' ? c.baseScore : undefined;
          cvss.push({ version: str(c.version) ?? ver, vector: str(c.vectorString)!, ...(score !== undefined && { score }), ...(str(c.baseSeverity) && { severity: str(c.baseSeverity) }), by: 'Red Hat' });
        }
      }
    }
    const links = arr(v.references).map((r) => (isObject(r) ? str(r.url) : undefined)).filter((u): u is string => u !== undefined);
    const title = str(v.title) ?? str(document.title);
    const advisory: Advisory = {
        source: 'redhat-csaf',
        id,
        aliases: isAdvisory && cve ? [cve] : [],
        ...(title && { summary: title }),
        ...(published && { published }),
        ...(modified && { modified }),
        ...(aggregate && { severity: normalizeSeverity(aggregate) }),
        cvss,
        links: links.length > 0 ? links : cve ? [`https://access.redhat.com/security/cve/${cve}`] : [],
        affected: [...byKey.values()],
        origin,
    };
    if (isAdvisory) grouped.push(advisory);
    else yield { kind: 'advisory', advisory };
  }
  if (grouped.length > 0) {
    const first = grouped[0]!;
    const affected = new Map<string, AffectedPackage>();
    for (const a of grouped) for (const f of a.affected) affected.set(`${f.namespace}\0${f.package}`, f);
    yield {
      kind: 'advisory',
      advisory: {
        ...first,
        aliases: [...new Set(grouped.flatMap((a) => a.aliases))],
        cvss: grouped.flatMap((a) => a.cvss),
        links: [...new Set(grouped.flatMap((a) => a.links))],
        affected: [...affected.values()],
        ...(str(document.title) && { summary: str(document.title) }),
      },
    };
  }
}

/** Downloads the newest full VEX archive named by archive_latest.txt (a .tar.zst of every VEX file). */
async function fetchVex(fingerprint: string | undefined, options: FetchOptions): Promise<FetchedBody | Unchanged> {
  const base = options.baseUrl ?? REDHAT_VEX_BASE_URL;
  const latestUrl = joinUrl(base, 'archive_latest.txt');
  const latestFile = joinUrl(options.dir, 'archive_latest.txt');
  await download(latestUrl, latestFile, {}, options.signal);
  const name = (await readFile(latestFile, 'utf8')).trim();
  if (name === fingerprint) return UNCHANGED;
  const url = joinUrl(base, name);
  const dest = joinUrl(options.dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
  options.onProgress?.({ phase: 'download', done: 0, unit: 'files', detail: url });
  await download(url, dest, {}, options.signal);
  return { files: [dest], fingerprint: name, urls: [latestUrl, url] };
}

/** The Red Hat CSAF source (VEX + RHSA advisories). */
export const redhatCsaf: VulnSource = {
  name: 'redhat-csaf',
  help: 'Red Hat CSAF 2.0 VEX files and RHSA advisories for RHEL (and rebuilds: Rocky, Alma, CentOS)',
  urls: [`${REDHAT_VEX_BASE_URL}/archive_latest.txt`],
  accepts: (doc) => isObject(doc) && isObject(doc.document) && typeof doc.document.csaf_version === 'string',
  parseDocument: parseCsaf,
  fetch: fetchVex,
  parse(body, options?: OperationOptions) {
    return parseFiles(redhatCsaf, body, options);
  },
};
