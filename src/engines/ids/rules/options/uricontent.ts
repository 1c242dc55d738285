/** `uricontent:"x"` (Snort 2) — a content searched in the normalised HTTP URI; takes the usual modifiers. */
import { defineOption } from './types.js';
import { contentKey, evalContent, finishContent, parseContent, shareContent, type ContentCfg } from './content.js';

export const uricontent = defineOption<ContentCfg>({
  name: 'uricontent',
  kind: 'match',
  help: 'search the normalised HTTP URI for a pattern (same as content with http_uri)',
  params: [{ name: 'pattern', type: 'string', help: 'quoted pattern, ! negates' }],
  usesBuffer: true,
  retryable: (c) => !c.negated,
  parse: parseContent,
  key: contentKey,
  finish: (c) => finishContent(c),
  share: shareContent,
  eval: evalContent,
});
