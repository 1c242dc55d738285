import { existsSync } from 'node:fs';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { findTool, runTool } from '../common/run-tool.js';

/** sd_booted(3): systemd is the running init only when this directory exists. */
export const SYSTEMD_RUNTIME = '/run/systemd/system';

const PROPERTIES = ['Id', 'Description', 'LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'Following', 'FragmentPath', 'SourcePath', 'User'];

/**
 * A D-Bus object path for a unit, encoded like sd_bus_path_encode (every byte outside [A-Za-z0-9] as
 * _xx).
 *
 * @example
 * unitObjectPath('ssh.service') // '/org/freedesktop/systemd1/unit/ssh_2eservice'
 */
export function unitObjectPath(id: string): string {
  const enc = id === '' ? '_' : [...Buffer.from(id, 'utf8')].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).padStart(2, '0')}`)).join('');
  return `/org/freedesktop/systemd1/unit/${enc}`;
}

/**
 * Parses `systemctl show` output: blocks of Key=Value lines separated by blank lines.
 *
 * @example
 * parseSystemctlShow('Id=a.service\nLoadState=loaded\n\nId=b.socket\n').length // 2
 */
export function parseSystemctlShow(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      cur = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    if (cur === undefined) {
      cur = new Map();
      out.push(cur);
    }
    cur.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/**
 * Parses `systemctl list-jobs --no-legend --full` ("JOB UNIT TYPE STATE") into unit -> [id, type].
 *
 * @example
 * parseListJobs('42 foo.service start waiting\n').get('foo.service') // [42, 'start']
 */
export function parseListJobs(text: string): Map<string, [number, string]> {
  const out = new Map<string, [number, string]>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 3 && /^[0-9]+$/.test(f[0]!)) out.set(f[1]!, [Number(f[0]), f[2]!]);
  }
  return out;
}

/** systemd_units rows from `systemctl show` blocks and the job list, in the shape osquery gets from ListUnits. */
export function unitRows(blocks: readonly Map<string, string>[], jobs: ReadonlyMap<string, [number, string]>): Row[] {
  const rows: Row[] = [];
  for (const b of blocks) {
    const id = b.get('Id');
    if (id === undefined || id === '') continue;
    const job = jobs.get(id);
    rows.push({
      id,
      description: b.get('Description') ?? '',
      load_state: b.get('LoadState') ?? '',
      active_state: b.get('ActiveState') ?? '',
      sub_state: b.get('SubState') ?? '',
      unit_file_state: b.get('UnitFileState') ?? '',
      following: b.get('Following') ?? '',
      object_path: unitObjectPath(id),
      job_id: job?.[0] ?? 0,
      job_type: job?.[1] ?? '',
      job_path: job === undefined ? '/' : `/org/freedesktop/systemd1/job/${job[0]}`,
      fragment_path: b.get('FragmentPath') ?? '',
      user: b.get('User') ?? '',
      source_path: b.get('SourcePath') ?? '',
    });
  }
  return rows;
}

function systemctl(ctx: QueryContext, args: string[]): string | undefined {
  const path = findTool('systemctl');
  if (path === undefined) {
    ctx.warn('systemd_units: systemd is running but systemctl is not installed');
    return undefined;
  }
  const r = runTool(path, ['--no-pager', ...args], 20_000);
  if (r.status !== 0) {
    ctx.warn(`systemd_units: systemctl ${args[0]} failed: ${r.stderr.trim() || r.error?.message || `exit ${r.status}`}`);
    return undefined;
  }
  return r.stdout;
}

/**
 * The units the running systemd has loaded, as systemd_units rows; [] (silently) when systemd is not
 * the running init. Shared with startup_items.
 */
export function loadedUnits(ctx: QueryContext): Row[] {
  if (!existsSync(SYSTEMD_RUNTIME)) return [];
  const shown = systemctl(ctx, ['show', '--all', `--property=${PROPERTIES.join(',')}`, '*']);
  if (shown === undefined) return [];
  const jobs = systemctl(ctx, ['list-jobs', '--no-legend', '--full']) ?? '';
  return unitRows(parseSystemctlShow(shown), parseListJobs(jobs));
}

/**
 * `systemd_units`: the units the running systemd has loaded, as its ListUnits call reports them
 * (asked through systemctl, which speaks systemd's D-Bus API). A host not booted with systemd --
 * containers, other inits -- has no unit state to report and yields nothing.
 *
 * @example
 * const failed = [...systemdUnits.generate(createTestContext())].filter((r) => r.active_state === 'failed');
 */
export const systemdUnits: TableImpl = {
  name: 'systemd_units',
  *generate(ctx) {
    yield* loadedUnits(ctx);
  },
};
