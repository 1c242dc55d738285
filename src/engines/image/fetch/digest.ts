import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../../core/errors.js';

/** A parsed content digest (OCI descriptor `digest`). */
export interface Digest {
  readonly algorithm: 'sha256' | 'sha512';
  readonly hex: string;
}

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

/**
 * Parses `algorithm:hex`, refusing algorithms Vigil cannot verify and malformed hex.
 *
 * @example
 * parseDigest('sha256:' + 'a'.repeat(64)).algorithm; // 'sha256'
 */
export function parseDigest(value: unknown, where: string): Digest {
  if (typeof value === 'string') {
    const m = /^(sha256|sha512):([a-f0-9]+)$/.exec(value);
    if (m && m[2]!.length === HEX_LENGTH[m[1] as Digest['algorithm']]) {
      return { algorithm: m[1] as Digest['algorithm'], hex: m[2]! };
    }
  }
  throw new AppError('IMG_DIGEST_INVALID', `${where}: ${JSON.stringify(value)} is not a sha256/sha512 digest`, {
    details: { where },
  });
}

/** The digest string of a buffer. */
export function digestOf(bytes: Uint8Array, algorithm: Digest['algorithm'] = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * Throws IMG_DIGEST_MISMATCH unless `bytes` hash to `expected` (and have `size` bytes when given).
 *
 * @example
 * verifyBytes(manifestBytes, descriptor.digest, descriptor.size, 'oci:img manifest');
 */
export function verifyBytes(bytes: Uint8Array, expected: string, size: number | undefined, what: string): void {
  const d = parseDigest(expected, what);
  if (size !== undefined && bytes.length !== size) {
    throw new AppError('IMG_DIGEST_MISMATCH', `${what}: size ${bytes.length} differs from the descriptor's ${size}`, {
      details: { what, expected: size, actual: bytes.length },
    });
  }
  const actual = digestOf(bytes, d.algorithm);
  if (actual !== expected) {
    throw new AppError('IMG_DIGEST_MISMATCH', `${what}: content hashes to ${actual}, expected ${expected}`, {
      details: { what, expected, actual },
    });
  }
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end (or as soon as the
 * size is exceeded) when the content is not what the descriptor says. Nothing downstream may treat
 * data as trusted before this stream ends without error.
 *
 * @example
 * pipeline(fs.createReadStream(blob), createDigestVerifier(desc.digest, desc.size, 'layer 1'), sink);
 */
export function createDigestVerifier(expected: string, size: number | undefined, what: string): Transform {
  const d = parseDigest(expected, what);
  const hash: Hash = createHash(d.algorithm);
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (size !== undefined && seen > size) {
        cb(
          new AppError('IMG_DIGEST_MISMATCH', `${what}: more than the descriptor's ${size} bytes`, {
            details: { what, expected: size },
          }),
        );
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      if (size !== undefined && seen !== size) {
        cb(
          new AppError('IMG_DIGEST_MISMATCH', `${what}: ${seen} bytes, the descriptor says ${size} (truncated?)`, {
            details: { what, expected: size, actual: seen },
          }),
        );
        return;
      }
      const actual = `${d.algorithm}:${hash.digest('hex')}`;
      if (actual !== expected) {
        cb(
          new AppError('IMG_DIGEST_MISMATCH', `${what}: content hashes to ${actual}, expected ${expected}`, {
            details: { what, expected, actual },
          }),
        );
        return;
      }
      cb();
    },
  });
}
