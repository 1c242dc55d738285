/** docker_image_layers: the filesystem layers (diff ids) of the local Docker Engine's images, in order. */
import { dj, dockerGet, dockerJson } from '../common/docker-api.js';
import type { Row, TableImpl } from '../../types.js';

/** Rows for one image's inspect document; layer_order counts from 1, the base layer. */
export function dockerImageLayerRows(id: string, body: unknown): Row[] {
  return dj.arr(dj.obj(dj.obj(body).RootFS).Layers).map((layer, i) => ({ id, layer_id: dj.id(layer), layer_order: i + 1 }));
}

/** Generator for osquery's `docker_image_layers` table. */
export const dockerImageLayers: TableImpl = {
  name: 'docker_image_layers',
  *generate(ctx) {
    const ids = ctx.constraint('id') ?? dj.arr(dockerJson('/images/json', ctx, 'docker_image_layers')).map((i) => dj.id(dj.obj(i).Id));
    const answers = dockerGet(ids.map((id) => `/images/sha256:${encodeURIComponent(id.replace(/^sha256:/, ''))}/json`));
    for (let i = 0; i < ids.length; i++) {
      const a = answers[i];
      if ('error' in a || a.status !== 200) continue;
      yield* dockerImageLayerRows(ids[i].replace(/^sha256:/, ''), a.body);
    }
  },
};
