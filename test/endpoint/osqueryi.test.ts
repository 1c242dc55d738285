import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createEndpointEngine } from '../../src/engines/endpoint/index.js';
import { formatRows } from '../../src/engines/endpoint/shell/format.js';
import { tableSpecs } from '../../src/engines/endpoint/specs/index.js';
import { tableRegistry } from '../../src/engines/endpoint/tables/index.js';
import { schemaSql } from '../../src/engines/endpoint/vtab/layout.js';

/**
 * Compares Vigil with a real osqueryi 5.20 (docs/benchmarks.md says how to get it; VIGIL_OSQUERYI overrides
 * the path). osqueryi is a comparison tool, never a dependency: without it these tests skip.
 */
const osqueryi = [process.env.VIGIL_OSQUERYI, '/tmp/peers/package/plugins/osquery/osqueryi-linux-amd64'].find((p) => p && existsSync(p));
const missing = osqueryi ? undefined : 'skipped: osqueryi 5.20 not found (set VIGIL_OSQUERYI; see docs/benchmarks.md)';
if (missing) console.warn(missing);

/**
 * Tables whose columns changed in osquery after 5.20 (our schema facts come from a later commit). Version
 * collations were also added after 5.20 on many columns; the comparison ignores `COLLATE VERSION*`.
 */
const COLUMNS_CHANGED_AFTER_5_20 = new Set(['carves', 'certificates', 'npm_packages', 'process_events']);
const withoutVersionCollation = (sql: string | undefined): string | undefined => sql?.replace(/ COLLATE VERSION(_[A-Z]+)?/g, '');

/**
 * Runs statements through one osqueryi process (its start-up costs seconds): stdout holds one JSON array per
 * statement, stderr `Error: near line N: <message>` per failed one.
 */
function runMany(statements: readonly string[]): { results: string[]; stderr: string } {
  const r = spawnSync(osqueryi!, ['--json'], { input: statements.map((s) => `${s};\n`).join(''), encoding: 'utf8', maxBuffer: 1 << 26 });
  const results = r.stdout.split(/^\]$/m).slice(0, statements.length).map((a) => `${a.trim()}\n]`);
  return { results, stderr: r.stderr };
}
const engine = createEndpointEngine();
afterAll(() => engine.close());

function vigilJson(sql: string): string {
  let s = '';
  const cursor = engine.query(sql);
  const f = formatRows('json', cursor.columns, (x) => (s += x));
  for (const r of cursor) f.row(r);
  f.end();
  return s;
}

/** Rows of a JSON result, order-free (SQL without ORDER BY has none). */
const rowSet = (json: string): string[] => (JSON.parse(json) as unknown[]).map((r) => JSON.stringify(r)).sort();

describe.skipIf(missing)('against osqueryi 5.20', () => {
  it(".schema of every implemented table equals osqueryi's (except columns changed after 5.20)", () => {
    const theirs = new Map(
      execFileSync(osqueryi!, ['.schema'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.startsWith('CREATE TABLE'))
        .map((l) => [/^CREATE TABLE (\w+)\(/.exec(l)![1]!, l] as const),
    );
    const specs = new Map(tableSpecs.map((s) => [s.name, s]));
    for (const t of tableRegistry.list()) {
      if (COLUMNS_CHANGED_AFTER_5_20.has(t.name) || !theirs.has(t.name)) continue;
      expect(withoutVersionCollation(schemaSql(specs.get(t.name)!)), t.name).toBe(withoutVersionCollation(theirs.get(t.name)));
    }
  });

  it('prints the same JSON for the same file, hash and magic queries', () => {
    const queries = [
      "select path, directory, filename, inode, uid, gid, mode, device, size, block_size, mtime, hard_links, symlink, type, symlink_target_path from file where path like '/etc/%' and path != '/etc/mtab'",
      "select path, directory, filename, type from file where directory = '/usr/bin/'",
      "select * from hash where directory = '/etc/ssl/certs'",
      "select * from magic where path in ('/etc/passwd', '/etc/ssl/certs/ca-certificates.crt')",
      "select path from file where path like '/etc/ss%'",
    ];
    const { results } = runMany(queries);
    queries.forEach((sql, i) => expect(rowSet(vigilJson(sql)), sql).toEqual(rowSet(results[i]!)));
  });

  it('gives the same error text for unknown tables, columns and syntax', () => {
    const cases = [
      ['select * from no_such_table', 'no such table: no_such_table'],
      ['select no_such_column from osquery_info', 'no such column: no_such_column'],
      ['selec 1', 'near "selec": syntax error'],
    ] as const;
    const { stderr } = runMany(cases.map(([sql]) => sql));
    for (const [sql, message] of cases) {
      expect(() => engine.all(sql)).toThrow(message);
      expect(stderr).toContain(message);
    }
  });
});
