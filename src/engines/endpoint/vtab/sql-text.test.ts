import { describe, expect, it } from 'vitest';
import { findTableRefs, hasNonEqualityUse, literalConstraints, splitStatements, tokenize } from './sql-text.js';

describe('sql text reading', () => {
  it('finds literal =, IN and LIKE values for a column, through the table name or an alias', () => {
    const tokens = tokenize("select * from file f join hash on hash.path = f.path where f.path like '/etc/%' or path in ('/a', '/b') or '/c' = f.path");
    const refs = findTableRefs(tokens, (n) => n === 'file' || n === 'hash');
    expect(refs.map((r) => [r.table, [...r.qualifiers]])).toEqual([
      ['file', ['file', 'f']],
      ['hash', ['hash']],
    ]);
    const file = literalConstraints(tokens, 'path', refs[0]!.qualifiers);
    expect(file.like).toEqual(['/etc/%']);
    expect(file.equals.sort()).toEqual(['/a', '/b', '/c']);
    expect(hasNonEqualityUse(tokens, 'path', refs[0]!.qualifiers)).toBe(true);
    // hash.path is only joined with = and the unqualified path only used with IN: both equality.
    expect(hasNonEqualityUse(tokens, 'path', new Set(['hash']))).toBe(false);
    expect(literalConstraints(tokens, 'path', new Set(['hash'])).like).toEqual([]);
  });

  it('unescapes quotes in literals and quoted names', () => {
    expect(tokenize(`select 'it''s', "a""b", [c d], \`e\``).map((t) => t.value)).toEqual(['select', "it's", ',', 'a"b', ',', 'c d', ',', 'e']);
  });

  it('never throws on random or truncated SQL text (fuzz)', () => {
    let seed = 42;
    const rand = (k: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
    const alphabet = `select from where like in ( ) , ; ' " \` [ ] -- /* */ = == != < > path file . % _ 0 1 \n\t é`.split(' ');
    for (let i = 0; i < 5000; i++) {
      const sql = Array.from({ length: rand(30) }, () => alphabet[rand(alphabet.length)]).join(rand(2) ? ' ' : '');
      const tokens = tokenize(sql);
      const refs = findTableRefs(tokens, (n) => n === 'file');
      for (const r of refs) {
        literalConstraints(tokens, 'path', r.qualifiers);
        hasNonEqualityUse(tokens, 'path', r.qualifiers);
      }
      const parts = splitStatements(sql);
      for (const p of parts) expect(p.trim()).not.toBe('');
    }
  });
});
