import type { Severity } from './types.js';

const WORDS: Record<string, Severity> = {
  unimportant: 'negligible',
  negligible: 'negligible',
  'end-of-life': 'negligible',
  low: 'low',
  minor: 'low',
  medium: 'medium',
  moderate: 'medium',
  high: 'high',
  important: 'high',
  critical: 'critical',
};

/**
 * Maps a feed's severity word (Debian urgency, Ubuntu priority, Red Hat impact, GHSA level,
 * CVSS qualitative rating) to Vigil's scale; words we do not know (`not yet assigned`) are `unknown`.
 *
 * @example normalizeSeverity('unimportant') // 'negligible'
 */
export function normalizeSeverity(raw: string | undefined): Severity {
  if (raw === undefined) return 'unknown';
  const w = raw.trim().toLowerCase().replace(/\*+$/, '');
  return WORDS[w] ?? 'unknown';
}
