import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { AppError } from '../../../core/errors.js';

/** Compression of a layer, from its first bytes (media types lie; magic bytes do not). */
export type Compression = 'gzip' | 'zstd' | 'none';

/** Detects gzip (1f 8b) and zstd (28 b5 2f fd) frames; anything else is read as a plain tar. */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** A Transform that decompresses zstd with fzstd (pure JS, streaming). */
export function createZstdDecompressor(what: string): Transform {
  let t: Transform;
  const d = new Decompress((chunk) => {
    // fzstd may reuse its window buffer: copy what we hand downstream.
    t.push(Buffer.from(chunk));
  });
  t = new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      try {
        d.push(chunk);
        cb();
      } catch (e) {
        cb(new AppError('IMG_LAYER_CORRUPT', `${what}: bad zstd data (${(e as Error).message})`, { cause: e }));
      }
    },
    flush(cb: TransformCallback) {
      try {
        d.push(new Uint8Array(0), true);
        cb();
      } catch (e) {
        cb(new AppError('IMG_LAYER_CORRUPT', `${what}: truncated or bad zstd data (${(e as Error).message})`, { cause: e }));
      }
    },
  });
  return t;
}

/** Counts bytes flowing through. */
export function createCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

/** Limits for one layer's expansion. */
export interface ExpansionLimits {
  /** Largest uncompressed layer size. */
  readonly maxLayerBytes: number;
  /** Largest ratio uncompressed / compressed, checked once past `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = {
  maxLayerBytes: 64 * 1024 ** 3,
  maxRatio: 1000,
  ratioFloorBytes: 256 * 1024 ** 2,
};

/** Waits for the first chunk of a stream and puts it back, so its magic bytes can be read. */
export function peek(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (b: Buffer) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      resolve(b);
    };
    const onReadable = () => {
      const c = stream.read() as Buffer | null;
      if (c !== null) {
        stream.unshift(c);
        done(c);
      }
    };
    const onEnd = () => done(Buffer.alloc(0));
    const onError = (e: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      reject(e);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/**
 * Builds the decompression stage for a layer: gzip via zlib, zstd via fzstd, or nothing; with a
 * guard that fails with IMG_LAYER_BOMB when the output outgrows the limits.
 */
export function createDecompressionStages(
  compression: Compression,
  what: string,
  limits: ExpansionLimits,
  compressedSoFar: () => number,
): Transform[] {
  let out = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _e, cb: TransformCallback) {
      out += chunk.length;
      if (out > limits.maxLayerBytes) {
        cb(new AppError('IMG_LAYER_BOMB', `${what}: expands beyond ${limits.maxLayerBytes} bytes`, { details: { what, limit: limits.maxLayerBytes } }));
        return;
      }
      if (compression !== 'none' && out > limits.ratioFloorBytes && out / Math.max(1, compressedSoFar()) > limits.maxRatio) {
        cb(
          new AppError('IMG_LAYER_BOMB', `${what}: expands more than ${limits.maxRatio}:1 (decompression bomb?)`, {
            details: { what, ratio: limits.maxRatio },
          }),
        );
        return;
      }
      cb(null, chunk);
    },
  });
  if (compression === 'gzip') {
    const g = createGunzip({ chunkSize: 256 * 1024 });
    return [g, guard];
  }
  if (compression === 'zstd') return [createZstdDecompressor(what), guard];
  return [guard];
}
