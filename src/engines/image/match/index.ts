/** Matchers (one registry) and the matching pipeline. */
export * from './types.js';
export { evaluateRow } from './evaluate.js';
export { matchInventory } from './match.js';
export type { MatchOptions } from './match.js';
export { matchers } from './registry.js';
export { explainMatch } from './explain.js';
export type { Explanation, PackageExplanation } from './explain.js';
