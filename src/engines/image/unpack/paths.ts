/**
 * Path handling for layer entries: every name is made relative to the image root; a name that
 * climbs above the root is refused by the caller (IMG_LAYER_UNSAFE_PATH).
 */

/**
 * Normalises a tar entry name to a root-relative path without `.`, `..`, duplicate or trailing
 * slashes. Leading `/` is dropped (absolute names are relative to the image root, as docker does).
 * Returns undefined when `..` would leave the root.
 *
 * @example
 * normalizeEntryPath('./usr//bin/../lib/'); // 'usr/lib'
 * normalizeEntryPath('../etc/passwd');     // undefined
 */
export function normalizeEntryPath(name: string): string | undefined {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/** The directory part of a root-relative path ('' for top-level names). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last component. */
export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
