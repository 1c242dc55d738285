import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableSpecs } from '../../src/engines/endpoint/specs/index.js';
import { tableRegistry } from '../../src/engines/endpoint/tables/index.js';
import type { QueryContext, TableSpec } from '../../src/engines/endpoint/types.js';
import { sharedMissing, sharedPath } from '../support/shared.js';

const missing = sharedMissing('endpoint', 'osquery-linux-schema.tsv');
if (missing) console.warn(missing);

function readTsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const keys = head!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [keys[i]!, v])));
}

describe.skipIf(missing)("specs equal osquery's Linux schema", () => {
  const columns = missing ? [] : readTsv(sharedPath('endpoint', 'osquery-linux-schema.tsv'));
  const tables = missing ? [] : readTsv(sharedPath('endpoint', 'osquery-linux-tables.tsv'));
  const specs = new Map(tableSpecs.map((s) => [s.name, s]));

  it('has one spec per osquery Linux table and no other', () => {
    expect([...specs.keys()].sort()).toEqual(tables.map((t) => t.table!).sort());
  });

  it('has every column with its type, flags, collation and aliases, in order', () => {
    for (const t of tables) {
      const spec = specs.get(t.table!)!;
      const want = columns.filter((c) => c.table === t.table);
      expect(spec.columns.map((c) => c.name), t.table).toEqual(want.map((c) => c.column));
      want.forEach((c, i) => {
        const got = spec.columns[i]!;
        const where = `${t.table}.${c.column}`;
        expect(got.type, where).toBe(c.type);
        const flags = c.flags!.split(',');
        expect(got.index === true, where).toBe(flags.includes('index'));
        expect(got.required === true, where).toBe(flags.includes('required'));
        expect(got.hidden === true, where).toBe(c.visible_on_linux === 'no');
        expect(got.collate ?? '', where).toBe(c.collate);
        expect((got.aliases ?? []).join(','), where).toBe(c.column_aliases);
      });
      expect((spec.aliases ?? []).join(','), t.table).toBe(t.table_aliases);
      expect(spec.columns.filter((c) => !c.hidden).length, t.table).toBe(Number(t.columns_visible_on_linux));
      expect(spec.columns.filter((c) => c.required).map((c) => c.name).join(','), t.table).toBe(t.required_columns);
    }
  });
});

/** Constraints that let a required-column table produce rows on any Linux machine. */
const SAMPLE: Record<string, { constraints?: Record<string, string[]>; like?: Record<string, string[]> }> = {
  file: { constraints: { directory: ['/etc'] } },
  hash: { constraints: { directory: ['/etc'] } },
  magic: { constraints: { path: ['/etc/passwd'] } },
};

function linuxColumns(spec: TableSpec): { visible: Set<string>; allowed: Set<string>; otherOs: Set<string> } {
  const visible = new Set(spec.columns.filter((c) => !c.hidden).map((c) => c.name));
  const allowed = new Set(spec.columns.map((c) => c.name));
  const otherOs = new Set(spec.columns.filter((c) => c.platforms !== undefined && !c.platforms.includes('linux')).map((c) => c.name));
  return { visible, allowed, otherOs };
}

describe('every implemented table conforms to its spec', () => {
  const specs = new Map(tableSpecs.map((s) => [s.name, s]));

  it('has a spec for every implementation', () => {
    for (const t of tableRegistry.list()) expect(specs.has(t.name), t.name).toBe(true);
  });

  for (const table of tableRegistry.list()) {
    it(`${table.name}: rows have every visible spec column, no column outside the spec, and no value for another OS's column`, () => {
      const spec = specs.get(table.name)!;
      const { visible, allowed, otherOs } = linuxColumns(spec);
      const sample = SAMPLE[table.name] ?? {};
      const ctx: QueryContext = {
        constraint: (c) => sample.constraints?.[c],
        like: (c) => sample.like?.[c],
        warn: () => {},
        signal: AbortSignal.timeout(20_000),
      };
      let n = 0;
      const started = Date.now();
      for (const row of table.generate(ctx)) {
        const keys = Object.keys(row);
        for (const v of visible) expect(keys, `${table.name} row lacks ${v}`).toContain(v);
        for (const k of keys) expect(allowed.has(k), `${table.name} row has ${k}, not a column of the spec`).toBe(true);
        // osquery creates other platforms' columns on Linux (hidden) but never fills them.
        for (const k of otherOs) expect([null, undefined, ''].includes(row[k] as never), `${table.name}.${k} belongs to another OS but has a value`).toBe(true);
        for (const k of keys) {
          const v = row[k];
          expect(v === null || ['string', 'number', 'bigint'].includes(typeof v), `${table.name}.${k} is ${typeof v}`).toBe(true);
        }
        // A sample is enough to check the shape; slow scanners (suid_bin) stop early.
        if (++n >= 50 || Date.now() - started > 3000) break;
      }
    });
  }
});

describe('SQL tables derive from the specs', () => {
  it("SELECT * returns each table's visible columns in osquery's order", async () => {
    const { createEndpointEngine } = await import('../../src/engines/endpoint/index.js');
    const engine = createEndpointEngine();
    try {
      for (const table of tableRegistry.list()) {
        const spec = tableSpecs.find((s) => s.name === table.name)!;
        const cursor = engine.query(`select * from ${table.name}`);
        expect(cursor.columns, table.name).toEqual(spec.columns.filter((c) => !c.hidden).map((c) => c.name));
        cursor.close();
      }
    } finally {
      engine.close();
    }
  });
});

describe('docs/tables.md', () => {
  it('is what tools/codegen/endpoint-docs.ts generates from the specs, and claims only implemented tables', async () => {
    const { renderTablesDoc, TABLES_DOC } = await import('../../tools/codegen/endpoint-docs.js');
    const doc = readFileSync(TABLES_DOC, 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('Implemented: ')) ?? '';
    const claimed = new Set([...line.matchAll(/\[([a-z0-9_]+)\]/g)].map((m) => m[1]!));
    const implemented = new Set(tableRegistry.names());
    for (const t of claimed) expect(implemented.has(t), `docs/tables.md says ${t} is implemented`).toBe(true);
    // Tables added since the last generation only make the doc modest, not wrong: say so without failing.
    const unlisted = [...implemented].filter((t) => !claimed.has(t));
    if (unlisted.length > 0) console.warn(`docs/tables.md does not list ${unlisted.join(', ')} yet: run node --import tsx tools/codegen/endpoint-docs.ts`);
    expect(doc, 'docs/tables.md is stale: run node --import tsx tools/codegen/endpoint-docs.ts').toBe(renderTablesDoc(tableSpecs, claimed));
  });
});
