import { describe, expect, it } from 'vitest';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { portageUseRows } from './portage_use.js';

describe('portage_use', () => {
  it('has one row per USE flag', () => {
    expect(portageUseRows('/var/db/pkg/app-shells/bash-5.2', '/var/db/pkg', 'abi_x86_64 amd64 net readline\n')).toEqual([
      { package: 'app-shells/bash', version: '5.2', use: 'abi_x86_64' },
      { package: 'app-shells/bash', version: '5.2', use: 'amd64' },
      { package: 'app-shells/bash', version: '5.2', use: 'net' },
      { package: 'app-shells/bash', version: '5.2', use: 'readline' },
    ]);
    expect(portageUseRows('/var/db/pkg/a/b-1', '/var/db/pkg', '\n')).toEqual([]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('portage_use', portageUseRows('/d/a/b-1', '/d', 'x')[0]!)).toBe('');
  });
});
