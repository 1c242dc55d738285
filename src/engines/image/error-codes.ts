import { defineErrorCodes } from '../../core/errors.js';

/**
 * Error codes of the image engine (one catalog for the whole engine: inventory and vulnerability halves).
 * docs/errors.md is generated from this list.
 */
export const IMAGE_ERRORS = defineErrorCodes({
  // ---- references and inputs (fetch/)
  IMG_REFERENCE_INVALID: {
    summary: 'The image reference is not one of oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:ROOTFS or docker://HOST/REPO[:TAG|@DIGEST].',
    action: 'Write the reference with one of these transports, as skopeo does.',
  },
  IMG_INPUT_NOT_FOUND: {
    summary: 'The file or directory named by the image reference does not exist or cannot be read.',
    action: 'Check the path in the reference and the permissions.',
  },
  IMG_TAG_NOT_FOUND: {
    summary: 'The tag (or image) asked for is not in the OCI layout, archive or registry.',
    action: 'List the tags the input holds (the message shows them) and pick one.',
  },
  IMG_PLATFORM_NOT_FOUND: {
    summary: 'The image index or manifest list has no image for the requested platform.',
    action: 'Pick one of the platforms the message lists with --platform os/arch[/variant].',
  },
  IMG_MANIFEST_INVALID: {
    summary: 'An index.json, manifest, manifest.json or image config is not valid JSON or misses required fields.',
    action: 'The input is damaged or not an image; re-create it (skopeo copy) and check the file named.',
  },
  IMG_MEDIA_TYPE_UNSUPPORTED: {
    summary: 'A manifest or layer has a media type Vigil does not read (e.g. Docker schema 1, foreign or encrypted layers).',
    action: 'Convert the image with skopeo copy to an OCI or Docker schema 2 image.',
  },
  IMG_DIGEST_MISMATCH: {
    summary: 'A blob or manifest does not hash to the digest that names it, or its size differs from its descriptor.',
    action: 'The image is corrupt or was tampered with; fetch it again from a trusted source.',
  },
  IMG_DIGEST_INVALID: {
    summary: 'A digest is not algorithm:hex with a supported algorithm (sha256, sha512).',
    action: 'Fix the digest in the reference or manifest.',
  },
  IMG_ARCHIVE_CORRUPT: {
    summary: 'An oci-archive or docker-archive tar file is truncated or damaged, or misses a file its manifest names.',
    action: 'Re-create the archive (skopeo copy, docker save) and check it is complete.',
  },
  IMG_REGISTRY_UNREACHABLE: {
    summary: 'The registry could not be reached (DNS, TCP, TLS) or answered with a server error.',
    action: 'Check the host name, the network, and --insecure for a plain-HTTP registry.',
  },
  IMG_REGISTRY_AUTH: {
    summary: 'The registry refused access, or its authentication challenge could not be answered anonymously.',
    action: 'Check that the repository exists and allows anonymous pulls; private registries need credentials Vigil does not support yet.',
  },
  IMG_REGISTRY_NOT_FOUND: {
    summary: 'The registry does not have the repository, tag, manifest or blob asked for.',
    action: 'Check the repository name and the tag or digest.',
  },
  IMG_REGISTRY_PROTOCOL: {
    summary: 'The registry answered in a way the Registry HTTP API v2 does not allow (bad headers, bad token response).',
    action: 'Check that the host is a container registry; report the exchange if it is one.',
  },
  // ---- layers (unpack/)
  IMG_LAYER_CORRUPT: {
    summary: 'A layer is not a valid (gzip, zstd or plain) tar stream: truncated, bad checksum, bad header.',
    action: 'The message names the layer and the entry; fetch the image again.',
  },
  IMG_LAYER_UNSAFE_PATH: {
    summary: 'A layer entry has a path that leaves the image root (../ beyond the root).',
    action: 'The image is malicious or broken; do not run it. The message names the layer and the entry.',
  },
  IMG_LAYER_BOMB: {
    summary: 'A layer expands beyond the allowed size or compression ratio (decompression bomb).',
    action: 'Inspect the image; raise the limit only if the layer is genuinely that large.',
  },
  IMG_ENTRY_TOO_LARGE: {
    summary: 'A file Vigil reads (a package database or manifest) is larger than the per-file limit.',
    action: 'The message names the layer and the entry; the file is probably not a real package database.',
  },
  IMG_SYMLINK_LOOP: {
    summary: 'Resolving a symbolic link inside the image took too many hops (a loop).',
    action: 'The image has a symlink loop at the path shown; the file behind it is not read.',
  },
  // ---- package databases (detect/)
  IMG_PACKAGE_DB_INVALID: {
    summary: 'A package database (dpkg status, apk installed, rpmdb, package-lock.json, METADATA) could not be parsed.',
    action: 'The message names the file and layer; the packages in it are not reported, others are.',
  },
  // ---- vulnerability feeds and database (sources/, store/, match/, report/)
  IMG_FEED_NOT_FOUND: {
    summary: 'A file or folder given to `vigil db import` does not exist or cannot be read.',
    action: 'Check the path; nothing was imported (the database is as it was).',
  },
  IMG_FEED_INVALID: {
    summary: 'A feed file cannot be read at all: damaged gzip/zip/zstd, truncated stream, or larger than the per-document limit.',
    action: 'The message names the file (and line); fetch the feed again. The import was rolled back, the previous data is intact.',
  },
  IMG_FEED_FETCH: {
    summary: '`vigil db update` could not download a feed: network error, DNS failure, or an HTTP error status.',
    action: 'The message names the URL. Check the network or proxy, or download the file elsewhere and use `vigil db import`. The database is unchanged.',
  },
  IMG_SOURCE_UNKNOWN: {
    summary: '`--source` names a vulnerability source Vigil does not have.',
    action: 'Use one of the names listed in the message (see `vigil db update --help`).',
  },
  IMG_IGNORE_FILE: {
    summary: 'The file given with `--ignore-file` cannot be read.',
    action: 'Check the path; the file lists one vulnerability id per line, `#` comments, optional `exp:YYYY-MM-DD`.',
  },
});

/** One of the image engine's error codes. */
export type ImageErrorCode = keyof typeof IMAGE_ERRORS;
