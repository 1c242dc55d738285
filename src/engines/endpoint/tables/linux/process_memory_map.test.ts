import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { processMemoryMap } from './process_memory_map.js';

describe('process_memory_map', () => {
  it('maps the node binary and a [stack] pseudo region of the test process', () => {
    const rows = collectRows(processMemoryMap, { constraints: { pid: [String(process.pid)] } });
    expect(rows.some((r) => r.path === process.execPath && String(r.permissions).includes('x'))).toBe(true);
    const stack = rows.find((r) => r.path === '[stack]');
    expect(stack).toMatchObject({ pid: process.pid, pseudo: 1, inode: 0 });
    expect(String(stack!.start)).toMatch(/^0x[0-9a-f]+$/);
    expect(BigInt(String(stack!.end))).toBeGreaterThan(BigInt(String(stack!.start)));
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processMemoryMap, { constraints: { pid: [String(process.pid)] } });
    expect(columnMismatch('process_memory_map', row!)).toBe('');
  });
});
