import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { etcProtocols, parseEtcProtocols } from './etc_protocols.js';

describe('etc_protocols', () => {
  it.skipIf(!existsSync('/etc/protocols'))('equals getent protocols (name, number, first alias)', () => {
    const want = execFileSync('getent', ['protocols'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([name, num, alias]) => `${name} ${num} ${alias ?? ''}`.trim());
    expect(collectRows(etcProtocols).map((r) => `${r.name} ${r.number} ${r.alias ?? ''}`.trim())).toEqual(want);
  });

  it('parses alias and comment', () => {
    expect(parseEtcProtocols('ip\t0\tIP\t\t# internet protocol, pseudo protocol number\nbad\n')).toEqual([
      { name: 'ip', number: 0, alias: 'IP', comment: 'internet protocol, pseudo protocol number' },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('etc_protocols', parseEtcProtocols('tcp 6 TCP\n')[0]!)).toBe('');
  });
});
