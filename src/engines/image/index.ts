/**
 * The image engine's public API. Inventory half: references, fetch, unpack, detectors, indexImage.
 */
// ---- inventory (fetch -> unpack -> detect)
export { indexImage, analyzeImage, analyzeImageSource, detectors, type IndexImageOptions, type ImageAnalysis, type PackageDetector } from './detect/index.js';
export { openImage, parseImageReference, formatImageReference, parsePlatform, type ImageReference, type ImageSource, type PlatformSpec } from './fetch/index.js';
export { unpackImage, type UnpackedImage, type WantedPattern } from './unpack/index.js';
export { IMAGE_ERRORS, type ImageErrorCode } from './error-codes.js';
export type { Ecosystem, Distribution, Package, LayerInfo, ImageInventory } from './types.js';
// ---- vulnerabilities (versions -> sources -> store -> match -> report)
export { versionSchemes, schemeForEcosystem, compareDpkg, compareApk, compareRpm, comparePep440, compareSemver, satisfiesPep440, satisfiesSemver, type VersionScheme } from './versions/index.js';
export { vulnSources, sourceForDocument, type Advisory, type AffectedPackage, type VulnSource, type Severity, SEVERITIES } from './sources/index.js';
export { importFeedPaths, updateSources, dbStatus, migrateVulnStore, IMAGE_VULN_MIGRATIONS, type ImportResult, type UpdateResult, type DbStatus } from './store/index.js';
export { matchInventory, explainMatch, matchers, type MatchResult, type Finding, type Verdict, type Coverage, type Explanation, type MatchOptions } from './match/index.js';
export { buildReport, parseIgnoreFile, renderReport, renderExplanation, REPORT_FORMATS, REPORT_SCHEMA_VERSION, type ReportFormat, type ScanReport, type ReportOptions } from './report/index.js';
export { scanImage, type ScanImageOptions } from './scan.js';
