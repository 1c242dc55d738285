import { lstatSync, statSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';
import { PROC_ROOT, listPids, readDescriptors, unconstrained } from '../common/proc.js';

/** One end of a pipe held by a process. */
export interface PipeEnd {
  readonly pid: number;
  readonly fd: number;
  /** 'r', 'w' or 'rw', from the permission bits of the /proc/<pid>/fd link. */
  readonly mode: string;
  readonly inode: number;
  readonly type: 'anonymous' | 'named';
}

/**
 * Pairs pipe ends like osquery: every end with each partner on the same inode that is not itself and
 * forms a reader/writer pair (different modes, or an 'rw' end); an end alone on its inode gets a row
 * without partner.
 *
 * @example
 * pipeRows([{ pid: 1, fd: 3, mode: 'r', inode: 9, type: 'anonymous' }, { pid: 2, fd: 4, mode: 'w', inode: 9, type: 'anonymous' }])
 */
export function pipeRows(ends: readonly PipeEnd[]): Row[] {
  const byInode = new Map<number, PipeEnd[]>();
  for (const e of ends) {
    const list = byInode.get(e.inode) ?? [];
    list.push(e);
    byInode.set(e.inode, list);
  }
  const rows: Row[] = [];
  const base = (e: PipeEnd): Row => ({ pid: e.pid, fd: e.fd, mode: e.mode, inode: e.inode, type: e.type });
  for (const e of ends) {
    const partners = byInode.get(e.inode)!;
    if (partners.length === 1) {
      rows.push({ ...base(e), partner_pid: null, partner_fd: null, partner_mode: null });
      continue;
    }
    for (const p of partners) {
      if (p === e || !(p.mode !== e.mode || e.mode === 'rw')) continue;
      rows.push({ ...base(e), partner_pid: p.pid, partner_fd: p.fd, partner_mode: p.mode });
    }
  }
  return rows;
}

function linkMode(pid: string, fd: string): string {
  try {
    const m = lstatSync(`${PROC_ROOT}/${pid}/fd/${fd}`).mode;
    return `${m & 0o444 ? 'r' : ''}${m & 0o222 ? 'w' : ''}`;
  } catch {
    return '-';
  }
}

/**
 * `process_open_pipes`: anonymous pipes and FIFOs held by processes, with the process at the other end.
 * Needs every process's descriptors to find partners, so it always scans all processes.
 *
 * @example
 * const shellPipes = [...processOpenPipes.generate(createTestContext())].filter((r) => r.type === 'anonymous');
 */
export const processOpenPipes: TableImpl = {
  name: 'process_open_pipes',
  *generate(ctx) {
    const ends: PipeEnd[] = [];
    for (const pid of listPids(unconstrained(ctx))) {
      if (ctx.signal.aborted) return;
      for (const [fd, link] of readDescriptors(pid) ?? []) {
        const anon = /^pipe:\[(\d+)\]$/.exec(link);
        if (anon) {
          ends.push({ pid: Number(pid), fd: Number(fd), mode: linkMode(pid, fd), inode: Number(anon[1]), type: 'anonymous' });
          continue;
        }
        if (!link.startsWith('/')) continue;
        try {
          const st = statSync(link);
          if (st.isFIFO()) ends.push({ pid: Number(pid), fd: Number(fd), mode: linkMode(pid, fd), inode: st.ino, type: 'named' });
        } catch {
          // the file is gone or unreachable: not a pipe we can name
        }
      }
    }
    yield* pipeRows(ends);
  },
};
