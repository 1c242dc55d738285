import type { OperationOptions } from '../../../core/abort.js';
import type { Registry } from '../../../core/registry.js';
import { openImage } from '../fetch/index.js';
import { parsePlatform, type PlatformSpec } from '../fetch/manifest.js';
import type { ImageReference } from '../fetch/reference.js';
import type { ImageSource } from '../fetch/source.js';
import { unpackImage, type ScanLimits, type UnpackedImage, type WantedFile, type WantedPattern } from '../unpack/index.js';
import type { Distribution, ImageInventory, Package } from '../types.js';
import type { DetectedPackage, DetectResult, PackageDetector } from './detector.js';
import { DISTRO_FILES, distroFromFile } from './os-release.js';
import { detectors } from './registry.js';

/** Options for indexImage. */
export interface IndexImageOptions extends OperationOptions {
  /** os/arch[/variant] (string or parsed) to pick from an index or manifest list. */
  readonly platform?: string | PlatformSpec;
  /** Plain HTTP for docker:// (always used for loopback registries). */
  readonly insecure?: boolean;
  readonly limits?: Partial<ScanLimits>;
  /**
   * Opt-in layer cache directory (e.g. the user's cache dir): layer scans are stored by layer
   * digest after verification and reused, so a warm scan reads no layer bytes. Default: no cache,
   * nothing written to disk.
   */
  readonly cacheDir?: string;
  /** Detectors to run; default: every registered detector. */
  readonly detectors?: Registry<PackageDetector> | readonly PackageDetector[];
}

/** indexImage's result with the unpacked filesystem, for explain and tests. */
export interface ImageAnalysis {
  readonly inventory: ImageInventory;
  readonly unpacked: UnpackedImage;
}

const DISTRO_WANTS: WantedPattern[] = DISTRO_FILES.map((pattern) => ({ pattern, maxBytes: 64 * 1024 }));

function detectDistribution(img: UnpackedImage, layers: readonly { digest: string }[]): Distribution | undefined {
  for (const path of DISTRO_FILES) {
    const f = img.readFile(path);
    if (f === undefined) continue;
    const d = distroFromFile(path, f.content.toString('utf8'));
    if (d) return { ...d, layer: layers[f.layer]?.digest ?? '' };
  }
  return undefined;
}

interface Found extends DetectedPackage {
  readonly file: string;
}

/**
 * Runs the detectors over every layer's view of their files and attributes each package of the
 * final image to the layer from which it has been present, unchanged (same name, version and arch in
 * the same database file), up to the top: the layer that introduced its current version.
 */
function detectPackages(img: UnpackedImage, detectors: readonly PackageDetector[], distribution: Distribution | undefined, layers: readonly { digest: string }[], warnings: string[]): Package[] {
  const context = distribution ? { distribution } : {};
  const perFile = new WeakMap<Buffer, DetectResult>();
  const perView = new WeakMap<ReadonlyMap<string, WantedFile>, Map<string, Found & { detector: PackageDetector }>>();
  const run = (d: PackageDetector, f: WantedFile): DetectResult => {
    let r = perFile.get(f.content);
    if (r === undefined) {
      try {
        r = d.detect(f.path, f.content, context);
      } catch (e) {
        // A detector must not throw on bad input; if one does, the file is skipped, not the image.
        r = { packages: [], problems: [`${f.path}: ${d.name} detector failed (${(e as Error).message})`] };
      }
      perFile.set(f.content, r);
    }
    return r;
  };
  const keyed = (view: ReadonlyMap<string, WantedFile>) => {
    let m = perView.get(view);
    if (m !== undefined) return m;
    m = new Map();
    for (const f of view.values()) {
      for (const d of detectors) {
        if (!d.accepts(f.path)) continue;
        for (const p of run(d, f).packages) m.set(`${d.name}\0${f.path}\0${p.name}\0${p.version}\0${p.arch ?? ''}`, { ...p, file: f.path, detector: d });
      }
    }
    perView.set(view, m);
    return m;
  };
  const last = img.views.length - 1;
  if (last < 0) return [];
  const final = keyed(img.views[last]!);
  for (const f of img.views[last]!.values()) {
    for (const d of detectors) {
      if (!d.accepts(f.path)) continue;
      for (const p of run(d, f).problems) warnings.push(`IMG_PACKAGE_DB_INVALID: layer ${f.layer + 1} ${layers[f.layer]?.digest ?? ''}: ${p}`);
    }
  }
  const out: Package[] = [];
  for (const [key, p] of final) {
    let k = last;
    while (k > 0 && keyed(img.views[k - 1]!).has(key)) k--;
    out.push({
      ecosystem: p.ecosystem,
      name: p.name,
      version: p.version,
      ...(p.sourceName !== undefined ? { sourceName: p.sourceName } : {}),
      ...(p.sourceVersion !== undefined ? { sourceVersion: p.sourceVersion } : {}),
      ...(p.arch !== undefined ? { arch: p.arch } : {}),
      purl: p.purl,
      layer: layers[k]?.digest ?? '',
      file: p.file,
      detector: `${p.detector.name}@${p.detector.version}`,
    });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/**
 * Indexes an opened ImageSource (see indexImage). The caller closes the source.
 */
export async function analyzeImageSource(source: ImageSource, detectors: readonly PackageDetector[], options: IndexImageOptions = {}): Promise<ImageAnalysis> {
  const wants = [...DISTRO_WANTS, ...detectors.flatMap((d) => d.wants)];
  const unpacked = await unpackImage(source, wants, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  });
  options.signal?.throwIfAborted();
  const warnings = [...unpacked.warnings];
  const distribution = detectDistribution(unpacked, unpacked.layers);
  const packages = detectPackages(unpacked, detectors, distribution, unpacked.layers, warnings);
  if (distribution === undefined) warnings.push('no os-release or release file found: the distribution is unknown, OS packages cannot be matched to advisories');
  for (const bdb of ['var/lib/rpm/Packages', 'var/lib/rpm/Packages.db']) {
    if (unpacked.tree.find(bdb) !== undefined && !packages.some((p) => p.ecosystem === 'rpm')) {
      warnings.push(`${bdb}: BerkeleyDB/ndb rpm databases are not read; rpm packages of this image are not listed`);
    }
  }
  options.onProgress?.({ phase: 'detect', done: packages.length, unit: 'packages' });
  const inventory: ImageInventory = {
    digest: unpacked.digest,
    digestKind: source.digestKind,
    reference: source.reference,
    configDigest: source.rootfs !== undefined ? unpacked.digest : source.configDigest,
    ...(source.platform ? { platform: source.platform } : {}),
    layers: unpacked.layers,
    ...(distribution ? { distribution } : {}),
    packages,
    warnings,
  };
  return { inventory, unpacked };
}

/**
 * Opens an image, streams its layers and lists its packages with the layer that introduced each
 * one: Clair's indexer (IndexReport) in one call.
 *
 * @example
 * const inv = await indexImage('oci:/tmp/vigil-test-images/oci:bookworm', { signal });
 * console.log(inv.distribution?.id, inv.packages.length); // debian 107
 */
export async function indexImage(reference: string | ImageReference, options: IndexImageOptions = {}): Promise<ImageInventory> {
  return (await analyzeImage(reference, options)).inventory;
}

/** indexImage, also returning the unpacked filesystem (wanted files per layer, final tree). */
export async function analyzeImage(reference: string | ImageReference, options: IndexImageOptions = {}): Promise<ImageAnalysis> {
  const platform = typeof options.platform === 'string' ? parsePlatform(options.platform) : options.platform;
  options.onProgress?.({ phase: 'fetch', done: 0, detail: typeof reference === 'string' ? reference : undefined });
  const source = await openImage(reference, {
    ...(platform ? { platform } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.insecure ? { insecure: true } : {}),
  });
  try {
    const chosen = options.detectors;
    const list = chosen === undefined ? detectors.list() : 'list' in chosen ? chosen.list() : chosen;
    return await analyzeImageSource(source, list, options);
  } finally {
    await source.close();
  }
}
