/**
 * Factories for the small option families: content modifiers (`nocase;`, `depth:4;`),
 * sticky buffers (`http.uri;`) and the Snort 2 HTTP modifiers that are sticky buffers in Snort 3 (`http_uri;`).
 */
import { err, ok } from '../../../../core/result.js';
import { modifyContent, type ContentCfg } from './content.js';
import { defineOption, type OptionDef, type OptionParam, type RuleBuilder } from './types.js';
import { numOrVar } from './util.js';

interface ModifierCfg {
  readonly value: string | undefined;
}

const CONTENT_LIKE = new Set(['content', 'uricontent']);

function lastContent(b: RuleBuilder): ContentCfg | undefined {
  const last = b.lastModifiable();
  return last && CONTENT_LIKE.has(last.name) ? (last.cfg as ContentCfg) : undefined;
}

/**
 * A Snort 2 / Suricata content modifier written as its own option, applied to the previous content.
 * `takes`: 'none' (flag), 'number' (int or byte_extract variable), 'text' (validated by modifyContent).
 */
export function contentModifier(name: string, help: string, takes: 'none' | 'number' | 'signed' | 'text', params: readonly OptionParam[] = []): OptionDef {
  return defineOption<ModifierCfg>({
    name,
    kind: 'modifier',
    help,
    params,
    parse(args, ctx) {
      const v = args?.trim();
      if (takes === 'none') return v === undefined || v === '' ? ok({ value: undefined }) : err(`${name} takes no argument`);
      if (v === undefined || v === '') return takes === 'text' ? ok({ value: undefined }) : err(`${name} needs a value`);
      if (takes === 'number' || takes === 'signed') {
        const r = numOrVar(v, ctx, takes === 'signed' ? -65535 : 0, 65535);
        if (!r.ok) return r;
      } else if (v.length > 64 || !/^[\w ,]+$/.test(v)) return err(`bad ${name} argument ${JSON.stringify(v)}`);
      return ok({ value: v });
    },
    key: (c) => `${name}:${c.value ?? ''}`,
    apply(c, b) {
      const target = lastContent(b);
      if (!target) return `${name} must follow a content`;
      return modifyContent(target, name, c.value, b.ctx);
    },
  });
}

interface BufferCfg {
  readonly buffer: string;
}

/**
 * A sticky buffer: later content/pcre/byte_* options read `buffer` until another buffer is selected.
 *
 * @example
 * export const httpUriBuffer = stickyBuffer('http.uri', 'http_uri', 'inspect the normalised URI');
 */
export function stickyBuffer(name: string, buffer: string, help: string): OptionDef {
  return defineOption<BufferCfg>({
    name,
    kind: 'buffer',
    help,
    params: [],
    parse: (args) => (args === undefined || args.trim() === '' ? ok({ buffer }) : err(`${name} takes no argument`)),
    key: () => name,
    apply(c, b) {
      b.stickyBuffer = c.buffer;
      b.stickyTransform = undefined;
      return undefined;
    },
  });
}

/**
 * A Snort 2 HTTP content modifier (`content:"x"; http_uri;`) that is a sticky buffer in Snort 3
 * (`http_uri; content:"x";`). The rule's dialect decides; in Snort 2 / Suricata files it must follow a content.
 */
export function httpModifier(name: string, buffer: string, help: string): OptionDef {
  return defineOption<BufferCfg>({
    name,
    kind: 'buffer',
    help,
    params: name === 'http_header' ? [{ name: 'field', type: 'string', help: 'Snort 3: "field NAME" selects one header value' }] : [],
    parse(args) {
      if (args === undefined || args.trim() === '') return ok({ buffer });
      // Snort 3: http_header:field user-agent selects one header's value.
      const f = name === 'http_header' ? /^field\s+([\w-]+)$/i.exec(args.trim()) : null;
      if (!f) return err(`${name} takes no argument`);
      const field = f[1]!.toLowerCase();
      const known: Record<string, string> = { 'user-agent': 'http_user_agent', host: 'http_host', cookie: 'http_cookie', referer: 'http_referer', 'content-type': 'http_content_type' };
      return ok({ buffer: known[field] ?? `http_header_field:${field}` });
    },
    key: () => name,
    apply(c, b) {
      if (b.syntax === 'snort3' || !b.previousWasContent) {
        b.stickyBuffer = c.buffer;
        b.stickyTransform = undefined;
        return undefined;
      }
      const last = b.lastModifiable();
      if (!last) return `${name} must follow a content`;
      last.buffer = c.buffer;
      return undefined;
    },
  });
}
