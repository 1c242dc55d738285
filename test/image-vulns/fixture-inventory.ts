/**
 * Test-only inventories built from the real package databases of the test images
 * (../shared/images/fixtures, written by make-test-images.sh), so that matching is tested on
 * real data without depending on the inventory half. Layer attribution follows the inventory
 * contract: a package's layer is the first layer whose database has its final version.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ImageInventory, Package } from '../../src/engines/image/types.js';
import { sharedPath } from '../support/shared.js';

interface Stanza {
  readonly [key: string]: string;
}

function stanzas(text: string): Stanza[] {
  return text
    .split(/\n\s*\n/)
    .filter((b) => b.trim().length > 0)
    .map((b) => {
      const out: Record<string, string> = {};
      for (const line of b.split('\n')) {
        const m = /^([A-Za-z-]+): ?(.*)$/.exec(line);
        if (m) out[m[1]!] = m[2]!;
      }
      return out;
    });
}

function dpkgInstalled(file: string): Map<string, Stanza> {
  const out = new Map<string, Stanza>();
  for (const s of stanzas(readFileSync(file, 'utf8'))) {
    if (s.Package && s.Status?.endsWith(' installed')) out.set(`${s.Package}:${s.Architecture}`, s);
  }
  return out;
}

/** The layer digests of the bookworm image, from fixtures/SUMMARY.txt. */
export function bookwormLayers(): string[] {
  const summary = readFileSync(sharedPath('images', 'fixtures', 'SUMMARY.txt'), 'utf8');
  const block = summary.split('== bookworm config')[1]!.split('==')[0]!;
  return [...block.matchAll(/layer (sha256:[0-9a-f]{64})/g)].map((m) => m[1]!);
}

function manifestDigest(tag: string): string {
  const summary = readFileSync(sharedPath('images', 'fixtures', 'SUMMARY.txt'), 'utf8');
  return new RegExp(`tag ${tag} manifest (sha256:[0-9a-f]{64})`).exec(summary)![1]!;
}

/**
 * The bookworm image's inventory from its three dpkg status snapshots.
 *
 * @example const inv = bookwormInventory(); inv.packages.length // 107
 */
export function bookwormInventory(): ImageInventory {
  const dir = sharedPath('images', 'fixtures');
  const layers = bookwormLayers();
  const snapshots = [dpkgInstalled(`${dir}/bookworm.layer1.dpkg-status`), dpkgInstalled(`${dir}/bookworm.layer2.dpkg-status`), dpkgInstalled(`${dir}/bookworm.final.dpkg-status`)];
  const final = snapshots[2]!;
  const packages: Package[] = [];
  for (const [key, s] of final) {
    const idx = snapshots.findIndex((snap) => snap.get(key)?.Version === s.Version);
    const src = s.Source ? /^(\S+)(?: \((.+)\))?$/.exec(s.Source) : null;
    const sourceName = src?.[1] ?? s.Package!;
    const sourceVersion = src?.[2] ?? s.Version!;
    packages.push({
      ecosystem: 'deb',
      name: s.Package!,
      version: s.Version!,
      sourceName,
      sourceVersion,
      arch: s.Architecture!,
      purl: `pkg:deb/debian/${s.Package}@${encodeURIComponent(s.Version!)}?arch=${s.Architecture}&distro=debian-12`,
      layer: layers[idx]!,
      file: 'var/lib/dpkg/status',
      detector: 'test-fixture',
    });
  }
  return {
    digest: manifestDigest('bookworm'),
    digestKind: 'manifest',
    reference: 'fixture:bookworm',
    configDigest: 'sha256:66156a873572fdbf3adb5b6ccfcc90dd0c4ca79fdbb44c94cc1a36d420e25c2b',
    layers: layers.map((d) => ({ digest: d, diffId: d, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 0 })),
    distribution: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', layer: layers[0]! },
    packages,
    warnings: [],
  };
}

/** os-release of the Alpine rootfs tarball the alpine test image is built from. */
function alpineOsRelease(): Record<string, string> {
  const tar = gunzipSync(readFileSync(sharedPath('images', 'alpine-3.14-armv7-minirootfs.tar.gz')));
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(tar.subarray(off + 124, off + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    if (name.replace(/^\.\//, '') === 'etc/os-release') {
      const text = tar.subarray(off + 512, off + 512 + size).toString('utf8');
      return Object.fromEntries([...text.matchAll(/^([A-Z_]+)="?([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]!]));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('etc/os-release not found in the Alpine rootfs tarball');
}

/**
 * The alpine image's inventory from its apk database.
 *
 * @example alpineInventory().distribution?.versionId // '3.14.0'
 */
export function alpineInventory(): ImageInventory {
  const summary = readFileSync(sharedPath('images', 'fixtures', 'SUMMARY.txt'), 'utf8');
  const block = summary.split('== alpine config')[1]!;
  const layers = [...block.matchAll(/layer (sha256:[0-9a-f]{64})/g)].map((m) => m[1]!);
  const os = alpineOsRelease();
  const packages: Package[] = [];
  for (const block of readFileSync(sharedPath('images', 'fixtures', 'alpine.final.apk-installed'), 'utf8').split(/\n\n/)) {
    const f: Record<string, string> = {};
    for (const line of block.split('\n')) if (/^[A-Za-z]:/.test(line) && f[line[0]!] === undefined) f[line[0]!] = line.slice(2);
    if (!f.P || !f.V) continue;
    packages.push({
      ecosystem: 'apk',
      name: f.P,
      version: f.V,
      sourceName: f.o ?? f.P,
      arch: f.A ?? '',
      purl: `pkg:apk/alpine/${f.P}@${f.V}?arch=${f.A}&distro=${os.VERSION_ID}`,
      layer: layers[0]!,
      file: 'lib/apk/db/installed',
      detector: 'test-fixture',
    });
  }
  return {
    digest: manifestDigest('alpine'),
    digestKind: 'manifest',
    reference: 'fixture:alpine',
    configDigest: 'sha256:1f017af50c5153562a8b9042feb0c98579b538b08d13c0d0e2226c949fdf8473',
    layers: layers.map((d) => ({ digest: d, diffId: d, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 0 })),
    distribution: { id: os.ID!, versionId: os.VERSION_ID!, prettyName: os.PRETTY_NAME!, layer: layers[0]! },
    packages,
    warnings: [],
  };
}
