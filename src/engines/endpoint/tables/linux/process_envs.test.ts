import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { processEnvs } from './process_envs.js';

describe('process_envs', () => {
  it('shows the environment a child was started with', async () => {
    const child = spawn('sleep', ['30'], { env: { VIGIL_TEST_ENV: 'a=b c', PATH: process.env.PATH }, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const rows = collectRows(processEnvs, { constraints: { pid: [String(child.pid)] } });
      expect(rows).toContainEqual({ pid: child.pid, key: 'VIGIL_TEST_ENV', value: 'a=b c' });
      expect(rows.map((r) => r.key).sort()).toEqual(['PATH', 'VIGIL_TEST_ENV']);
    } finally {
      child.kill();
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processEnvs, { constraints: { pid: [String(process.pid)] } });
    expect(columnMismatch('process_envs', row!)).toBe('');
  });
});
