import { existsSync, readFileSync } from 'node:fs';
import type { Row, TableImpl } from '../../types.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** The local zone's abbreviation (strftime %Z), or 'UTC'. */
/**
 * The standard and daylight-saving abbreviations of a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3" ->
 * ['CET', 'CEST'], "<-03>3" -> ['-03', undefined]), as strftime's %Z prints them.
 *
 * @example
 * posixZoneNames('EST5EDT,M3.2.0,M11.1.0') // ['EST', 'EDT']
 */
export function posixZoneNames(tz: string): [string, string | undefined] | undefined {
  const m = /^(<[^>]+>|[A-Za-z]{3,})[-+]?[0-9:]+(<[^>]+>|[A-Za-z]{3,})?/.exec(tz.trim());
  if (!m) return undefined;
  const strip = (n: string | undefined): string | undefined => (n === undefined ? undefined : n.replace(/^<|>$/g, ''));
  return [strip(m[1])!, strip(m[2])];
}

/** The POSIX TZ rule in force: $TZ itself when it is one, else the footer of the TZif file it names. */
function posixRule(): string | undefined {
  const env = process.env.TZ;
  let file = '/etc/localtime';
  if (env !== undefined && env !== '') {
    const name = env.startsWith(':') ? env.slice(1) : env;
    if (!name.startsWith('/') && posixZoneNames(name) !== undefined && !existsSync(`/usr/share/zoneinfo/${name}`)) return name;
    file = name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`;
  }
  try {
    // TZif v2+ files end with "\n<POSIX TZ string>\n".
    const text = readFileSync(file).toString('latin1');
    const end = text.endsWith('\n') ? text.length - 1 : text.length;
    return text.slice(text.lastIndexOf('\n', end - 1) + 1, end);
  } catch {
    return undefined;
  }
}

let zoneNames: [string, string | undefined] | null | undefined;

/** The local zone's abbreviation at `date` (strftime %Z), or 'UTC' when it cannot be known. */
function localZoneName(date: Date): string {
  if (zoneNames === undefined) {
    const rule = posixRule();
    zoneNames = (rule === undefined ? undefined : posixZoneNames(rule)) ?? null;
  }
  if (zoneNames === null) return 'UTC';
  const [std, dst] = zoneNames;
  if (dst === undefined) return std;
  const year = date.getFullYear();
  // Standard time is the larger of the January and July offsets west of UTC, in both hemispheres.
  const standard = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  return date.getTimezoneOffset() < standard ? dst : std;
}

/**
 * osquery's `time` row for an instant: UTC fields, asctime(3)-style timestamp and ISO 8601.
 *
 * @example
 * timeRow(new Date('2026-11-23T05:02:01Z')).timestamp // 'Mon Nov 23 05:02:01 2026 UTC'
 */
export function timeRow(now: Date): Row {
  const unix = Math.floor(now.getTime() / 1000);
  const d = new Date(unix * 1000);
  const iso = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
  const weekday = DAYS[d.getUTCDay()]!;
  const asctime = `${weekday.slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  return {
    weekday,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
    timezone: 'UTC',
    local_timezone: localZoneName(d),
    unix_time: unix,
    timestamp: `${asctime} UTC`,
    datetime: iso,
    iso_8601: iso,
    win_timestamp: null,
  };
}

/**
 * `time`: the current time in UTC, one row.
 *
 * @example
 * const [t] = time.generate(createTestContext());
 */
export const time: TableImpl = {
  name: 'time',
  *generate() {
    yield timeRow(new Date());
  },
};
