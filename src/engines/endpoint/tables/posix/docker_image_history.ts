/** docker_image_history: the build history of the local Docker Engine's images (GET /images/{id}/history). */
import { dj, dockerGet, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for one image's /history answer. */
export function dockerImageHistoryRows(id: string, body: unknown): Row[] {
  return dj.arr(body).map((x) => {
    const h = dj.obj(x);
    return { id, created: dj.num(h.Created), size: dj.num(h.Size), created_by: dj.str(h.CreatedBy), tags: dj.arr(h.Tags).filter((t) => typeof t === 'string').join(','), comment: dj.str(h.Comment) };
  });
}

/** Generator for osquery's `docker_image_history` table. */
export const dockerImageHistory: TableImpl = {
  name: 'docker_image_history',
  *generate(ctx) {
    const ids = ctx.constraint('id') ?? dj.arr(dockerJson('/images/json', ctx, 'docker_image_history')).map((i) => dj.id(dj.obj(i).Id));
    const answers = dockerGet(ids.map((id) => `/images/sha256:${encodeURIComponent(id.replace(/^sha256:/, ''))}/history`));
    for (let i = 0; i < ids.length; i++) {
      const a = answers[i];
      if ('error' in a || a.status !== 200) continue; // an id that names no image: no rows
      yield* dockerImageHistoryRows(ids[i].replace(/^sha256:/, ''), a.body);
    }
  },
};
