import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { formatCmdline, processes } from './processes.js';

describe('processes', () => {
  let child: ChildProcess;
  beforeAll(async () => {
    child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => {
    child.kill();
  });

  it('holds the test own pid with the right parent and uid when filtered by pid', () => {
    const rows = collectRows(processes, { constraints: { pid: [String(process.pid)] } });
    expect(rows).toHaveLength(1);
    const me = rows[0]!;
    expect(me.pid).toBe(process.pid);
    expect(me.parent).toBe(process.ppid);
    expect(me.uid).toBe(process.getuid!());
    expect(me.euid).toBe(process.geteuid!());
    expect(me.gid).toBe(process.getgid!());
    expect(me.path).toBe(process.execPath);
    expect(me.on_disk).toBe(1);
    expect(me.cwd).toBe(process.cwd());
    expect(me.cmdline).toContain(process.argv[1] ?? '');
    expect(Number(me.resident_size)).toBeGreaterThan(0);
    expect(Math.abs(Number(me.start_time) - (Date.now() / 1000 - process.uptime()))).toBeLessThan(5);
  });

  it('reports a child with its exact cmdline, name and parent', () => {
    const rows = collectRows(processes, { constraints: { pid: [String(child.pid)] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ pid: child.pid, parent: process.pid, name: 'sleep', cmdline: 'sleep 30' });
    expect(String(rows[0]!.path)).toMatch(/\/sleep$/);
  });

  it('agrees with ps on memory and start time of a child', () => {
    const [row] = collectRows(processes, { constraints: { pid: [String(child.pid)] } });
    const [rss, vsz, etimes] = execFileSync('ps', ['-o', 'rss=,vsz=,etimes=', '-p', String(child.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    expect(row!.resident_size).toBe(rss! * 1024);
    expect(row!.total_size).toBe(vsz! * 1024);
    expect(Math.abs(Number(row!.start_time) - (Math.floor(Date.now() / 1000) - etimes!))).toBeLessThanOrEqual(2);
  });

  it('lists pid 1 and the test process when unconstrained', () => {
    const pids = collectRows(processes).map((r) => r.pid);
    expect(pids).toContain(1);
    expect(pids).toContain(process.pid);
  });

  it('yields nothing for a pid that does not exist', () => {
    expect(collectRows(processes, { constraints: { pid: ['999999999'] } })).toEqual([]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(processes, { constraints: { pid: ['1'] } });
    expect(columnMismatch('processes', row!)).toBe('');
  });

  it('joins cmdline arguments with spaces', () => {
    expect(formatCmdline(Buffer.from('a\0b c\0\0'))).toBe('a b c');
  });
});
