import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createEndpointEngine } from '../../index.js';

const engine = createEndpointEngine();
afterAll(() => engine.close());
const noFile = spawnSync('file', ['--version']).status !== 0 ? 'skipped: the file command (libmagic) is not installed' : undefined;
if (noFile) console.warn(noFile);

describe.skipIf(noFile)('magic', () => {
  it('equals file(1) for the description and MIME type', () => {
    for (const path of ['/etc/passwd', process.execPath]) {
      const [row] = engine.all(`select data, mime_type, mime_encoding from magic where path = '${path}'`);
      const data = execFileSync('file', ['--brief', path], { encoding: 'utf8' }).trim();
      const [mime, charset] = execFileSync('file', ['--brief', '--mime', path], { encoding: 'utf8' }).trim().split('; charset=');
      expect(row).toEqual({ data, mime_type: mime, mime_encoding: charset });
    }
  });

  it('expands a LIKE pattern on path', () => {
    const rows = engine.all(`select path, mime_type from magic where path like '/etc/pass%'`);
    expect(rows.map((r) => r.path)).toContain('/etc/passwd');
  });

  it('returns no row for a missing path', () => {
    expect(engine.all(`select * from magic where path = '/nonexistent/vigil'`)).toEqual([]);
  });
});
