/**
 * utmp/wtmp records (glibc layout on 64-bit Linux: 384 bytes, little-endian on x86-64 and arm64; times
 * are 32-bit for compatibility with 32-bit programs).
 *
 *   0 int16 ut_type, 4 int32 ut_pid, 8 char[32] ut_line, 40 char[4] ut_id, 44 char[32] ut_user,
 *   76 char[256] ut_host, 332 exit status, 336 int32 ut_session, 340 int32 tv_sec, 344 int32 tv_usec,
 *   348 int32[4] ut_addr_v6, 364 reserved
 */

export const UTMP_RECORD_SIZE = 384;
export const UTMP_FILE = '/var/run/utmp';
export const WTMP_FILE = '/var/log/wtmp';

/** ut_type values (utmp.h). */
export const UT = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

export interface UtmpRecord {
  readonly type: number;
  readonly pid: number;
  readonly line: string;
  readonly id: string;
  readonly user: string;
  readonly host: string;
  readonly session: number;
  readonly time: number;
  readonly usec: number;
}

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString('utf8');
}

/**
 * Decodes every whole record of a utmp/wtmp file; a trailing partial record (a file being written) is
 * ignored. Never throws: any 384 bytes decode to some record.
 *
 * @example
 * parseUtmp(readFileSync('/var/log/wtmp')).filter((r) => r.type === UT.USER_PROCESS)
 */
export function parseUtmp(buf: Buffer): UtmpRecord[] {
  const out: UtmpRecord[] = [];
  for (let at = 0; at + UTMP_RECORD_SIZE <= buf.length; at += UTMP_RECORD_SIZE) {
    out.push({
      type: buf.readInt16LE(at),
      pid: buf.readInt32LE(at + 4),
      line: cString(buf, at + 8, 32),
      id: cString(buf, at + 40, 4),
      user: cString(buf, at + 44, 32),
      host: cString(buf, at + 76, 256),
      session: buf.readInt32LE(at + 336),
      time: buf.readUInt32LE(at + 340),
      usec: buf.readInt32LE(at + 344),
    });
  }
  return out;
}

/** Encodes a record in the same layout (for tests and fixtures). */
export function encodeUtmp(r: Partial<UtmpRecord> & { type: number }): Buffer {
  const b = Buffer.alloc(UTMP_RECORD_SIZE);
  b.writeInt16LE(r.type, 0);
  b.writeInt32LE(r.pid ?? 0, 4);
  b.write(r.line ?? '', 8, 32, 'utf8');
  b.write(r.id ?? '', 40, 4, 'utf8');
  b.write(r.user ?? '', 44, 32, 'utf8');
  b.write(r.host ?? '', 76, 256, 'utf8');
  b.writeInt32LE(r.session ?? 0, 336);
  b.writeUInt32LE(r.time ?? 0, 340);
  b.writeInt32LE(r.usec ?? 0, 344);
  return b;
}
