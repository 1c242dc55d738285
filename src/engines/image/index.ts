/**
 * The image engine's public API. Inventory half: references, fetch, unpack, detectors, indexImage.
 */
// ---- inventory (fetch -> unpack -> detect)
export { indexImage, analyzeImage, analyzeImageSource, detectors, type IndexImageOptions, type ImageAnalysis, type PackageDetector } from './detect/index.js';
export { openImage, parseImageReference, formatImageReference, parsePlatform, type ImageReference, type ImageSource, type PlatformSpec } from './fetch/index.js';
export { unpackImage, type UnpackedImage, type WantedPattern } from './unpack/index.js';
export { IMAGE_ERRORS, type ImageErrorCode } from './error-codes.js';
export type { Ecosystem, Distribution, Package, LayerInfo, ImageInventory } from './types.js';
