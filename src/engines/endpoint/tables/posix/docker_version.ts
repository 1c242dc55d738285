/** docker_version: the local Docker Engine's version (GET /version). */
import { dj, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for a /version answer. */
export function dockerVersionRow(body: unknown): Row {
  const v = dj.obj(body);
  return {
    version: dj.str(v.Version), api_version: dj.str(v.ApiVersion), min_api_version: dj.str(v.MinAPIVersion), git_commit: dj.str(v.GitCommit),
    go_version: dj.str(v.GoVersion), os: dj.str(v.Os), arch: dj.str(v.Arch), kernel_version: dj.str(v.KernelVersion), build_time: dj.str(v.BuildTime),
  };
}

/** Generator for osquery's `docker_version` table. */
export const dockerVersion: TableImpl = {
  name: 'docker_version',
  *generate(ctx) {
    const body = dockerJson('/version', ctx, 'docker_version');
    if (body !== undefined) yield dockerVersionRow(body);
  },
};
