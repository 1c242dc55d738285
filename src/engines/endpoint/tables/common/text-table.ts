/**
 * Helpers shared by tables that parse small line-oriented text files (/etc/hosts, /etc/services ...).
 */
import { readFileSync } from 'node:fs';
import type { QueryContext } from '../../types.js';

/**
 * Splits like osquery's split(): on runs of whitespace, without empty tokens.
 *
 * @example
 * tokens('  a \t b  ') // ['a', 'b']
 */
export function tokens(line: string): string[] {
  return line.split(/[ \t\r\n\v\f]+/).filter((t) => t !== '');
}

/**
 * Splits on a delimiter like osquery's split(s, delim): parts trimmed, empty parts dropped.
 *
 * @example
 * splitTrimmed('a # b ## c', '#') // ['a', 'b', 'c']
 */
export function splitTrimmed(text: string, delim: string): string[] {
  return text
    .split(delim)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * A text file's contents, or undefined with one warning when it exists but cannot be read. A missing
 * file is silent: the table simply has nothing to report.
 */
export function readOptionalText(path: string, ctx: QueryContext, table: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') ctx.warn(`${table}: cannot read ${path}`, e);
    return undefined;
  }
}
