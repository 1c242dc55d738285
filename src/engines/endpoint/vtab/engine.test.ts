import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableSpecs } from '../specs/index.js';
import { tableRegistry } from '../tables/index.js';
import type { QueryContext, TableImpl, TableSpec } from '../types.js';
import { EndpointEngine } from './engine.js';

const engine = new EndpointEngine({ tables: tableRegistry.list(), specs: tableSpecs });
afterAll(() => engine.close());

function reads(table: string, sql: string): { rows: Record<string, unknown>[]; scans: number; read: number } {
  engine.stats.scans.clear();
  engine.stats.rowsRead.clear();
  const rows = engine.all(sql);
  return { rows, scans: engine.stats.scans.get(table) ?? 0, read: engine.stats.rowsRead.get(table) ?? 0 };
}

describe('constraint pushdown', () => {
  it('reads one process when the query says WHERE pid = <pid>', () => {
    const r = reads('processes', `select pid, name from processes where pid = ${process.pid}`);
    expect(r.rows).toEqual([{ pid: BigInt(process.pid), name: expect.any(String) }]);
    expect(r.read).toBe(1);
    const all = reads('processes', 'select count(*) as n from processes');
    expect(all.read).toBeGreaterThan(1);
  });

  it('reads only the listed processes for WHERE pid IN (...)', () => {
    const r = reads('processes', `select pid from processes where pid in (1, ${process.pid}, 999999999)`);
    expect(r.rows.map((x) => x.pid)).toContain(BigInt(process.pid));
    expect(r.read).toBeLessThanOrEqual(2);
  });

  it('still answers a range constraint on a parameter column, scanning all rows', () => {
    const r = reads('processes', `select pid from processes where pid >= ${process.pid} and pid <= ${process.pid}`);
    expect(r.rows).toEqual([{ pid: BigInt(process.pid) }]);
    expect(r.read).toBeGreaterThan(1);
  });

  it('pushes the join key into the inner table of processes JOIN listening_ports', () => {
    const r = reads('processes', 'select p.name, l.port from listening_ports l join processes p using (pid)');
    const ports = engine.all('select count(distinct pid) as n from listening_ports where pid > 0')[0]!.n as bigint;
    // One read per distinct listening pid, never a full process scan per socket.
    expect(BigInt(r.read)).toBeLessThanOrEqual(ports);
  });

  it('expands osquery LIKE globs on file paths: % is one level, %% is recursive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-like-'));
    try {
      mkdirSync(join(dir, 'a', 'b'), { recursive: true });
      writeFileSync(join(dir, 'one.txt'), '1');
      writeFileSync(join(dir, 'a', 'two.txt'), '2');
      writeFileSync(join(dir, 'a', 'b', 'three.txt'), '3');
      const one = engine.all(`select path from file where path like '${dir}/%'`).map((r) => r.path);
      expect(one.sort()).toEqual([`${dir}/a/`, `${dir}/one.txt`]);
      const all = engine.all(`select path from file where path like '${dir}/%%'`).map((r) => r.path);
      expect(all.sort()).toEqual([`${dir}/a/`, `${dir}/a/b/`, `${dir}/a/b/three.txt`, `${dir}/a/two.txt`, `${dir}/one.txt`]);
      const txt = engine.all(`select path from file where path like '${dir}/%%' and filename like '%.txt'`).map((r) => r.path);
      expect(txt).toHaveLength(3);
      const mixed = engine.all(`select path from file where directory = '${dir}/a' and path like '%.txt'`).map((r) => r.path);
      expect(mixed).toEqual([`${dir}/a/two.txt`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with the required columns named when file has no path or directory constraint', () => {
    expect(() => engine.all('select * from file')).toThrow(/table file needs a constraint on path or directory/);
    expect(() => engine.all('select * from hash where sha256 = 1')).toThrow(expect.objectContaining({ code: 'EP_REQUIRED_CONSTRAINT' }));
  });
});

describe('errors', () => {
  it("gives SQLite's message naming an unknown table, column or syntax error", () => {
    expect(() => engine.all('select * from no_such_table')).toThrow(expect.objectContaining({ code: 'EP_SQL', message: 'no such table: no_such_table' }));
    expect(() => engine.all('select no_such_column from processes')).toThrow('no such column: no_such_column');
    expect(() => engine.all('selec 1')).toThrow('near "selec": syntax error');
  });

  it('refuses statements that write, as osquery does', () => {
    for (const sql of ["attach database '/tmp/vigil-attach.db' as x", 'create table t(a)', "vacuum into '/tmp/vigil-vacuum.db'"]) {
      expect(() => engine.all(sql), sql).toThrow(expect.objectContaining({ code: 'EP_SQL', message: expect.stringMatching(/only read-only statements/) }));
    }
    expect(engine.all('with x(a) as (select 1) select a from x')).toEqual([{ a: 1n }]);
  });

  it('hides hidden columns from SELECT * and serves osquery column aliases', () => {
    const cols = engine.query(`select * from file where path = '/'`);
    expect(cols.columns).not.toContain('pid_with_namespace');
    expect(cols.columns[0]).toBe('path');
    cols.close();
    expect(engine.all(`select pid_with_namespace from file where path = '/'`)).toEqual([{ pid_with_namespace: null }]);
  });

  it('serves osquery table aliases', () => {
    expect(engine.tableNames()).toContain('osquery_info');
    if (engine.tableNames().includes('etc_hosts')) expect(engine.tableNames()).toContain('hosts');
  });
});

/** A table built by the test to drive the engine's mechanics (streaming, warnings, cancel, lazy columns). */
function mechanicsEngine(impl: TableImpl): EndpointEngine {
  const spec: TableSpec = {
    name: impl.name,
    platforms: ['linux'],
    columns: [
      { name: 'n', type: 'BIGINT', index: true },
      { name: 'label', type: 'TEXT' },
      { name: 'costly', type: 'TEXT' },
    ],
  };
  return new EndpointEngine({ tables: [impl], specs: [spec] });
}

describe('engine mechanics', () => {
  it('streams a huge result: the first row arrives before the generator has produced the rest', () => {
    let produced = 0;
    const e = mechanicsEngine({
      name: 'counter',
      *generate() {
        for (let n = 0; n < 5_000_000; n++) {
          produced++;
          yield { n, label: 'x', costly: 'y' };
        }
      },
    });
    const cursor = e.query('select n from counter');
    let seen = 0;
    for (const _ of cursor) {
      if (++seen === 10) break;
    }
    expect(produced).toBeLessThan(1000);
    e.close();
  });

  it('skips an unreadable row with one warning per cause and keeps the others', () => {
    const warnings: string[] = [];
    const e = mechanicsEngine({
      name: 'flaky',
      *generate(ctx: QueryContext) {
        for (let n = 0; n < 6; n++) {
          if (n % 2 === 1) {
            ctx.warn('flaky: permission denied');
            continue;
          }
          yield { n, label: String(n), costly: '' };
        }
      },
    });
    expect(e.all('select n from flaky', { onWarning: (m) => warnings.push(m) })).toHaveLength(3);
    expect(warnings).toEqual(['flaky: permission denied']);
    e.close();
  });

  it('computes lazy columns only when the query reads them', () => {
    let computed = 0;
    const e = mechanicsEngine({
      name: 'lazy',
      lazyColumns: ['costly'],
      *generate() {
        for (let n = 0; n < 3; n++) {
          const row = { n, label: 'l' } as Record<string, unknown>;
          Object.defineProperty(row, 'costly', { get: () => (computed++, 'c'), enumerable: true });
          yield row as never;
        }
      },
    });
    e.all('select n, label from lazy');
    expect(computed).toBe(0);
    expect(e.all('select costly from lazy where n = 1')).toEqual([{ costly: 'c' }]);
    expect(computed).toBe(1);
    e.close();
  });

  it('stops a running query when its signal is aborted', () => {
    const controller = new AbortController();
    const e = mechanicsEngine({
      name: 'endless',
      *generate() {
        for (let n = 0; ; n++) {
          if (n === 1000) controller.abort();
          yield { n, label: '', costly: '' };
        }
      },
    });
    expect(() => e.all('select count(*) from endless', { signal: controller.signal })).toThrow(expect.objectContaining({ name: 'AbortError' }));
    // The engine is usable again afterwards.
    expect(e.all('select n from endless limit 1')).toEqual([{ n: 0n }]);
    e.close();
  });

  it('wraps an unexpected generator failure as EP_TABLE_FAILED naming the table', () => {
    const e = mechanicsEngine({
      name: 'broken',
      *generate() {
        yield* [];
        throw new TypeError('boom');
      },
    });
    expect(() => e.all('select * from broken')).toThrow(expect.objectContaining({ code: 'EP_TABLE_FAILED', message: 'table broken failed: boom' }));
    e.close();
  });

  it('never throws anything but AppError for random SQL text', () => {
    const e = mechanicsEngine({ name: 'fuzz', *generate() { yield { n: 1, label: 'a', costly: 'b' }; } });
    const pieces = ['select', '*', 'from', 'fuzz', 'where', 'n', '=', "'x'", 'like', '(', ')', 'in', ',', '1', 'join', 'on', 'label', ';', '%', 'n.n', '"', "'", '--', 'limit'];
    let seed = 7;
    const rand = (k: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
    for (let i = 0; i < 2000; i++) {
      const sql = Array.from({ length: 1 + rand(10) }, () => pieces[rand(pieces.length)]).join(' ');
      try {
        e.all(sql);
      } catch (err) {
        expect((err as { code?: string }).code, sql).toMatch(/^EP_/);
      }
    }
    e.close();
  });
});

describe('planning around better-sqlite3 parameter limits', () => {
  it('keeps the join parameter of hash when only file.path has a LIKE', () => {
    const rows = engine.all("select f.path, h.sha256 from file f join hash h using (path) where f.path like '/etc/host%' and f.type = 'regular'");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(String(r.sha256)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a query that mixes =, IN and LIKE on the same path column', () => {
    const rows = engine.all("select path from file where path in ('/etc/passwd', '/etc/group') or path like '/etc/host%'");
    const paths = rows.map((r) => r.path);
    expect(paths).toContain('/etc/passwd');
    expect(paths).toContain('/etc/group');
    expect(paths).toContain('/etc/hostname');
  });
});

describe('sql text helpers', () => {
  it('splits statements outside literals and comments', async () => {
    const { splitStatements } = await import('./sql-text.js');
    expect(splitStatements("select 1; select ';' -- c;\n; /* ; */ select \"a;\"")).toEqual(['select 1', "select ';' -- c;", '/* ; */ select "a;"']);
    expect(splitStatements('  ;  ')).toEqual([]);
  });
});

describe('constraints on columns that do not lead the spec', () => {
  const seen: (readonly string[] | undefined)[] = [];
  const spec: TableSpec = {
    name: 'trailing',
    platforms: ['linux'],
    columns: [
      { name: 'name', type: 'TEXT' },
      { name: 'directory', type: 'TEXT', index: true },
      { name: 'rule', type: 'TEXT', hidden: true, additional: true },
    ],
  };
  const impl: TableImpl = {
    name: 'trailing',
    *generate(ctx) {
      seen.push(ctx.constraint('directory'));
      const dirs = ctx.constraint('directory') ?? ['/a', '/b'];
      for (const d of dirs) yield { name: `in ${d}`, directory: d, rule: ctx.constraint('rule')?.[0] ?? null };
    },
  };
  const e = new EndpointEngine({ tables: [impl], specs: [spec] });
  afterAll(() => e.close());

  it('hands literal = and IN values of a trailing index or additional column to the generator', () => {
    seen.length = 0;
    expect(e.all("select name, rule from trailing where directory = '/b' and rule = 'r1'")).toEqual([{ name: 'in /b', rule: 'r1' }]);
    expect(seen).toEqual([['/b']]);
    seen.length = 0;
    expect(e.all("select name from trailing where directory in ('/a', '/c')").map((r) => r.name)).toEqual(['in /a', 'in /c']);
    expect(seen).toEqual([['/a', '/c']]);
  });

  it('does not read literals from the text of a query with OR, where they need not hold for every row', () => {
    seen.length = 0;
    expect(e.all("select name from trailing where directory = '/b' or name = 'in /a'").map((r) => r.name).sort()).toEqual(['in /a', 'in /b']);
    expect(seen).toEqual([undefined]);
  });
});
