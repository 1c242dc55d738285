/**
 * Ubuntu OpenVEX (canonical/ubuntu-security-notices `vex/`): one document per CVE whose statements
 * list source and binary package purls per release with status fixed / affected / not_affected.
 * Only source packages (`arch=source`) of standard releases are kept (ESM/Pro streams are skipped),
 * in OSV's namespaces (`Ubuntu:22.04:LTS`, `Ubuntu:24.10`) so they merge with Ubuntu OSV.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { OperationOptions } from '../../../core/abort.js';
import { AppError } from '../../../core/errors.js';
import { arr, isObject, parseFiles, str } from './common.js';
import { download, joinUrl } from './http.js';
import { UNCHANGED } from './types.js';
import type { AffectedPackage, FetchedBody, FetchOptions, ParseItem, Unchanged, VulnSource } from './types.js';

export const UBUNTU_VEX_BASE_URL = 'https://security-metadata.canonical.com/vex';

/** Ubuntu release codenames and versions; LTS releases carry the `:LTS` suffix in OSV namespaces. */
const RELEASES: Record<string, [string, boolean]> = {
  trusty: ['14.04', true], xenial: ['16.04', true], bionic: ['18.04', true], focal: ['20.04', true],
  groovy: ['20.10', false], hirsute: ['21.04', false], impish: ['21.10', false], jammy: ['22.04', true],
  kinetic: ['22.10', false], lunar: ['23.04', false], mantic: ['23.10', false], noble: ['24.04', true],
  oracular: ['24.10', false], plucky: ['25.04', false], questing: ['25.10', false],
};

/** `pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=source&distro=jammy` -> name, version, namespace. */
function parsePurl(purl: string): { name: string; version: string; namespace: string } | undefined {
  const m = /^pkg:deb\/ubuntu\/([^@?]+)@([^?]+)\?(.*)$/.exec(purl);
  if (!m) return undefined;
  const q = new URLSearchParams(m[3]);
  if (q.get('arch') !== 'source') return undefined;
  const rel = RELEASES[q.get('distro') ?? ''];
  if (!rel) return undefined; // esm-infra/…, esm-apps/… and unknown streams
  return { name: decodeURIComponent(m[1]!), version: decodeURIComponent(m[2]!), namespace: `Ubuntu:${rel[0]}${rel[1] ? ':LTS' : ''}` };
}

/**
 * Parses one OpenVEX document.
 *
 * @example [...parseUbuntuVex(JSON.parse(text), 'CVE-2023-38545.json')]
 */
export function* parseUbuntuVex(doc: unknown, origin: string): Iterable<ParseItem> {
  if (!isObject(doc) || !Array.isArray(doc.statements)) {
    yield { kind: 'problem', origin, message: 'not an OpenVEX document (no "statements"); skipped' };
    return;
  }
  const byId = new Map<string, { affected: Map<string, AffectedPackage>; summary?: string; links: Set<string> }>();
  for (const [i, s] of doc.statements.entries()) {
    if (!isObject(s) || !isObject(s.vulnerability)) {
      yield { kind: 'problem', origin: `${origin}#statements[${i}]`, message: 'statement without a vulnerability; skipped' };
      continue;
    }
    const id = str(s.vulnerability.name);
    const status = str(s.status);
    if (!id || !status) {
      yield { kind: 'problem', origin: `${origin}#statements[${i}]`, message: 'statement without vulnerability name or status; skipped' };
      continue;
    }
    let entry = byId.get(id);
    if (!entry) {
      const summary = str(s.vulnerability.description)?.slice(0, 500);
      entry = { affected: new Map(), ...(summary && { summary }), links: new Set([str(s.vulnerability['@id']) ?? '', `https://ubuntu.com/security/${id}`].filter((x) => x.length > 0)) };
      byId.set(id, entry);
    }
    for (const p of arr(s.products)) {
      const purl = isObject(p) ? str(p['@id']) : str(p);
      const parsed = purl ? parsePurl(purl) : undefined;
      if (!parsed) continue;
      const key = `${parsed.namespace}\0${parsed.name}`;
      // A "fixed" statement names the build published now, which may be later than the first fixed
      // build: older builds are reported as needing it (a possible false positive, never a miss).
      if (status === 'fixed') entry.affected.set(key, { namespace: parsed.namespace, package: parsed.name, state: 'affected', ranges: [{ fixed: parsed.version }] });
      else if (status === 'affected') entry.affected.set(key, { namespace: parsed.namespace, package: parsed.name, state: 'affected', ranges: [{}] });
      else if (status === 'not_affected' && !entry.affected.has(key)) entry.affected.set(key, { namespace: parsed.namespace, package: parsed.name, state: 'not_affected', ranges: [] });
      // under_investigation: no verdict yet
    }
  }
  const modified = str(doc.timestamp);
  for (const [id, e] of byId) {
    yield {
      kind: 'advisory',
      advisory: { source: 'ubuntu-vex', id, aliases: [], ...(e.summary && { summary: e.summary }), ...(modified && { modified }), cvss: [], links: [...e.links], affected: [...e.affected.values()], origin },
    };
  }
}

/** Downloads vex-all.tar.xz and unpacks it with the system `xz` into a plain tar that the importer reads. */
async function fetchUbuntuVex(fingerprint: string | undefined, options: FetchOptions): Promise<FetchedBody | Unchanged> {
  const base = options.baseUrl ?? UBUNTU_VEX_BASE_URL;
  const url = joinUrl(base, 'vex-all.tar.xz');
  const xzFile = joinUrl(options.dir, 'vex-all.tar.xz');
  const previous = fingerprint ? (JSON.parse(fingerprint) as { etag?: string; lastModified?: string }) : {};
  const r = await download(url, xzFile, previous, options.signal);
  if (r.status === 'unchanged') return UNCHANGED;
  const tarFile = joinUrl(options.dir, 'vex-all.tar');
  // Node has no xz decoder; Debian and Ubuntu ship xz-utils in every base system
  const xz = spawn('xz', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const failed = new Promise<never>((_, reject) => xz.on('error', (e) => reject(new AppError('IMG_FEED_INVALID', `${url}: cannot run xz to unpack it (${e.message}); install xz-utils`, { cause: e }))));
  await Promise.race([Promise.all([pipeline(createReadStream(xzFile), xz.stdin), pipeline(xz.stdout, createWriteStream(tarFile))]), failed]);
  const code = await new Promise<number | null>((resolve) => (xz.exitCode !== null ? resolve(xz.exitCode) : xz.on('close', resolve)));
  if (code !== 0) throw new AppError('IMG_FEED_INVALID', `${url}: xz could not unpack the download (exit ${code})`);
  return { files: [tarFile], fingerprint: JSON.stringify(r.validators), urls: [url] };
}

/** The Ubuntu OpenVEX source. */
export const ubuntuVex: VulnSource = {
  name: 'ubuntu-vex',
  help: 'Ubuntu OpenVEX: fixed / affected / not affected source packages per Ubuntu release',
  urls: [`${UBUNTU_VEX_BASE_URL}/vex-all.tar.xz`],
  accepts: (doc) => isObject(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/') && Array.isArray(doc.statements),
  parseDocument: parseUbuntuVex,
  fetch: fetchUbuntuVex,
  parse(body, options?: OperationOptions) {
    return parseFiles(ubuntuVex, body, options);
  },
};
