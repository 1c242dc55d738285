import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { kernelModules, parseModules } from './kernel_modules.js';

const FIXTURE = `nf_nat 49152 2 xt_nat,nft_chain_nat, Live 0xffffffffc0a3e000
ext4 1003520 1 - Live 0xffffffffc0600000
bad line
vboxdrv 565248 3 vboxnetadp,vboxnetflt, Loading 0x0000000000000000 (OE)
`;

describe('kernel_modules', () => {
  it('equals /proc/modules, or is empty without module support', () => {
    const rows = collectRows(kernelModules);
    if (!existsSync('/proc/modules')) {
      expect(rows).toEqual([]);
      return;
    }
    const want = readFileSync('/proc/modules', 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
    expect(rows.map((r) => r.name)).toEqual(want);
  });

  it('parses module lines like osquery', () => {
    expect(parseModules(FIXTURE)).toEqual([
      { name: 'nf_nat', size: 49152, used_by: 'xt_nat,nft_chain_nat', status: 'Live', address: '0xffffffffc0a3e000' },
      { name: 'ext4', size: 1003520, used_by: '-', status: 'Live', address: '0xffffffffc0600000' },
      { name: 'vboxdrv', size: 565248, used_by: 'vboxnetadp,vboxnetflt', status: 'Loading', address: '0x0000000000000000' },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('kernel_modules', parseModules(FIXTURE)[0]!)).toBe('');
  });
});
