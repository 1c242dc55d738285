import { release } from 'node:os';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { kernelInfo, parseKernelCmdline } from './kernel_info.js';

describe('kernel_info', () => {
  it('reports the release uname gives and the boot arguments', () => {
    const rows = collectRows(kernelInfo);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(release());
    const cmd = readFileSync('/proc/cmdline', 'utf8').trim();
    if (!cmd.includes('BOOT_IMAGE=') && !cmd.includes('root=')) expect(rows[0]!.arguments).toBe(cmd);
  });

  it('takes path and device out of the arguments', () => {
    expect(parseKernelCmdline('BOOT_IMAGE=/boot/vmlinuz-6.1 root=/dev/sda1 ro quiet\n')).toEqual({
      path: '/boot/vmlinuz-6.1',
      device: '/dev/sda1',
      arguments: 'ro quiet',
    });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('kernel_info', collectRows(kernelInfo)[0]!)).toBe('');
  });
});
