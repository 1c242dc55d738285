/**
 * What happens to a packet after detection. In IDS (passive) mode nothing is blocked: an alert is
 * `allow`, and a drop/block/reject rule reports what it would have done (`would_drop`...), which is
 * what Snort 3 writes in alert_json's `action` field. Inline mode (issue 6, `-Q`) acts for real.
 */
import type { RuleAction } from '../types.js';

/**
 * The verdict label for a rule action.
 *
 * @example
 * verdictFor('drop', false); // 'would_drop'
 */
export function verdictFor(action: RuleAction, inline: boolean): string {
  switch (action) {
    case 'drop':
    case 'sdrop':
      return inline ? 'drop' : 'would_drop';
    case 'block':
      return inline ? 'block' : 'would_block';
    case 'reject':
      return inline ? 'reset' : 'would_reset';
    case 'rewrite':
      return inline ? 'rewrite' : 'would_rewrite';
    default:
      return 'allow';
  }
}
