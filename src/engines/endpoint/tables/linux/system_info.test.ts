import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { canonicalHostName, parseCpuInfo, systemInfo } from './system_info.js';

describe('system_info', () => {
  it('agrees with hostname, nproc, uname -m and /proc/meminfo', () => {
    const [row] = collectRows(systemInfo);
    expect(row!.computer_name).toBe(execFileSync('hostname', { encoding: 'utf8' }).trim());
    expect(row!.hostname).toBe(canonicalHostName(String(row!.computer_name), readFileSync('/etc/hosts', 'utf8')));
    expect(row!.cpu_logical_cores).toBe(Number(execFileSync('nproc', ['--all'], { encoding: 'utf8' })));
    expect(row!.cpu_type).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
    const memKb = Number(/MemTotal:\s+(\d+)/.exec(execFileSync('cat', ['/proc/meminfo'], { encoding: 'utf8' }))![1]);
    expect(row!.physical_memory).toBe(memKb * 1024);
  });

  it('takes the canonical name from the hosts line that lists the host', () => {
    expect(canonicalHostName('web1', '127.0.0.1 localhost\n127.0.1.1 web1.example.com web1 # me\n')).toBe('web1.example.com');
    expect(canonicalHostName('db', '127.0.0.1 localhost\n')).toBe('db');
  });

  it('counts physical cores by distinct physical and core ids', () => {
    const cpu = (p: number, c: number) => `processor\t: ${p}\nmodel\t\t: 85\nmodel name\t: Xeon\nmicrocode\t: 0x5\nphysical id\t: 0\ncore id\t\t: ${c}\n\n`;
    expect(parseCpuInfo(cpu(0, 0) + cpu(1, 0) + cpu(2, 1) + cpu(3, 1))).toEqual({ brand: 'Xeon', subtype: '85', microcode: '0x5', physicalCores: 2, sockets: 1 });
    expect(parseCpuInfo('processor\t: 0\n\nprocessor\t: 1\n').physicalCores).toBe(2);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('system_info', collectRows(systemInfo)[0]!)).toBe('');
  });
});
