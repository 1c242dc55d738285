import { AppError } from '../../../core/errors.js';

/** An image reference, by transport, named as skopeo (containers/image) names them. */
export type ImageReference =
  | { readonly transport: 'oci'; readonly path: string; readonly tag?: string }
  | { readonly transport: 'oci-archive'; readonly path: string; readonly tag?: string }
  | { readonly transport: 'docker-archive'; readonly path: string; readonly ref?: string }
  | { readonly transport: 'dir'; readonly path: string }
  | {
      readonly transport: 'docker';
      /** Registry host as written (docker.io for Docker Hub names). */
      readonly host: string;
      readonly repository: string;
      readonly tag?: string;
      readonly digest?: string;
    };

const TRANSPORTS = ['oci', 'oci-archive', 'docker-archive', 'dir', 'docker'] as const;

function invalid(input: string, why: string): AppError {
  return new AppError(
    'IMG_REFERENCE_INVALID',
    `image reference ${JSON.stringify(input)}: ${why}; expected oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:ROOTFS or docker://HOST/REPO[:TAG|@DIGEST]`,
    { details: { reference: input } },
  );
}

/** Splits `PATH[:EXTRA]` at the first colon, as containers/image does for path transports. */
function splitPath(rest: string): [string, string | undefined] {
  const i = rest.indexOf(':');
  return i < 0 ? [rest, undefined] : [rest.slice(0, i), rest.slice(i + 1)];
}

const REPO_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

function parseDocker(input: string, rest: string): ImageReference {
  if (!rest.startsWith('//')) throw invalid(input, 'docker: must be followed by //');
  let name = rest.slice(2);
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `bad digest ${JSON.stringify(digest)}`);
  }
  let tag: string | undefined;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, `bad tag ${JSON.stringify(tag)}`);
  }
  const parts = name.split('/');
  let host = 'docker.io';
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    parts.shift();
  }
  if (host === 'docker.io' && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || parts.some((p) => !REPO_COMPONENT.test(p))) {
    throw invalid(input, `bad repository name ${JSON.stringify(parts.join('/'))} (lowercase letters, digits, . _ - separated by /)`);
  }
  return {
    transport: 'docker',
    host,
    repository: parts.join('/'),
    ...(tag === undefined && digest === undefined ? { tag: 'latest' } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * Parses an image reference written like skopeo's: `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`,
 * `docker-archive:FILE[:REPO:TAG|@INDEX]`, `dir:ROOTFS`, `docker://[HOST/]REPO[:TAG|@DIGEST]`.
 *
 * @example
 * parseImageReference('docker://127.0.0.1:5000/test:1');
 * // { transport: 'docker', host: '127.0.0.1:5000', repository: 'test', tag: '1' }
 */
export function parseImageReference(input: string): ImageReference {
  const i = input.indexOf(':');
  if (i <= 0) throw invalid(input, 'no transport');
  const transport = input.slice(0, i);
  const rest = input.slice(i + 1);
  if (!(TRANSPORTS as readonly string[]).includes(transport)) throw invalid(input, `unknown transport ${JSON.stringify(transport)}`);
  if (transport === 'docker') return parseDocker(input, rest);
  if (rest.length === 0) throw invalid(input, 'no path');
  if (transport === 'dir') return { transport: 'dir', path: rest };
  const [path, extra] = splitPath(rest);
  if (path.length === 0) throw invalid(input, 'no path');
  if (extra !== undefined && extra.length === 0) throw invalid(input, 'empty tag after the path');
  if (transport === 'docker-archive') return extra === undefined ? { transport, path } : { transport, path, ref: extra };
  return extra === undefined
    ? { transport: transport as 'oci' | 'oci-archive', path }
    : { transport: transport as 'oci' | 'oci-archive', path, tag: extra };
}

/** Writes a reference back in the form parseImageReference reads. */
export function formatImageReference(ref: ImageReference): string {
  switch (ref.transport) {
    case 'docker':
      return `docker://${ref.host}/${ref.repository}${ref.tag !== undefined && ref.digest === undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
    case 'dir':
      return `dir:${ref.path}`;
    case 'docker-archive':
      return `docker-archive:${ref.path}${ref.ref !== undefined ? `:${ref.ref}` : ''}`;
    default:
      return `${ref.transport}:${ref.path}${ref.tag !== undefined ? `:${ref.tag}` : ''}`;
  }
}
