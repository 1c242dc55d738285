import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { pipeRows, processOpenPipes } from './process_open_pipes.js';

describe('process_open_pipes', () => {
  it('pairs the two ends of a shell pipeline', async () => {
    // Node's own stdio pipes are socket pairs; a shell pipeline makes a real pipe(2).
    const sh = spawn('sh', ['-c', 'sleep 30 | sleep 31'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 150));
      const [writer, reader] = readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8').trim().split(' ').map(Number);
      const inode = Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${writer}/fd/1`))![1]);
      const rows = collectRows(processOpenPipes).filter((r) => r.inode === inode);
      expect(rows).toContainEqual({ pid: writer, fd: 1, mode: 'w', inode, type: 'anonymous', partner_pid: reader, partner_fd: 0, partner_mode: 'r' });
      expect(rows).toContainEqual({ pid: reader, fd: 0, mode: 'r', inode, type: 'anonymous', partner_pid: writer, partner_fd: 1, partner_mode: 'w' });
    } finally {
      for (const c of readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8').trim().split(' ').filter(Boolean)) process.kill(Number(c));
      sh.kill();
    }
  });

  it('gives a lone end no partner and does not pair two readers', () => {
    const rows = pipeRows([
      { pid: 1, fd: 3, mode: 'r', inode: 5, type: 'anonymous' },
      { pid: 2, fd: 3, mode: 'r', inode: 5, type: 'anonymous' },
      { pid: 3, fd: 4, mode: 'w', inode: 5, type: 'anonymous' },
      { pid: 4, fd: 7, mode: 'r', inode: 6, type: 'named' },
    ]);
    expect(rows.map((r) => [r.pid, r.partner_pid])).toEqual([
      [1, 3],
      [2, 3],
      [3, 1],
      [3, 2],
      [4, null],
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('process_open_pipes', pipeRows([{ pid: 1, fd: 3, mode: 'r', inode: 5, type: 'anonymous' }])[0]!)).toBe('');
  });
});
