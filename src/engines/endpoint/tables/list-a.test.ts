import { describe, expect, it } from 'vitest';
import type { CellValue } from '../types.js';
import { createTestContext } from './common/test-context.js';
import { columnMismatch, osqueryColumnTypes, osqueryColumns, schemaMissing } from './common/testdata/osquery-columns.js';
import { tablesA } from './list-a.js';

function fits(type: string, v: CellValue): boolean {
  if (v === null) return true;
  switch (type) {
    case 'INTEGER':
    case 'BIGINT':
    case 'UNSIGNED_BIGINT':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'DOUBLE':
      return typeof v === 'number';
    default:
      return typeof v === 'string';
  }
}

describe('table batch A', () => {
  it('is sorted by name without duplicates', () => {
    const names = tablesA.map((t) => t.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  describe.skipIf(schemaMissing)('conformance with osquery schemas on this machine', () => {
    for (const table of tablesA) {
      it(`${table.name}: rows have exactly osquery columns with values of the column types`, () => {
        expect(osqueryColumns(table.name).length).toBeGreaterThan(0);
        const types = osqueryColumnTypes(table.name);
        const ctx = createTestContext();
        let n = 0;
        for (const row of table.generate(ctx)) {
          expect(columnMismatch(table.name, row), JSON.stringify(row)).toBe('');
          for (const [col, v] of Object.entries(row)) expect(fits(types.get(col)!, v), `${table.name}.${col} = ${String(v)}`).toBe(true);
          if (++n >= 200) break;
        }
      });
    }
  });

  it('stops generating when the query is cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    const processes = tablesA.find((t) => t.name === 'processes')!;
    expect([...processes.generate(createTestContext({ signal: ac.signal }))]).toEqual([]);
  });
});

describe('batch A and batch B', () => {
  it('implement disjoint sets of tables (the registry refuses a table implemented twice)', async () => {
    const { tablesB } = await import('./list-b.js');
    const a = new Set(tablesA.map((t) => t.name));
    expect(tablesB.map((t) => t.name).filter((n) => a.has(n))).toEqual([]);
  });
});
