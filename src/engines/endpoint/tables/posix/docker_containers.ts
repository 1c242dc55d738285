/**
 * docker_containers: the containers of the local Docker Engine, through its API on the unix
 * socket (/var/run/docker.sock or DOCKER_HOST=unix://...). Without a socket the table is empty.
 * `id` and `name` constraints are passed to the API as list filters.
 */
import { readlinkSync } from 'node:fs';
import { dockerGet, dockerSocketPath, hasDockerSocket } from '../common/docker-api.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const NAMESPACES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string => (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : '');
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The namespace inode of a process ("net:[4026531992]" -> "4026531992"), or '' when unreadable. */
function namespaceOf(pid: number, ns: string): string {
  if (pid <= 0) return '';
  try {
    return /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${ns}`))?.[1] ?? '';
  } catch {
    return '';
  }
}

/**
 * The osquery row for a container from its list entry and its inspect document.
 *
 * @example
 * dockerContainerRow(listEntry, inspectJson);
 */
export function dockerContainerRow(summary: Json, inspect: Json, nsOf: (pid: number, ns: string) => string = namespaceOf): Row {
  const state = obj(inspect.State);
  const config = obj(inspect.Config);
  const host = obj(inspect.HostConfig);
  const names = Array.isArray(summary.Names) ? summary.Names : [];
  const pid = num(state.Pid) ?? 0;
  const row: Row = {
    id: str(summary.Id),
    name: str(names[0]),
    image: str(summary.Image),
    image_id: str(summary.ImageID),
    command: str(summary.Command),
    created: num(summary.Created),
    state: str(summary.State),
    status: str(summary.Status),
    pid,
    path: str(inspect.Path),
    config_entrypoint: list(config.Entrypoint),
    started_at: str(state.StartedAt),
    finished_at: str(state.FinishedAt),
    privileged: host.Privileged === true ? 1 : 0,
    security_options: list(host.SecurityOpt),
    env_variables: list(config.Env),
    readonly_rootfs: host.ReadonlyRootfs === true ? 1 : 0,
  };
  for (const ns of NAMESPACES) row[`${ns}_namespace`] = nsOf(pid, ns);
  return row;
}

/** Generator for osquery's `docker_containers` table. */
export const dockerContainers: TableImpl = {
  name: 'docker_containers',
  *generate(ctx: QueryContext) {
    if (!hasDockerSocket()) return;
    const filters: Record<string, readonly string[]> = {};
    const ids = ctx.constraint('id');
    const names = ctx.constraint('name');
    if (ids) filters.id = ids;
    if (names) filters.name = names.map((n) => n.replace(/^\//, ''));
    const query = Object.keys(filters).length > 0 ? `&filters=${encodeURIComponent(JSON.stringify(filters))}` : '';
    const [answer] = dockerGet([`/containers/json?all=1${query}`]);
    if ('error' in answer || answer.status !== 200 || !Array.isArray(answer.body)) {
      const why = 'error' in answer ? answer.error : `HTTP ${answer.status}`;
      ctx.warn(`docker_containers: cannot list containers through ${dockerSocketPath()}: ${why}`);
      return;
    }
    const summaries = answer.body.map(obj);
    const inspects = dockerGet(summaries.map((s) => `/containers/${encodeURIComponent(str(s.Id))}/json`));
    for (let i = 0; i < summaries.length; i++) {
      const a = inspects[i];
      if ('error' in a || a.status !== 200) {
        // The container was removed between the two requests.
        ctx.warn(`docker_containers: cannot inspect container ${str(summaries[i].Id).slice(0, 12)}: ${'error' in a ? a.error : `HTTP ${a.status}`}`);
        continue;
      }
      yield dockerContainerRow(summaries[i], obj(a.body));
    }
  },
};
