import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseSysvShm, sharedMemory } from './shared_memory.js';

describe('shared_memory', () => {
  it('has one row per segment in /proc/sysvipc/shm', () => {
    const read = () => readFileSync('/proc/sysvipc/shm', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.trim().split(/\s+/)[1]));
    const before = read();
    const got = collectRows(sharedMemory).map((r) => r.shmid);
    const after = read();
    // Other processes (a database under test) may create or remove segments meanwhile.
    for (const id of before.filter((x) => after.includes(x))) expect(got).toContain(id);
    for (const id of got) expect([...before, ...after]).toContain(id);
  });

  it('decodes permissions, destroy and lock bits', () => {
    const text =
      '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n' +
      '    402152          7  3640                    56  9717 26045      6   101   104   100   104 1795410588 1795410589 1795409707                  4096                     0\n';
    const [row] = parseSysvShm(text);
    expect(row).toEqual({
      shmid: 7, owner_uid: 101, creator_uid: 100, pid: 26045, creator_pid: 9717, atime: 1795410588, dtime: 1795410589,
      ctime: 1795409707, permissions: '0640', size: 56, attached: 6, status: 'dest', locked: 1,
    });
    if (!schemaMissing) expect(columnMismatch('shared_memory', row)).toBe('');
  });
});
