/**
 * The scan pipeline: index the image (fetch -> unpack -> detect), then match the inventory
 * against the vulnerability store. Reports are built from the result by report/.
 */
import type { Store } from '../../storage/types.js';
import { indexImage, type IndexImageOptions } from './detect/index.js';
import { matchInventory, type MatchOptions } from './match/match.js';
import type { MatchResult } from './match/types.js';

export interface ScanImageOptions extends IndexImageOptions, MatchOptions {}

/**
 * Indexes and matches one image.
 *
 * @example
 * const result = await scanImage(store, 'oci:/tmp/vigil-test-images/oci:bookworm');
 * console.log(result.findings.length, result.coverage.status);
 */
export async function scanImage(store: Store, reference: string, options: ScanImageOptions = {}): Promise<MatchResult> {
  const inventory = await indexImage(reference, options);
  options.onProgress?.({ phase: 'match', done: 0, total: inventory.packages.length, unit: 'packages' });
  const result = await matchInventory(store, inventory, options);
  options.onProgress?.({ phase: 'match', done: inventory.packages.length, total: inventory.packages.length, unit: 'packages' });
  return result;
}
