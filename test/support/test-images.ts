import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The container images built by ../shared/images/make-test-images.sh (via scripts/ci-test-images.sh):
 * an OCI layout with tags bookworm, bookworm-opaque and alpine, plus docker and OCI archives.
 * VIGIL_TEST_IMAGES overrides the default /tmp/vigil-test-images.
 */
export const testImagesDir = resolve(process.env.VIGIL_TEST_IMAGES ?? '/tmp/vigil-test-images');

/** Path inside the test images directory. */
export function testImagePath(...parts: string[]): string {
  return join(testImagesDir, ...parts);
}

/** What each image test needs; checked together so a partial build is reported. */
const REQUIRED = ['oci/index.json', 'bookworm-docker.tar', 'bookworm-oci.tar', 'bookworm-opaque-docker.tar', 'alpine-docker.tar', 'SUMMARY.txt'];

/**
 * Why a test that needs the built test images must skip, or undefined when they are there.
 *
 * @example
 * const missing = testImagesMissing();
 * describe.skipIf(missing)('real images', () => { ... });
 */
export function testImagesMissing(...extra: string[]): string | undefined {
  const absent = [...REQUIRED, ...extra].filter((p) => !existsSync(join(testImagesDir, p)));
  if (absent.length === 0) return undefined;
  return `skipped: test images missing in ${testImagesDir} (${absent.join(', ')}); build them as root with scripts/ci-test-images.sh (needs debootstrap umoci skopeo jq)`;
}
