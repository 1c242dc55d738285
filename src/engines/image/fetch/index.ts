/**
 * fetch/: turns an image reference into an ImageSource (identity, config, verified layer streams).
 */
import { openDockerArchive, openOciArchive } from './archives.js';
import { openRootfsDir } from './dir.js';
import { openOciLayout } from './oci-layout.js';
import { parseImageReference, type ImageReference } from './reference.js';
import { openRegistryImage } from './registry.js';
import type { ImageSource, OpenImageOptions } from './source.js';

export { parseImageReference, formatImageReference, type ImageReference } from './reference.js';
export { parsePlatform, hostPlatform, type PlatformSpec } from './manifest.js';
export type { ImageSource, OpenImageOptions, BlobStore } from './source.js';
export { RegistryClient, parseChallenge } from './registry.js';
export { indexTarFile } from './tar-index.js';
export { parseDigest, digestOf } from './digest.js';

/**
 * Opens an image from any supported transport. Call `close()` on the result when done.
 *
 * @example
 * const src = await openImage('oci:/tmp/vigil-test-images/oci:bookworm');
 * try { console.log(src.digest, src.layers.length); } finally { await src.close(); }
 */
export async function openImage(reference: string | ImageReference, options: OpenImageOptions = {}): Promise<ImageSource> {
  const ref = typeof reference === 'string' ? parseImageReference(reference) : reference;
  const text = typeof reference === 'string' ? reference : JSON.stringify(reference);
  const o = { ...(options.platform ? { platform: options.platform } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  switch (ref.transport) {
    case 'oci':
      return openOciLayout(ref.path, ref.tag, text, o);
    case 'oci-archive':
      return openOciArchive(ref.path, ref.tag, text, o);
    case 'docker-archive':
      return openDockerArchive(ref.path, ref.ref, text, o);
    case 'dir':
      return openRootfsDir(ref.path, text);
    case 'docker':
      return openRegistryImage(ref, text, { ...o, ...(options.insecure ? { insecure: true } : {}) });
  }
}
