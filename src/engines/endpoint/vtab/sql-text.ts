/**
 * A small SQL tokenizer used only to recover literal constraints that better-sqlite3's virtual tables
 * cannot forward (LIKE on a path, or an `=` on a column we had to turn back into a plain column).
 * SQLite remains the parser of record: it re-checks every row against the real WHERE clause, so what
 * we read here only narrows what a generator reads, it never decides what a query returns.
 */

export type TokenKind = 'word' | 'string' | 'number' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Words are lower-cased (unquoted) or unquoted verbatim (quoted identifiers); strings are unescaped. */
  readonly value: string;
}

/**
 * Splits SQL into tokens, skipping whitespace and comments. Never throws: an unterminated literal
 * simply ends the token stream (SQLite will report the syntax error itself).
 *
 * @example
 * tokenize("select * from file where path like '/etc/%'").map((t) => t.value)
 * // ['select', '*', 'from', 'file', 'where', 'path', 'like', '/etc/%']
 */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            value += close;
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        value += sql[j];
        j++;
      }
      if (!closed) return out;
      out.push({ kind: c === "'" ? 'string' : 'word', value });
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      out.push({ kind: 'word', value: sql.slice(i, j).toLowerCase() });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) j++;
      out.push({ kind: 'number', value: sql.slice(i, j) });
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      if (['==', '!=', '<>', '<=', '>=', '||', '<<', '>>', '->'].includes(two)) {
        out.push({ kind: 'punct', value: two });
        i += 2;
      } else {
        out.push({ kind: 'punct', value: c });
        i++;
      }
    }
  }
  return out;
}

const NOT_AN_ALIAS = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'on', 'using', 'group', 'order',
  'limit', 'union', 'except', 'intersect', 'having', 'window', 'as', 'and', 'or', 'not', 'indexed', 'offset',
]);

/** Where a table appears in a query, and the names (table or alias) that qualify its columns. */
export interface TableRef {
  readonly table: string;
  readonly qualifiers: ReadonlySet<string>;
}

/** The tables among `known` that a query mentions, in order of first appearance, with their aliases. */
export function findTableRefs(tokens: readonly Token[], known: (name: string) => boolean): TableRef[] {
  const refs = new Map<string, Set<string>>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !known(t.value)) continue;
    // `processes.pid` is a column reference through the table name, not a table reference.
    if (tokens[i + 1]?.value === '.' && tokens[i - 1]?.value !== 'from' && tokens[i - 1]?.value !== 'join') {
      if (!refs.has(t.value)) refs.set(t.value, new Set([t.value]));
      continue;
    }
    const quals = refs.get(t.value) ?? new Set([t.value]);
    refs.set(t.value, quals);
    let j = i + 1;
    if (tokens[j]?.value === 'as') j++;
    const alias = tokens[j];
    if (alias && alias.kind === 'word' && !NOT_AN_ALIAS.has(alias.value)) quals.add(alias.value);
  }
  return [...refs].map(([table, qualifiers]) => ({ table, qualifiers }));
}

/** Literal values a query gives a column with `=`, `==`, `IN (...)` and `LIKE`. */
export interface LiteralConstraints {
  readonly equals: string[];
  readonly like: string[];
}

/**
 * Collects `col = 'x'`, `'x' = col`, `col IN ('a', 'b')` and `col LIKE 'p'` for the column `column` when it
 * is unqualified or qualified by one of `qualifiers`. Values that are not literals are ignored.
 *
 * @example
 * literalConstraints(tokenize("select * from file where path like '/etc/%'"), 'path', new Set(['file'])).like
 * // ['/etc/%']
 */
export function literalConstraints(tokens: readonly Token[], column: string, qualifiers: ReadonlySet<string>): LiteralConstraints {
  const equals: string[] = [];
  const like: string[] = [];
  const isLiteral = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'string' || t.kind === 'number');
  const isColumnAt = (i: number): boolean => {
    const t = tokens[i];
    if (!t || t.kind !== 'word' || t.value !== column) return false;
    if (tokens[i - 1]?.value === '.') {
      const q = tokens[i - 2];
      return q !== undefined && qualifiers.has(q.value);
    }
    return true;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (!isColumnAt(i)) continue;
    const op = tokens[i + 1]?.value;
    if ((op === '=' || op === '==') && isLiteral(tokens[i + 2])) equals.push(tokens[i + 2]!.value);
    else if (op === 'like' && isLiteral(tokens[i + 2])) like.push(tokens[i + 2]!.value);
    else if (op === 'in' && tokens[i + 2]?.value === '(') {
      const values: string[] = [];
      let j = i + 3;
      let ok = true;
      while (j < tokens.length && tokens[j]!.value !== ')') {
        if (isLiteral(tokens[j])) values.push(tokens[j]!.value);
        else if (tokens[j]!.value !== ',') ok = false;
        j++;
      }
      if (ok) equals.push(...values);
    }
  }
  // `'/etc/hosts' = path` and `'/etc/hosts' = f.path`
  for (let i = 2; i < tokens.length; i++) {
    if (!isColumnAt(i)) continue;
    const at = tokens[i - 1]?.value === '.' ? i - 2 : i;
    const op = tokens[at - 1]?.value;
    if ((op === '=' || op === '==') && isLiteral(tokens[at - 2])) equals.push(tokens[at - 2]!.value);
  }
  return { equals, like };
}

const NON_EQUALITY = new Set(['like', 'glob', 'match', 'regexp', '>', '<', '>=', '<=', '!=', '<>', 'is', 'not', 'between']);

/**
 * True when the query compares `column` (unqualified or through one of `qualifiers`) with something other
 * than `=`/`IN`, e.g. `f.path LIKE ...` or `pid > 1`: the table a planner error is most likely about.
 */
export function hasNonEqualityUse(tokens: readonly Token[], column: string, qualifiers: ReadonlySet<string>): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.value !== column) continue;
    if (tokens[i - 1]?.value === '.' && !qualifiers.has(tokens[i - 2]?.value ?? '')) continue;
    if (NON_EQUALITY.has(tokens[i + 1]?.value ?? '')) return true;
    const before = tokens[i - 1]?.value === '.' ? tokens[i - 3]?.value : tokens[i - 1]?.value;
    if (before !== undefined && ['>', '<', '>=', '<=', '!=', '<>'].includes(before)) return true;
  }
  return false;
}

/**
 * Splits a script into statements at `;` outside literals, quoted names and comments. Empty statements are
 * dropped; the trailing `;` is kept off.
 *
 * @example
 * splitStatements("select 1; select ';'") // ['select 1', "select ';'"]
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i++;
      while (i < n) {
        if (sql[i] === close) {
          if (close !== ']' && sql[i + 1] === close) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ';') {
      out.push(sql.slice(start, i));
      i++;
      start = i;
    } else {
      i++;
    }
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '' && !/^(--[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(s));
}
