/**
 * Types shared by the image engine: fetch -> unpack -> detect -> match -> report
 * (versions/, sources/ and store/ feed match/). A stage imports earlier stages only.
 */

/** Package ecosystems Vigil detects and matches, named as OSV names them where it can. */
export type Ecosystem = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi';

/** The image's operating system, from etc/os-release (or lsb-release / alpine-release fallbacks). */
export interface Distribution {
  /** os-release ID: debian, ubuntu, alpine, rhel, rocky, almalinux, centos, amzn... */
  readonly id: string;
  /** VERSION_ID as written: "12", "3.14.0", "22.04", "9.3". */
  readonly versionId: string;
  /** VERSION_CODENAME when present: bookworm, jammy. */
  readonly codename?: string;
  readonly prettyName?: string;
  /** The layer digest whose os-release file won. */
  readonly layer: string;
}

/** One installed package as found in the final image filesystem. */
export interface Package {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  /** Source package (dpkg `Source:`, apk origin, rpm source rpm name) when it differs or is known. */
  readonly sourceName?: string;
  readonly sourceVersion?: string;
  readonly arch?: string;
  /** Package URL (purl), e.g. pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12. */
  readonly purl: string;
  /** Digest of the layer that introduced this version of the package. */
  readonly layer: string;
  /** The database or manifest file it was read from, inside the image (no leading slash). */
  readonly file: string;
  /** Detector name and version that found it (evidence). */
  readonly detector: string;
}

/** A layer as analysed: its digests and what it changed. */
export interface LayerInfo {
  /** Digest of the blob as stored (compressed). */
  readonly digest: string;
  /** Digest of the uncompressed tar (config rootfs.diff_ids). */
  readonly diffId: string;
  readonly mediaType: string;
  readonly size: number;
  /** history created_by for this layer when the config has it. */
  readonly createdBy?: string;
}

/** What the indexer produced for one image: Clair's IndexReport, in Vigil's terms. */
export interface ImageInventory {
  /** Manifest digest (for docker-archive, which has no manifest, the config digest; for dir:, a digest of the package files read; see `digestKind`). */
  readonly digest: string;
  readonly digestKind: 'manifest' | 'config' | 'rootfs';
  /** The reference the user gave (oci:DIR:TAG, docker://...). */
  readonly reference: string;
  readonly configDigest: string;
  readonly platform?: { os: string; architecture: string; variant?: string };
  readonly layers: readonly LayerInfo[];
  readonly distribution?: Distribution;
  readonly packages: readonly Package[];
  /** Non-fatal problems: an unreadable package database, a skipped entry. */
  readonly warnings: readonly string[];
}
