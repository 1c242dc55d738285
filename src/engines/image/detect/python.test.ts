import { describe, expect, it } from 'vitest';
import { python } from './python.js';

describe('python detector', () => {
  it('reads Name and Version from METADATA and PKG-INFO headers only', () => {
    const meta = 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\nSummary: x\n\nName: not-this\n';
    const r = python.detect('usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA', Buffer.from(meta), {});
    expect(r.packages).toEqual([{ ecosystem: 'pypi', name: 'Jinja2', version: '3.1.2', purl: 'pkg:pypi/jinja2@3.1.2' }]);
    expect(python.accepts('usr/lib/python3.11/site-packages/six-1.16.0.egg-info/PKG-INFO')).toBe(true);
    expect(python.accepts('usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info')).toBe(true);
    expect(python.accepts('usr/lib/python3/dist-packages/foo.dist-info/RECORD')).toBe(false);
  });

  it('reports metadata without a version', () => {
    expect(python.detect('x.dist-info/METADATA', Buffer.from('Name: a\n'), {}).problems).toEqual(['x.dist-info/METADATA: no Name or Version header; skipped']);
  });
});
