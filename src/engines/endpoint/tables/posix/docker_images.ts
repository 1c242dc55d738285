/** docker_images: images of the local Docker Engine (GET /images/json). */
import { dj, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for an /images/json answer. */
export function dockerImageRows(body: unknown): Row[] {
  return dj.arr(body).map((x) => {
    const i = dj.obj(x);
    const tags = dj.arr(i.RepoTags).filter((t): t is string => typeof t === 'string' && t !== '<none>:<none>');
    return { id: dj.id(i.Id), created: dj.num(i.Created), size_bytes: dj.num(i.Size), tags: tags.join(',') };
  });
}

/** Generator for osquery's `docker_images` table. */
export const dockerImages: TableImpl = {
  name: 'docker_images',
  generate: (ctx) => dockerImageRows(dockerJson('/images/json', ctx, 'docker_images')),
};
