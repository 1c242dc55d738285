/**
 * Readers and pure parsers for Linux procfs, shared by the process and socket tables.
 * Parsers take text and are unit-tested with inline fixtures; readers never throw for a
 * vanished process or a permission problem, they return undefined and let the table warn.
 */
import { closeSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import type { QueryContext } from '../../types.js';

/** Where procfs is mounted. */
export const PROC_ROOT = '/proc';

/**
 * Linux's USER_HZ: the unit of the clock-tick fields in /proc/<pid>/stat. It is fixed at 100 by the
 * kernel ABI on every architecture Node runs on (sysconf(_SC_CLK_TCK) always returns it).
 */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The errno code of a failed fs call, or undefined. */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** One scratch buffer for procfs reads: generators are synchronous, so reads never overlap. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The raw bytes of a file, or undefined when it cannot be read (gone, permission denied, not a file).
 * procfs files report size 0, so this reads to EOF into a reused buffer instead of readFileSync's
 * fstat + allocate; it is the hot path of the process tables.
 */
export function readBytesOrUndefined(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let len = 0;
    for (;;) {
      if (len === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, len);
        scratch = bigger;
      }
      const n = readSync(fd, scratch, len, scratch.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return Buffer.from(scratch.subarray(0, len));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * The contents of a file, or undefined when it cannot be read (gone, permission denied, not a file).
 *
 * @example
 * const stat = readTextOrUndefined(`/proc/${pid}/stat`);
 */
export function readTextOrUndefined(path: string): string | undefined {
  return readBytesOrUndefined(path)?.toString('utf8');
}

/** The target of a symbolic link, or '' when it cannot be read (osquery's readProcLink behaves the same). */
export function readLinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** True for a decimal process id as found in /proc. */
export function isPid(name: string): boolean {
  return /^[0-9]+$/.test(name);
}

/**
 * The pids a query asks for: the `pid` constraint when there is one (only those that exist), else every
 * process in /proc, in ascending order.
 *
 * @example
 * for (const pid of listPids(ctx)) { ... }
 */
export function listPids(ctx: QueryContext, column = 'pid'): string[] {
  const wanted = ctx.constraint(column);
  if (wanted !== undefined) {
    const pids = [...new Set(wanted.map((p) => p.trim()).filter(isPid))];
    return pids.sort((a, b) => Number(a) - Number(b));
  }
  let names: string[];
  try {
    names = readdirSync(PROC_ROOT);
  } catch (e) {
    ctx.warn(`cannot list ${PROC_ROOT}`, e);
    return [];
  }
  return names.filter(isPid).sort((a, b) => Number(a) - Number(b));
}

/** Fields of /proc/<pid>/stat that osquery reports. Times are in clock ticks. */
export interface ProcStat {
  readonly comm: string;
  readonly state: string;
  readonly parent: number;
  readonly pgroup: number;
  readonly userTicks: number;
  readonly systemTicks: number;
  readonly nice: number;
  readonly threads: number;
  /** Ticks after boot at which the process started. */
  readonly startTicks: number;
}

/**
 * Parses /proc/<pid>/stat. The command name may contain spaces and parentheses, so fields are counted
 * from the last ')'. Returns undefined for a truncated or malformed line.
 *
 * @example
 * parseProcStat('1 (init) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 10 1000 200')?.state // 'S'
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open || text.length <= close + 2) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  if (f.length <= 19) return undefined;
  const num = (i: number): number => Number.parseInt(f[i] ?? '', 10);
  const values = {
    comm: text.slice(open + 1, close),
    state: f[0] ?? '',
    parent: num(1),
    pgroup: num(2),
    userTicks: num(11),
    systemTicks: num(12),
    nice: num(16),
    threads: num(17),
    startTicks: num(19),
  };
  for (const v of Object.values(values)) if (typeof v === 'number' && Number.isNaN(v)) return undefined;
  return values;
}

/** Fields of /proc/<pid>/status that osquery reports. */
export interface ProcStatus {
  readonly name?: string;
  /** Real, effective, saved, filesystem ids. */
  readonly uid?: readonly number[];
  readonly gid?: readonly number[];
  /** VmRSS / VmSize in kB; absent for kernel threads. */
  readonly vmRssKb?: number;
  readonly vmSizeKb?: number;
}

/**
 * Parses /proc/<pid>/status ("Key:\tvalue" lines).
 *
 * @example
 * parseProcStatus('Name:\tbash\nUid:\t1000\t1000\t1000\t1000\n').uid // [1000, 1000, 1000, 1000]
 */
export function parseProcStatus(text: string): ProcStatus {
  const out: { name?: string; uid?: number[]; gid?: number[]; vmRssKb?: number; vmSizeKb?: number } = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'Name':
        out.name = value;
        break;
      case 'Uid':
      case 'Gid': {
        const ids = value.split(/\s+/).map((v) => Number.parseInt(v, 10));
        if (ids.length >= 3 && ids.every((n) => Number.isFinite(n))) {
          if (key === 'Uid') out.uid = ids;
          else out.gid = ids;
        }
        break;
      }
      case 'VmRSS':
      case 'VmSize': {
        const kb = Number.parseInt(value, 10);
        if (Number.isFinite(kb)) {
          if (key === 'VmRSS') out.vmRssKb = kb;
          else out.vmSizeKb = kb;
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Byte counters from /proc/<pid>/io. */
export interface ProcIo {
  readonly readBytes?: number;
  readonly writeBytes?: number;
  readonly cancelledWriteBytes?: number;
}

/**
 * Parses /proc/<pid>/io.
 *
 * @example
 * parseProcIo('read_bytes: 4096\nwrite_bytes: 0\n').readBytes // 4096
 */
export function parseProcIo(text: string): ProcIo {
  const out: { readBytes?: number; writeBytes?: number; cancelledWriteBytes?: number } = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(\d+)/.exec(line);
    if (!m) continue;
    const v = Number(m[2]);
    if (m[1] === 'read_bytes') out.readBytes = v;
    else if (m[1] === 'write_bytes') out.writeBytes = v;
    else if (m[1] === 'cancelled_write_bytes') out.cancelledWriteBytes = v;
  }
  return out;
}

/**
 * The cgroup path from /proc/<pid>/cgroup as osquery reports it: the path of the first line
 * ("0::/user.slice" for cgroup v2, "12:cpu:/x" for v1); a cgroup name may itself contain colons.
 *
 * @example
 * parseCgroupPath('0::/system.slice/ssh.service\n') // '/system.slice/ssh.service'
 */
export function parseCgroupPath(text: string): string {
  const first = text.split('\n')[0] ?? '';
  const a = first.indexOf(':');
  if (a < 0) return '';
  const b = first.indexOf(':', a + 1);
  return b < 0 ? '' : first.slice(b + 1);
}

/**
 * Splits /proc/<pid>/environ (NUL-separated KEY=value entries). An entry without '=' is a key with an
 * empty value, as osquery reports it.
 *
 * @example
 * parseEnviron(Buffer.from('A=1\0B=x=y\0')) // [['A', '1'], ['B', 'x=y']]
 */
export function parseEnviron(bytes: Buffer): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of bytes.toString('utf8').split('\0')) {
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    out.push(eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)]);
  }
  return out;
}

/** One line of /proc/<pid>/maps. */
export interface MapEntry {
  readonly start: string;
  readonly end: string;
  readonly permissions: string;
  readonly offset: number;
  readonly device: string;
  readonly inode: number;
  readonly path: string;
  readonly pseudo: number;
}

/**
 * Parses /proc/<pid>/maps like osquery: addresses get a 0x prefix, the offset is decimal, `pseudo` is 1
 * for a named mapping with inode 0 ([heap], [stack], [vdso] ...), " (deleted)" is dropped from paths.
 *
 * @example
 * parseMaps('00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/dbus-daemon\n')[0]?.start // '0x00400000'
 */
export function parseMaps(text: string): MapEntry[] {
  const out: MapEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S+)\s+([0-9a-f]+)\s+(\S+)\s+(\d+)\s*(.*)$/i.exec(line);
    if (!m) continue;
    // osquery reports a mapping of a deleted file under its old name, without the kernel's marker.
    const path = (m[7] ?? '').trim().replace(/ \(deleted\)$/, '');
    const inode = Number(m[6]);
    out.push({
      start: `0x${m[1]}`,
      end: `0x${m[2]}`,
      permissions: m[3] ?? '',
      offset: Number.parseInt(m[4] ?? '', 16),
      device: m[5] ?? '',
      inode,
      path,
      pseudo: inode === 0 && path !== '' ? 1 : 0,
    });
  }
  return out;
}

/**
 * The "type:[inode]" descriptor of a namespace link (/proc/<pid>/ns/net -> "net:[4026531840]"), as the
 * inode number, or undefined.
 *
 * @example
 * parseNamespaceLink('net:[4026531840]', 'net') // 4026531840
 */
export function parseNamespaceLink(link: string, kind: string): number | undefined {
  const m = /^([a-z_]+):\[(\d+)\]$/.exec(link);
  if (!m || m[1] !== kind) return undefined;
  return Number(m[2]);
}

/**
 * Seconds since the epoch at which the system booted: the kernel's `btime` from /proc/stat (what
 * osquery 5 uses), else now - /proc/uptime, else undefined.
 */
export function bootTimeSeconds(nowMs = Date.now()): number | undefined {
  const stat = readTextOrUndefined(`${PROC_ROOT}/stat`);
  const btime = stat === undefined ? undefined : /^btime\s+(\d+)$/m.exec(stat)?.[1];
  if (btime !== undefined) return Number(btime);
  const text = readTextOrUndefined(`${PROC_ROOT}/uptime`);
  if (text === undefined) return undefined;
  const up = Number.parseFloat(text);
  if (!Number.isFinite(up)) return undefined;
  return Math.floor(nowMs / 1000) - Math.floor(up);
}

/** The file descriptors of a process and their link targets, or undefined when /proc/<pid>/fd cannot be read. */
export function readDescriptors(pid: string): [string, string][] | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`${PROC_ROOT}/${pid}/fd`);
  } catch {
    return undefined;
  }
  const out: [string, string][] = [];
  for (const fd of fds.sort((a, b) => Number(a) - Number(b))) {
    const link = readLinkOrEmpty(`${PROC_ROOT}/${pid}/fd/${fd}`);
    if (link !== '') out.push([fd, link]);
  }
  return out;
}

/**
 * The same query context with no pushed-down constraints, for a table that must scan everything
 * (SQLite re-checks the rows). Built explicitly because a context may be a class instance.
 */
export function unconstrained(ctx: QueryContext): QueryContext {
  return {
    constraint: () => undefined,
    like: () => undefined,
    warn: (message, cause) => ctx.warn(message, cause),
    signal: ctx.signal,
  };
}
