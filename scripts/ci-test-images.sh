#!/usr/bin/env bash
# Builds the real container test images the image engine's tests use, unless already cached.
# Run as root (debootstrap, chroot). Needs: debootstrap umoci skopeo jq (apt), network to the
# Debian mirror. Output: $VIGIL_TEST_IMAGES (default /tmp/vigil-test-images); cache that directory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${VIGIL_SHARED:-$ROOT/../shared}
OUT=${VIGIL_TEST_IMAGES:-/tmp/vigil-test-images}
ALPINE_TAR="$SHARED/images/alpine-3.14-armv7-minirootfs.tar.gz"

need=(oci/index.json bookworm-docker.tar bookworm-oci.tar bookworm-opaque-docker.tar alpine-docker.tar
      bookworm.final.dpkg-status bookworm.layer1.dpkg-status bookworm.layer2.dpkg-status alpine.final.apk-installed SUMMARY.txt)
complete=1
for f in "${need[@]}"; do [ -e "$OUT/$f" ] || complete=0; done
if [ "$complete" = 1 ] && [ "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(",")' "$OUT/oci/index.json")" = "alpine,bookworm,bookworm-opaque" ]; then
  echo "test images cached in $OUT"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "ci-test-images.sh: run as root (debootstrap needs it)" >&2; exit 1; }
mkdir -p "$OUT"
# The Alpine rootfs is armv7: label it so (the script defaults to amd64 when the tar is named).
OUT="$OUT" ALPINE_ROOTFS_TAR="$ALPINE_TAR" ALPINE_ARCH=arm ALPINE_VARIANT=v7 \
  bash "$SHARED/images/make-test-images.sh"
# Only the images and package-db snapshots are needed; the bundle and rootfs copies are big.
rm -rf "$OUT/bundle-bookworm" "$OUT/bundle-alpine"
echo "test images built in $OUT"
