import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEndpointEngine } from '../../index.js';

const engine = createEndpointEngine();
const dir = mkdtempSync(join(tmpdir(), 'vigil-file-'));
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** GNU stat's view of a path: what osquery's file table reports. */
function gnuStat(path: string, follow: boolean): Record<string, string> {
  const fmt = '%i|%u|%g|%a|%s|%X|%Y|%Z|%h|%F|%o|%W';
  const out = execFileSync('stat', [...(follow ? ['-L'] : []), '-c', fmt, path], { encoding: 'utf8' }).trim().split('|');
  const [inode, uid, gid, mode, size, atime, mtime, ctime, links, type, blockSize, btime] = out as [string, ...string[]];
  return { inode, uid: uid!, gid: gid!, mode: mode!.padStart(4, '0'), size: size!, atime: atime!, mtime: mtime!, ctime: ctime!, hard_links: links!, type: type!, block_size: blockSize!, btime: btime! };
}

const TYPES: Record<string, string> = { 'regular file': 'regular', 'regular empty file': 'regular', directory: 'directory', 'character special file': 'character' };

describe('file', () => {
  it('equals stat(1) for a regular file, a directory, a device and a symlink', () => {
    writeFileSync(join(dir, 'data.txt'), 'hello\n');
    chmodSync(join(dir, 'data.txt'), 0o4755);
    symlinkSync(join(dir, 'data.txt'), join(dir, 'link'));
    for (const path of [join(dir, 'data.txt'), dir, '/dev/null', join(dir, 'link')]) {
      const [row] = engine.all(`select * from file where path = '${path}'`);
      expect(row, path).toBeDefined();
      const want = gnuStat(path, true);
      expect(String(row!.inode)).toBe(want.inode);
      expect(String(row!.uid)).toBe(want.uid);
      expect(String(row!.gid)).toBe(want.gid);
      expect(row!.mode).toBe(want.mode);
      expect(String(row!.size)).toBe(want.size);
      expect(String(row!.mtime)).toBe(want.mtime);
      expect(String(row!.ctime)).toBe(want.ctime);
      expect(String(row!.hard_links)).toBe(want.hard_links);
      expect(String(row!.block_size)).toBe(want.block_size);
      expect(row!.type).toBe(TYPES[want.type!]);
      if (want.btime !== '0') expect(String(row!.btime)).toBe(want.btime);
      expect(row!.symlink).toBe(path.endsWith('link') ? 1n : 0n);
    }
    const [link] = engine.all(`select symlink_target_path, filename, directory from file where path = '${join(dir, 'link')}'`);
    expect(link).toEqual({ symlink_target_path: join(dir, 'data.txt'), filename: 'link', directory: dir });
  });

  it('lists a directory given by directory = and keeps the directory as written', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a'), '');
    writeFileSync(join(dir, 'sub', 'b'), '');
    const rows = engine.all(`select path, directory, filename from file where directory = '${dir}/sub/' order by path`);
    expect(rows).toEqual([
      { path: `${dir}/sub/a`, directory: `${dir}/sub/`, filename: 'a' },
      { path: `${dir}/sub/b`, directory: `${dir}/sub/`, filename: 'b' },
    ]);
  });

  it('returns no row, and no error, for a path that does not exist', () => {
    expect(engine.all(`select * from file where path = '${dir}/missing'`)).toEqual([]);
  });

  it('describes a dangling symlink by the link itself, type unknown as osquery does', () => {
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(engine.all(`select symlink, type, symlink_target_path from file where path = '${dir}/dangling'`)).toEqual([
      { symlink: 1n, type: 'unknown', symlink_target_path: join(dir, 'nowhere') },
    ]);
  });

  it('follows a symlinked directory under %% but ends a symlink cycle', () => {
    mkdirSync(join(dir, 'cycle'));
    symlinkSync(join(dir, 'cycle'), join(dir, 'cycle', 'self'));
    const rows = engine.all(`select path from file where path like '${dir}/cycle/%%'`);
    expect(rows.map((r) => r.path)).toEqual([`${dir}/cycle/self/`]);
  });

  it('skips hidden entries under a wildcard, as osquery\'s glob does, but finds them by name', () => {
    writeFileSync(join(dir, '.secret'), 'x');
    expect(engine.all(`select path from file where path like '${dir}/%' and filename = '.secret'`)).toEqual([]);
    expect(engine.all(`select path from file where path like '${dir}/.secret'`)).toEqual([{ path: `${dir}/.secret` }]);
  });
});
