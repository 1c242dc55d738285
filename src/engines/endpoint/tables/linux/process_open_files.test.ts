import { closeSync, mkdtempSync, openSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { processOpenFiles } from './process_open_files.js';

describe('process_open_files', () => {
  it('shows a file the test opened, with its fd, and no sockets or pipes', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-pof-')));
    const file = join(dir, 'open-me.txt');
    writeFileSync(file, 'x');
    const fd = openSync(file, 'r');
    try {
      const rows = collectRows(processOpenFiles, { constraints: { pid: [String(process.pid)] } });
      expect(rows).toContainEqual({ pid: process.pid, fd, path: file });
      expect(rows.some((r) => /^(socket|pipe|anon_inode):/.test(String(r.path)))).toBe(false);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true });
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processOpenFiles, { constraints: { pid: [String(process.pid)] } });
    expect(columnMismatch('process_open_files', row!)).toBe('');
  });
});
