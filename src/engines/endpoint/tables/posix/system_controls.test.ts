import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseSysctlConf, readSysctlConfig, systemControls } from './system_controls.js';

describe('system_controls', () => {
  it('reads one control through a name constraint, equal to /proc/sys', () => {
    const rows = collectRows(systemControls, { constraints: { name: ['kernel.ostype'] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'kernel.ostype', subsystem: 'kernel', type: 'string' });
    expect(rows[0].current_value).toBe(readFileSync('/proc/sys/kernel/ostype', 'utf8').trim());
  });

  it('lists every file under /proc/sys (the kernel, vm and fs trees, which other tests do not change)', () => {
    const stable = (n: string) => /^(kernel|vm|fs)\./.test(n);
    const want = execFileSync('find', ['/proc/sys/kernel', '/proc/sys/vm', '/proc/sys/fs', '-type', 'f'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((p) => p.slice('/proc/sys/'.length).replace(/\//g, '.'))
      .sort();
    const got = collectRows(systemControls).map((r) => String(r.name)).filter(stable).sort();
    expect(got).toEqual(want);
  });

  it('parses sysctl.conf with slashes, spaces and ignore-error prefixes', () => {
    const m = parseSysctlConf('# c\n; c\nnet/ipv4/ip_forward=1\n -kernel.sysrq = 16 \nbad line\n');
    expect([...m]).toEqual([
      ['net.ipv4.ip_forward', '1'],
      ['kernel.sysrq', '16'],
    ]);
  });

  it('yields nothing for an unknown or escaping name', () => {
    expect(collectRows(systemControls, { constraints: { name: ['no.such.control', '..'] } })).toEqual([]);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('system_controls', collectRows(systemControls, { constraints: { name: ['kernel.ostype'] } })[0])).toBe('');
  });
});

describe('system_controls configuration', () => {
  it('applies sysctl.d files in name order, the first directory winning a name, then sysctl.conf', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-sysctl-'));
    const etc = join(root, 'etc');
    const lib = join(root, 'lib');
    mkdirSync(etc);
    mkdirSync(lib);
    writeFileSync(join(lib, '10-a.conf'), 'a = lib\nb = lib\n');
    writeFileSync(join(etc, '10-a.conf'), 'a = etc\n');
    writeFileSync(join(lib, '20-b.conf'), 'b = later\nc = lib\n');
    writeFileSync(join(root, 'sysctl.conf'), 'c = main\n');
    const config = readSysctlConfig([etc, lib], join(root, 'sysctl.conf'));
    expect(Object.fromEntries(config)).toEqual({ a: 'etc', b: 'later', c: 'main' });
    rmSync(root, { recursive: true, force: true });
  });
});
