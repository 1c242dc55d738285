import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v3';
import { loadConfig, parseSection } from './config.js';
import { defaultDataDir } from './paths.js';

function configFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(dir, 'vigil.json');
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('uses defaults when nothing is given', () => {
    const c = loadConfig({ env: {} });
    expect(c.logLevel).toBe('info');
    expect(c.storage.driver).toBe('sqlite');
  });

  it('layers file < environment < flags', () => {
    const file = configFile(JSON.stringify({ logLevel: 'warn', storage: { driver: 'postgres', url: 'postgres://a@h/db' } }));
    const c = loadConfig({ file, env: { VIGIL_LOG_LEVEL: 'error', VIGIL_STORAGE__URL: 'postgres://b@h/db' }, flags: { logLevel: 'debug' } });
    expect(c.logLevel).toBe('debug');
    expect(c.storage).toEqual({ driver: 'postgres', url: 'postgres://b@h/db' });
  });

  it('ignores the VIGIL_* variables the tests and benchmarks read when they are set', () => {
    const env = { VIGIL_SHARED: '/x/shared', VIGIL_OSQUERYI: '/usr/bin/osqueryi', VIGIL_TRIVY: 't', VIGIL_BENCH_RUNS: '3', VIGIL_TEST_PG_URL: 'postgres://a@h/db' };
    expect(loadConfig({ env }).logLevel).toBe('info');
    expect(() => loadConfig({ env: { VIGIL_SHARD: '/x' } })).toThrow(/shard: unknown key/);
  });

  it('names the bad key and the file it came from', () => {
    const file = configFile(JSON.stringify({ storage: { driver: 'mysql' } }));
    expect(() => loadConfig({ file, env: {} })).toThrow(new RegExp(`storage\\.driver: .*\\(from ${file}\\)`));
  });

  it('names the environment variable a bad value came from', () => {
    expect(() => loadConfig({ env: { VIGIL_LOG_LEVEL: 'loud' } })).toThrow(/logLevel: .*environment variable VIGIL_LOG_LEVEL/);
  });

  it('rejects unknown keys by name', () => {
    const file = configFile(JSON.stringify({ storage: { drvier: 'sqlite' } }));
    expect(() => loadConfig({ file, env: {} })).toThrow(/storage\.drvier: unknown key/);
  });

  it('reports JSON syntax errors with the file and position', () => {
    const file = configFile('{\n  "logLevel": "info",\n  oops\n}');
    expect(() => loadConfig({ file, env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_PARSE' }));
    expect(() => loadConfig({ file, env: {} })).toThrow(new RegExp(`${file}:3:`));
  });

  it('reports a missing file as CONFIG_NOT_FOUND', () => {
    expect(() => loadConfig({ file: '/nonexistent/vigil.json', env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
  });
});

describe('parseSection', () => {
  it('prefixes the section to the bad key', () => {
    const schema = z.object({ limits: z.object({ maxFlows: z.number().int().positive() }) });
    expect(() => parseSection(schema, { limits: { maxFlows: -1 } }, 'ids')).toThrow(/ids\.limits\.maxFlows/);
  });
});

describe('defaultDataDir', () => {
  it('follows XDG_DATA_HOME, then ~/.local/share', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data', HOME: '/home/u' })).toBe('/x/data/vigil');
    expect(defaultDataDir({ HOME: '/home/u' })).toBe('/home/u/.local/share/vigil');
    expect(defaultDataDir({ VIGIL_DATA_DIR: '/srv/vigil', HOME: '/home/u' })).toBe('/srv/vigil');
  });
});
