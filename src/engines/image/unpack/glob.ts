/**
 * Path patterns detectors use to say which files they want: `**` = any number of directories,
 * `*` = anything within one path component. Paths have no leading slash.
 */

/** A file a detector wants, with the largest size it will read. */
export interface WantedPattern {
  readonly pattern: string;
  /** Largest accepted size in bytes; bigger entries are an error (IMG_ENTRY_TOO_LARGE). */
  readonly maxBytes: number;
}

/** Compiles a glob to an anchored RegExp source. */
export function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*' && glob[i + 2] === '/') {
      out += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return `^${out}$`;
}

/**
 * Compiles patterns to one matcher that answers the size limit for a path, or undefined when no
 * pattern wants it. Exact paths are a Set lookup; globs are one combined RegExp tried only when the
 * base name can match (cheap rejection of the thousands of unwanted entries).
 *
 * @example
 * const m = compileWanted([{ pattern: '**\/package.json', maxBytes: 1 << 20 }]);
 * m('usr/lib/node_modules/npm/package.json'); // 1048576
 */
export function compileWanted(patterns: readonly WantedPattern[]): (path: string) => number | undefined {
  const exact = new Map<string, number>();
  const globs: { re: RegExp; maxBytes: number; base: RegExp }[] = [];
  for (const p of patterns) {
    if (!/[*?]/.test(p.pattern)) {
      exact.set(p.pattern, Math.max(exact.get(p.pattern) ?? 0, p.maxBytes));
      continue;
    }
    const baseGlob = p.pattern.slice(p.pattern.lastIndexOf('/') + 1);
    globs.push({ re: new RegExp(globToRegExpSource(p.pattern)), maxBytes: p.maxBytes, base: new RegExp(globToRegExpSource(baseGlob)) });
  }
  return (path: string) => {
    const e = exact.get(path);
    if (e !== undefined) return e;
    if (globs.length === 0) return undefined;
    const base = path.slice(path.lastIndexOf('/') + 1);
    let best: number | undefined;
    for (const g of globs) {
      if (g.base.test(base) && g.re.test(path)) best = Math.max(best ?? 0, g.maxBytes);
    }
    return best;
  };
}

/** True when `path` matches `pattern`. */
export function matchGlob(pattern: string, path: string): boolean {
  return new RegExp(globToRegExpSource(pattern)).test(path);
}
