import type { Row, TableImpl } from '../../types.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** The local zone's abbreviation (strftime %Z), or 'UTC'. */
let zoneFormat: Intl.DateTimeFormat | undefined;

function localZoneName(date: Date): string {
  // Building the formatter costs milliseconds; the zone cannot change inside one process run.
  zoneFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const part = zoneFormat
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value && part.value !== '' ? part.value : 'UTC';
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
