import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEndpointEngine } from '../../index.js';

const engine = createEndpointEngine();
const dir = mkdtempSync(join(tmpdir(), 'vigil-hash-'));
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const sum = (tool: string, path: string): string => execFileSync(tool, [path], { encoding: 'utf8' }).split(' ')[0]!;

describe('hash', () => {
  it('equals md5sum, sha1sum and sha256sum, including a file larger than one read chunk', () => {
    const big = join(dir, 'big.bin');
    const bytes = Buffer.alloc(3 * (1 << 20) + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
    writeFileSync(big, bytes);
    writeFileSync(join(dir, 'empty'), '');
    for (const path of [big, join(dir, 'empty'), '/etc/passwd']) {
      const [row] = engine.all(`select md5, sha1, sha256 from hash where path = '${path}'`);
      expect(row, path).toEqual({ md5: sum('md5sum', path), sha1: sum('sha1sum', path), sha256: sum('sha256sum', path) });
    }
  });

  it('equals sha256sum over a whole directory, for regular files only', () => {
    const rows = engine.all(`select path, sha256 from hash where directory = '/etc/ssl/certs' limit 20`);
    for (const r of rows) expect(r.sha256, String(r.path)).toBe(sum('sha256sum', String(r.path)));
    expect(engine.all(`select * from hash where path = '/etc'`)).toEqual([]);
  });

  // Root reads every file, so there is nothing unreadable to test with.
  it.skipIf(process.getuid?.() === 0)('warns once and gives no digest for a file it cannot read (skipped as root)', () => {
    const warnings: string[] = [];
    const rows = engine.all(`select sha256 from hash where path = '/etc/shadow'`, { onWarning: (m) => warnings.push(m) });
    expect(rows).toEqual([{ sha256: null }]);
    expect(warnings).toHaveLength(1);
  });
});
