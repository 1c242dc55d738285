import { readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { processNamespaces } from './process_namespaces.js';

describe('process_namespaces', () => {
  it('reports the namespace inodes that /proc/self/ns links show', () => {
    const [row] = collectRows(processNamespaces, { constraints: { pid: [String(process.pid)] } });
    for (const kind of ['net', 'mnt', 'pid', 'user', 'uts', 'ipc']) {
      const want = /\[(\d+)\]/.exec(readlinkSync(`/proc/self/ns/${kind}`))![1];
      expect(row![`${kind}_namespace`]).toBe(want);
    }
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processNamespaces, { constraints: { pid: [String(process.pid)] } });
    expect(columnMismatch('process_namespaces', row!)).toBe('');
  });
});
