/** lxd_images: images in the LXD image store. */
import { dj } from '../common/docker-api.js';
import { lxdGet } from '../common/lxd-api.js';
import type { Row, TableImpl } from '../../types.js';

/** The row for an image object. */
export function lxdImageRow(image: unknown): Row {
  const i = dj.obj(image);
  const props = dj.obj(i.properties);
  const src = dj.obj(i.update_source);
  return {
    id: dj.str(i.fingerprint),
    architecture: dj.str(i.architecture),
    os: dj.str(props.os),
    release: dj.str(props.release),
    description: dj.str(props.description),
    aliases: dj.arr(i.aliases).map((a) => dj.str(dj.obj(a).name)).join(','),
    filename: dj.str(i.filename),
    size: dj.num(i.size),
    auto_update: dj.bool(i.auto_update),
    cached: dj.bool(i.cached),
    public: dj.bool(i.public),
    created_at: dj.str(i.created_at),
    expires_at: dj.str(i.expires_at),
    uploaded_at: dj.str(i.uploaded_at),
    last_used_at: dj.str(i.last_used_at),
    update_source_server: dj.str(src.server),
    update_source_protocol: dj.str(src.protocol),
    update_source_certificate: dj.str(src.certificate),
    update_source_alias: dj.str(src.alias),
  };
}

/** Generator for osquery's `lxd_images` table. */
export const lxdImages: TableImpl = {
  name: 'lxd_images',
  *generate(ctx) {
    const pinned = ctx.constraint('id');
    if (pinned) {
      for (const image of lxdGet(pinned.map((id) => `/1.0/images/${encodeURIComponent(id)}`), ctx, 'lxd_images')) if (image !== undefined) yield lxdImageRow(image);
      return;
    }
    yield* dj.arr(lxdGet(['/1.0/images?recursion=1'], ctx, 'lxd_images')[0]).map(lxdImageRow);
  },
};
