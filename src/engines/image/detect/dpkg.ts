import { buildPurl, distroQualifier, parseControlStanzas, type DetectedPackage, type PackageDetector } from './detector.js';
import { matchGlob } from '../unpack/glob.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/*';

/**
 * dpkg: `var/lib/dpkg/status` (packages whose status is `... installed`) and distroless
 * `var/lib/dpkg/status.d/<pkg>` files (no Status field there: every stanza is installed).
 * The `Source:` field (`name` or `name (version)`) gives the source package Debian advisories use.
 */
export const dpkg: PackageDetector = {
  name: 'dpkg',
  version: '1',
  kind: 'os',
  wants: [
    { pattern: STATUS, maxBytes: 128 * 1024 * 1024 },
    { pattern: STATUS_D, maxBytes: 16 * 1024 * 1024 },
  ],
  accepts: (path) => path === STATUS || (matchGlob(STATUS_D, path) && !path.endsWith('.md5sums')),
  detect(path, content, context) {
    const packages: DetectedPackage[] = [];
    const problems: string[] = [];
    const distroless = path !== STATUS;
    const d = context.distribution;
    const namespace = d && (d.id === 'ubuntu' ? 'ubuntu' : d.id === 'debian' ? 'debian' : d.id);
    for (const { line, fields } of parseControlStanzas(content.toString('utf8'))) {
      const name = fields.get('Package');
      const status = fields.get('Status');
      if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
      if (status === undefined && !distroless) continue;
      const version = fields.get('Version');
      if (name === undefined || name === '' || version === undefined || version === '') {
        problems.push(`${path}:${line}: stanza without Package or Version; skipped`);
        continue;
      }
      const arch = fields.get('Architecture');
      const epoch = /^(\d+):/.exec(version)?.[1];
      let sourceName = name;
      let sourceVersion = version;
      const source = fields.get('Source');
      if (source !== undefined && source !== '') {
        const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(source);
        if (m) {
          sourceName = m[1]!;
          if (m[2] !== undefined) sourceVersion = m[2].trim();
        }
      }
      packages.push({
        ecosystem: 'deb',
        name,
        version,
        sourceName,
        sourceVersion,
        ...(arch ? { arch } : {}),
        // As Trivy writes them: the epoch goes to a qualifier, the purl version is upstream-revision.
        purl: buildPurl('deb', namespace ?? 'debian', name, epoch ? version.slice(epoch.length + 1) : version, { arch, epoch, distro: distroQualifier(d) }),
      });
    }
    return { packages, problems };
  },
};
