import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.js';
import { formatImageReference, parseImageReference } from './reference.js';

describe('parseImageReference', () => {
  it('reads every transport skopeo users know', () => {
    expect(parseImageReference('oci:/imgs/oci:bookworm')).toEqual({ transport: 'oci', path: '/imgs/oci', tag: 'bookworm' });
    expect(parseImageReference('oci:/imgs/oci')).toEqual({ transport: 'oci', path: '/imgs/oci' });
    expect(parseImageReference('oci-archive:a.tar:v1')).toEqual({ transport: 'oci-archive', path: 'a.tar', tag: 'v1' });
    expect(parseImageReference('docker-archive:b.tar:test/bookworm:1')).toEqual({ transport: 'docker-archive', path: 'b.tar', ref: 'test/bookworm:1' });
    expect(parseImageReference('dir:/srv/root:fs')).toEqual({ transport: 'dir', path: '/srv/root:fs' });
    expect(parseImageReference('docker://127.0.0.1:5000/test:1')).toEqual({ transport: 'docker', host: '127.0.0.1:5000', repository: 'test', tag: '1' });
  });

  it('expands Docker Hub short names as docker does', () => {
    expect(parseImageReference('docker://alpine')).toEqual({ transport: 'docker', host: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    expect(parseImageReference('docker://bitnami/redis:7')).toEqual({ transport: 'docker', host: 'docker.io', repository: 'bitnami/redis', tag: '7' });
  });

  it('keeps a digest and a tag when both are given', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    expect(parseImageReference(`docker://localhost:5000/a/b:1@${d}`)).toEqual({ transport: 'docker', host: 'localhost:5000', repository: 'a/b', tag: '1', digest: d });
  });

  it.each(['', 'bookworm', 'foo:bar', 'oci:', 'docker:/x', 'docker://UPPER/case', 'docker://h.io/r:bad tag', 'docker://h.io/r@sha256:zz', 'oci:dir:'])(
    'refuses %j with IMG_REFERENCE_INVALID',
    (ref) => {
      try {
        parseImageReference(ref);
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('IMG_REFERENCE_INVALID');
      }
    },
  );

  it('formats references back to what it parsed', () => {
    for (const r of ['oci:/x:t', 'oci-archive:/a.tar', 'docker-archive:/b.tar:r/x:1', 'dir:/srv', 'docker://127.0.0.1:5000/test:1']) {
      expect(formatImageReference(parseImageReference(r))).toBe(r);
    }
  });
});
