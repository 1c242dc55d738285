import { readFileSync } from 'node:fs';
import { sharedMissing, sharedPath } from '../../../../../../test/support/shared.js';
import type { Row } from '../../../types.js';

/** Why schema checks must skip, or undefined when ../shared/endpoint is there. */
export const schemaMissing = sharedMissing('endpoint', 'osquery-linux-schema.tsv');

let cache: Map<string, string[]> | undefined;

/** osquery's columns for `table` on Linux (all of them, hidden ones included), in spec order. */
export function osqueryColumns(table: string): string[] {
  if (cache === undefined) {
    cache = new Map();
    const text = readFileSync(sharedPath('endpoint', 'osquery-linux-schema.tsv'), 'utf8');
    for (const line of text.split('\n').slice(1)) {
      const [t, column] = line.split('\t');
      if (!t || !column) continue;
      const list = cache.get(t) ?? [];
      list.push(column);
      cache.set(t, list);
    }
  }
  const cols = cache.get(table);
  if (cols === undefined) throw new Error(`no osquery table ${table} in the schema file`);
  return cols;
}

/** Asserts-style check: the names of keys missing from or extra in a row, as a readable string ('' when exact). */
export function columnMismatch(table: string, row: Row): string {
  const want = osqueryColumns(table);
  const have = Object.keys(row);
  const missing = want.filter((c) => !have.includes(c));
  const extra = have.filter((c) => !want.includes(c));
  return missing.length === 0 && extra.length === 0 ? '' : `missing: ${missing.join(',')} extra: ${extra.join(',')}`;
}

/** osquery's column types for `table` (column -> TEXT, INTEGER, BIGINT, ...). */
export function osqueryColumnTypes(table: string): Map<string, string> {
  const text = readFileSync(sharedPath('endpoint', 'osquery-linux-schema.tsv'), 'utf8');
  const out = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [t, column, type] = line.split('\t');
    if (t === table && column && type) out.set(column, type);
  }
  return out;
}
