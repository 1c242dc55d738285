/** shared_memory: System V shared memory segments from /proc/sysvipc/shm. */
import { readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

const SHM_DEST = 0o1000;
const SHM_LOCKED = 0o2000;

/**
 * Parses /proc/sysvipc/shm (columns named by its header line) into osquery rows.
 *
 * @example
 * parseSysvShm(readFileSync('/proc/sysvipc/shm', 'utf8'));
 */
export function parseSysvShm(text: string): Row[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0].trim().split(/\s+/);
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    const get = (name: string) => f[header.indexOf(name)] ?? '';
    const int = (name: string) => Number(get(name));
    // The kernel prints the mode in octal, SHM_DEST and SHM_LOCKED bits included.
    const mode = Number.parseInt(get('perms'), 8);
    rows.push({
      shmid: int('shmid'),
      owner_uid: int('uid'),
      creator_uid: int('cuid'),
      pid: int('lpid'),
      creator_pid: int('cpid'),
      atime: int('atime'),
      dtime: int('dtime'),
      ctime: int('ctime'),
      permissions: (mode & 0o777).toString(8).padStart(4, '0'),
      size: int('size'),
      attached: int('nattch'),
      status: mode & SHM_DEST ? 'dest' : '',
      locked: mode & SHM_LOCKED ? 1 : 0,
    });
  }
  return rows;
}

/** Generator for osquery's `shared_memory` table. */
export const sharedMemory: TableImpl = {
  name: 'shared_memory',
  generate: () => parseSysvShm(readTextOr('/proc/sysvipc/shm') ?? ''),
};
