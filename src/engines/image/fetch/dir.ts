import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../core/errors.js';
import type { ImageSource } from './source.js';

/**
 * Opens `dir:ROOTFS`: a plain directory read as one pseudo-layer. It has no manifest or config;
 * unpack/ walks the directory (never following links out of it) and names the pseudo-layer by a
 * digest of the files it read, so `digest` and `configDigest` are filled in there.
 *
 * @example
 * const src = await openRootfsDir('/srv/rootfs', 'dir:/srv/rootfs');
 */
export async function openRootfsDir(path: string, reference: string): Promise<ImageSource> {
  const root = resolve(path);
  const st = await stat(root).catch((e: unknown) => {
    throw new AppError('IMG_INPUT_NOT_FOUND', `${reference}: cannot read ${root} (${(e as Error).message})`, { cause: e, details: { path: root } });
  });
  if (!st.isDirectory()) throw new AppError('IMG_INPUT_NOT_FOUND', `${reference}: ${root} is not a directory`, { details: { path: root } });
  return {
    reference,
    digest: '',
    digestKind: 'rootfs',
    configDigest: '',
    layers: [],
    rootfs: root,
    openLayer: () => {
      throw new AppError('IMG_REFERENCE_INVALID', `${reference}: a directory has no layer streams`);
    },
    close: async () => undefined,
  };
}
