/**
 * NVD CVE API 2.0 (https://nvd.nist.gov/developers/vulnerabilities): CVSS v4.0, v3.x and v2 scores
 * per CVE. Vigil uses NVD only as enrichment: it never makes a package vulnerable by itself.
 */
import type { OperationOptions } from '../../../core/abort.js';
import { arr, isObject, parseFiles, str } from './common.js';
import { download, joinUrl } from './http.js';
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../core/errors.js';
import type { Cvss, FetchedBody, FetchOptions, ParseItem, Unchanged, VulnSource } from './types.js';
import { UNCHANGED } from './types.js';

export const NVD_BASE_URL = 'https://services.nvd.nist.gov/rest/json/cves/2.0';
const PAGE = 2000;

const METRIC_KEYS: [string, string][] = [
  ['cvssMetricV40', '4.0'],
  ['cvssMetricV31', '3.1'],
  ['cvssMetricV30', '3.0'],
  ['cvssMetricV2', '2.0'],
];

function parseCve(cve: Record<string, unknown>, origin: string): ParseItem {
  const id = str(cve.id);
  if (!id || !/^CVE-\d{4}-\d+$/.test(id)) return { kind: 'problem', origin, message: 'NVD entry without a valid CVE id; skipped' };
  const cvss: Cvss[] = [];
  const metrics = isObject(cve.metrics) ? cve.metrics : {};
  for (const [key, version] of METRIC_KEYS) {
    for (const m of arr(metrics[key])) {
      if (!isObject(m) || !isObject(m.cvssData)) continue;
      const vector = str(m.cvssData.vectorString);
      const score = typeof m.cvssData.baseScore === 'number' ? m.cvssData.baseScore : undefined;
      if (!vector) continue;
      const severity = str(m.cvssData.baseSeverity) ?? str(m.baseSeverity);
      const by = str(m.source);
      cvss.push({ version: str(m.cvssData.version) ?? version, vector, ...(score !== undefined && { score }), ...(severity && { severity }), ...(by && { by: `${by}${str(m.type) === 'Primary' ? ' (primary)' : ''}` }) });
    }
  }
  const desc = arr(cve.descriptions).find((d) => isObject(d) && d.lang === 'en');
  const summary = isObject(desc) ? str(desc.value)?.slice(0, 500) : undefined;
  return {
    kind: 'advisory',
    advisory: {
      source: 'nvd',
      id,
      aliases: [],
      ...(summary && { summary }),
      ...(str(cve.published) && { published: str(cve.published) }),
      ...(str(cve.lastModified) && { modified: str(cve.lastModified) }),
      cvss,
      links: [`https://nvd.nist.gov/vuln/detail/${id}`],
      affected: [],
      origin,
    },
  };
}

/**
 * Parses an NVD API 2.0 response page (`vulnerabilities[].cve`) or a single `cve` object.
 *
 * @example [...parseNvd(JSON.parse(page), 'page-0.json')]
 */
export function* parseNvd(doc: unknown, origin: string): Iterable<ParseItem> {
  if (!isObject(doc)) {
    yield { kind: 'problem', origin, message: 'NVD document is not a JSON object; skipped' };
    return;
  }
  if (Array.isArray(doc.vulnerabilities)) {
    for (const [i, v] of doc.vulnerabilities.entries()) {
      if (!isObject(v) || !isObject(v.cve)) {
        yield { kind: 'problem', origin: `${origin}#vulnerabilities[${i}]`, message: 'entry has no "cve" object; skipped' };
        continue;
      }
      yield parseCve(v.cve, `${origin}#${str(v.cve.id) ?? `vulnerabilities[${i}]`}`);
    }
    return;
  }
  yield parseCve(doc, origin);
}

function isNvdDoc(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  if (Array.isArray(doc.vulnerabilities) && (str(doc.format)?.startsWith('NVD_CVE') || typeof doc.resultsPerPage === 'number')) return true;
  return typeof doc.id === 'string' && /^CVE-/.test(doc.id) && isObject(doc.metrics) && Array.isArray(doc.descriptions);
}

/**
 * Pages through the API: all CVEs on the first run, then only those modified since the last run
 * (the API allows at most 120 days per query, so an older fingerprint means a full download).
 */
async function fetchNvd(fingerprint: string | undefined, options: FetchOptions): Promise<FetchedBody | Unchanged> {
  const base = options.baseUrl ?? NVD_BASE_URL;
  const now = new Date();
  const since = fingerprint ? new Date(fingerprint) : undefined;
  const incremental = since !== undefined && !Number.isNaN(since.getTime()) && now.getTime() - since.getTime() < 119 * 86400_000;
  const window = incremental ? `&lastModStartDate=${since.toISOString()}&lastModEndDate=${now.toISOString()}` : '';
  const files: string[] = [];
  const urls: string[] = [];
  let total = Infinity;
  for (let start = 0; start < total; start += PAGE) {
    const url = `${base}?resultsPerPage=${PAGE}&startIndex=${start}${window}`;
    const dest = joinUrl(options.dir, `nvd-${String(start).padStart(7, '0')}.json`);
    options.onProgress?.({ phase: 'download', done: start, ...(Number.isFinite(total) && { total }), unit: 'CVEs', detail: url });
    await download(url, dest, {}, options.signal);
    urls.push(url);
    files.push(dest);
    let page: unknown;
    try {
      page = JSON.parse(await readFile(dest, 'utf8'));
    } catch (e) {
      throw new AppError('IMG_FEED_FETCH', `${url}: the answer is not JSON: ${(e as Error).message}`, { cause: e, details: { url } });
    }
    total = isObject(page) && typeof page.totalResults === 'number' ? page.totalResults : 0;
  }
  if (incremental && total === 0) return UNCHANGED;
  return { files, fingerprint: now.toISOString(), urls };
}

/** The NVD source (CVSS enrichment). */
export const nvd: VulnSource = {
  name: 'nvd',
  help: 'NVD CVE API 2.0 pages: CVSS v4.0/v3.x/v2 scores used to enrich findings',
  urls: [NVD_BASE_URL],
  accepts: isNvdDoc,
  parseDocument: parseNvd,
  fetch: fetchNvd,
  parse(body, options?: OperationOptions) {
    return parseFiles(nvd, body, options);
  },
};
