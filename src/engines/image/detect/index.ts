/**
 * detect/: package detectors (one file each, listed here) and the indexer that runs them over an
 * image's layers.
 */
export { detectors } from './registry.js';
export { apk } from './apk.js';
export { dpkg } from './dpkg.js';
export { npm } from './npm.js';
export { python } from './python.js';
export { rpm } from './rpm.js';

export type { PackageDetector, DetectedPackage, DetectResult, DetectContext } from './detector.js';
export { buildPurl } from './detector.js';
export { parseOsRelease, distroFromFile, DISTRO_FILES } from './os-release.js';
export { parseRpmHeader } from './rpm-header.js';
export { indexImage, analyzeImage, analyzeImageSource, type IndexImageOptions, type ImageAnalysis } from './index-image.js';
