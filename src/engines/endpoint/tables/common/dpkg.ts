/**
 * The dpkg database (<admindir>/status, deb822 paragraphs): a pure parser used by deb_packages.
 */

/** One paragraph of a deb822 control file: field names as written (case kept), values unfolded. */
export type Deb822Paragraph = Map<string, string>;

/**
 * Parses deb822 text (dpkg status, apt .sources): paragraphs separated by blank lines, "Field: value"
 * lines, continuation lines starting with a space or tab. Comment lines (#) are skipped.
 *
 * @example
 * parseDeb822('Package: a\nVersion: 1\n\nPackage: b\n')[1]?.get('Package') // 'b'
 */
export function parseDeb822(text: string): Deb822Paragraph[] {
  const out: Deb822Paragraph[] = [];
  let current: Deb822Paragraph | undefined;
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      current = undefined;
      last = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && current !== undefined && last !== undefined) {
      current.set(last, `${current.get(last) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (current === undefined) {
      current = new Map();
      out.push(current);
    }
    last = line.slice(0, colon).trim();
    current.set(last, line.slice(colon + 1).trim());
  }
  return out;
}

/**
 * The Debian revision of a version ("1:2.36-9+deb12u4" -> "9+deb12u4"); empty when there is none.
 *
 * @example
 * debianRevision('2.36-9+deb12u4') // '9+deb12u4'
 */
export function debianRevision(version: string): string {
  const dash = version.lastIndexOf('-');
  return dash < 0 ? '' : version.slice(dash + 1);
}
