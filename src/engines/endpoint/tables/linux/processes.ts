import { existsSync, statSync } from 'node:fs';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import {
  CLOCK_TICKS_PER_SECOND,
  PROC_ROOT,
  bootTimeSeconds,
  listPids,
  parseCgroupPath,
  parseProcIo,
  parseProcStat,
  parseProcStatus,
  readBytesOrUndefined,
  readLinkOrEmpty,
  readTextOrUndefined,
} from '../common/proc.js';

const DELETED = ' (deleted)';

/**
 * /proc/<pid>/cmdline as osquery shows it: arguments joined by spaces, surrounding whitespace trimmed.
 *
 * @example
 * formatCmdline(Buffer.from('sleep\u000010\u0000')) // 'sleep 10'
 */
export function formatCmdline(bytes: Buffer): string {
  return bytes.toString('utf8').replaceAll('\0', ' ').trim();
}

/**
 * osquery's on_disk tri-state for an exe link: -1 unknown, 1 the binary exists, 0 it was deleted.
 * Returns the path with a " (deleted)" marker removed when the file is really gone.
 */
function onDisk(pid: string, path: string): [number, string] {
  if (path === '') return [-1, path];
  if (!path.endsWith(DELETED)) return [existsSync(path) ? 1 : 0, path];
  const stripped = path.slice(0, -DELETED.length);
  if (!existsSync(path)) return [0, stripped];
  // A file really named "... (deleted)" exists: it is ours only if it is the inode the process runs.
  try {
    const running = statSync(`${PROC_ROOT}/${pid}/exe`).ino;
    return statSync(path).ino === running ? [1, path] : [0, stripped];
  } catch {
    return [-1, path];
  }
}

function processRow(pid: string, bootTime: number | undefined, ctx: QueryContext): Row | undefined {
  const dir = `${PROC_ROOT}/${pid}`;
  const statText = readTextOrUndefined(`${dir}/stat`);
  const statusText = readTextOrUndefined(`${dir}/status`);
  if (statText === undefined || statusText === undefined) {
    // Only an existing process that we cannot read is worth a warning; one that exited is normal churn.
    if (existsSync(dir)) ctx.warn(`processes: cannot read ${dir}/stat or status; pid ${pid} skipped`);
    return undefined;
  }
  const stat = parseProcStat(statText);
  if (stat === undefined) {
    ctx.warn(`processes: malformed ${dir}/stat; pid ${pid} skipped`);
    return undefined;
  }
  const status = parseProcStatus(statusText);
  const ioText = readTextOrUndefined(`${dir}/io`);
  const io = ioText === undefined ? undefined : parseProcIo(ioText);
  const [disk, path] = onDisk(pid, readLinkOrEmpty(`${dir}/exe`));
  const cmdline = readBytesOrUndefined(`${dir}/cmdline`);
  const cgroup = readTextOrUndefined(`${dir}/cgroup`);
  const msPerTick = 1000 / CLOCK_TICKS_PER_SECOND;
  return {
    pid: Number(pid),
    name: status.name ?? stat.comm,
    path,
    cmdline: cmdline === undefined ? '' : formatCmdline(cmdline),
    state: stat.state,
    cwd: readLinkOrEmpty(`${dir}/cwd`),
    root: readLinkOrEmpty(`${dir}/root`),
    uid: status.uid?.[0] ?? null,
    gid: status.gid?.[0] ?? null,
    euid: status.uid?.[1] ?? null,
    egid: status.gid?.[1] ?? null,
    suid: status.uid?.[2] ?? null,
    sgid: status.gid?.[2] ?? null,
    on_disk: disk,
    wired_size: 0, // Linux has no counter for unpageable memory; osquery reports 0 too.
    resident_size: status.vmRssKb === undefined ? null : status.vmRssKb * 1024,
    total_size: status.vmSizeKb === undefined ? null : status.vmSizeKb * 1024,
    user_time: stat.userTicks * msPerTick,
    system_time: stat.systemTicks * msPerTick,
    disk_bytes_read: io?.readBytes ?? null,
    disk_bytes_written: io === undefined ? null : (io.writeBytes ?? 0) - (io.cancelledWriteBytes ?? 0),
    start_time: bootTime === undefined ? -1 : bootTime + Math.floor(stat.startTicks / CLOCK_TICKS_PER_SECOND),
    parent: stat.parent,
    pgroup: stat.pgroup,
    threads: stat.threads,
    nice: stat.nice,
    elevated_token: null,
    secure_process: null,
    protection_type: null,
    virtual_process: null,
    elapsed_time: null,
    handle_count: null,
    percent_processor_time: null,
    upid: null,
    uppid: null,
    cpu_type: null,
    cpu_subtype: null,
    translated: null,
    cgroup_path: cgroup === undefined ? '' : parseCgroupPath(cgroup),
  };
}

/**
 * `processes`: one row per process from /proc/<pid>/{stat,status,io,cmdline,exe,cwd,root,cgroup}, with
 * osquery's units (times in ms, sizes in bytes, start_time in seconds since the epoch).
 * `WHERE pid = N` reads only that process.
 *
 * @example
 * const [me] = processes.generate(createTestContext({ constraints: { pid: [String(process.pid)] } }));
 */
export const processes: TableImpl = {
  name: 'processes',
  *generate(ctx) {
    const bootTime = bootTimeSeconds();
    for (const pid of listPids(ctx)) {
      if (ctx.signal.aborted) return;
      const row = processRow(pid, bootTime, ctx);
      if (row !== undefined) yield row;
    }
  },
};
