import { describe, expect, it } from 'vitest';
import { VIGIL_VERSION } from '../../../../core/version.js';
import { createEndpointEngine } from '../../index.js';

describe('osquery_info', () => {
  it("answers for Vigil: this process's pid, Vigil's version, start time and no watcher", () => {
    const engine = createEndpointEngine();
    try {
      const [row] = engine.all('select * from osquery_info');
      expect(row!.pid).toBe(BigInt(process.pid));
      expect(row!.version).toBe(VIGIL_VERSION);
      expect(row!.watcher).toBe(-1n);
      expect(row!.build_platform).toBe('linux');
      const start = Number(row!.start_time);
      expect(Math.abs(start - (Date.now() / 1000 - process.uptime()))).toBeLessThan(3);
      expect(String(row!.instance_id)).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      engine.close();
    }
  });
});

describe('osquery_registry and osquery_extensions', () => {
  it('lists every SQL table of the engine once, and no extension', () => {
    const engine = createEndpointEngine();
    try {
      const names = engine.all("select name from osquery_registry where registry = 'table'").map((r) => r.name);
      const implemented = engine.tableNames().filter((n) => engine.schema(n)?.startsWith(`CREATE TABLE ${n}(`));
      // Aliases (hosts, yara...) are names of the same tables, not registry entries.
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(implemented).toContain(n);
      expect(names).toContain('processes');
      expect(names).toContain('osquery_registry');
      expect(engine.all('select * from osquery_extensions')).toEqual([]);
    } finally {
      engine.close();
    }
  });
});
