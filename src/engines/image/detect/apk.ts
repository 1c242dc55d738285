import { buildPurl, distroQualifier, type DetectedPackage, type PackageDetector } from './detector.js';

const INSTALLED = 'lib/apk/db/installed';

/**
 * apk: `lib/apk/db/installed`, one record per package separated by blank lines, `X:value` lines:
 * P name, V version, A arch, o origin (the source package secdb and OSV Alpine advisories use).
 */
export const apk: PackageDetector = {
  name: 'apk',
  version: '1',
  kind: 'os',
  wants: [{ pattern: INSTALLED, maxBytes: 128 * 1024 * 1024 }],
  accepts: (path) => path === INSTALLED,
  detect(path, content, context) {
    const packages: DetectedPackage[] = [];
    const problems: string[] = [];
    const d = context.distribution;
    let rec: Record<string, string> = {};
    let start = 1;
    const flush = () => {
      if (Object.keys(rec).length === 0) return;
      const { P: name, V: version, A: arch, o: origin } = rec;
      if (!name || !version) problems.push(`${path}:${start}: record without P: or V:; skipped`);
      else {
        packages.push({
          ecosystem: 'apk',
          name,
          version,
          sourceName: origin || name,
          sourceVersion: version,
          ...(arch ? { arch } : {}),
          purl: buildPurl('apk', 'alpine', name, version, { arch, distro: distroQualifier(d) }),
        });
      }
      rec = {};
    };
    const lines = content.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') {
        flush();
        start = i + 2;
        continue;
      }
      if (line.length < 2 || line[1] !== ':') {
        problems.push(`${path}:${i + 1}: not a KEY:value line; ignored`);
        continue;
      }
      const k = line[0]!;
      if (rec[k] === undefined) rec[k] = line.slice(2);
    }
    flush();
    return { packages, problems };
  },
};
