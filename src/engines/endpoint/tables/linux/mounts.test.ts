import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { mounts, parseMounts } from './mounts.js';

describe('mounts', () => {
  it('lists what findmnt lists, with the sizes df reports for /', () => {
    const want = execFileSync('findmnt', ['-rn', '-o', 'TARGET', '--kernel'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((t) => t.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    const rows = collectRows(mounts);
    expect(new Set(rows.map((r) => r.path))).toEqual(new Set(want));
    const root = rows.filter((r) => r.path === '/').at(-1)!;
    const [size, blocks] = execFileSync('stat', ['-f', '-c', '%S %b', '/'], { encoding: 'utf8' }).trim().split(' ').map(Number);
    expect(root.blocks_size).toBe(size);
    expect(root.blocks).toBe(blocks);
  });

  it('unescapes octal sequences in paths', () => {
    expect(parseMounts('a /x\\040y\\011z tmpfs rw 0 0\nshort\n')).toEqual([{ device: 'a', path: '/x y\tz', type: 'tmpfs', flags: 'rw' }]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('mounts', collectRows(mounts)[0]!)).toBe('');
  });
});
