import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { etcHosts, parseEtcHosts } from './etc_hosts.js';

describe('etc_hosts', () => {
  it('equals the parsed /etc/hosts, entry by entry, and agrees with getent hosts', () => {
    const want = readFileSync('/etc/hosts', 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== '')
      .map((l) => l.split(/\s+/));
    const rows = collectRows(etcHosts);
    expect(rows.map((r) => [r.address, ...String(r.hostnames ?? '').split(' ').filter(Boolean)])).toEqual(want);
    const first = rows.find((r) => r.hostnames);
    if (first) {
      const name = String(first.hostnames).split(' ')[0]!;
      expect(execFileSync('getent', ['hosts', name], { encoding: 'utf8' })).toContain(name);
    }
  });

  it('stops hostnames at a comment and keeps address-only lines', () => {
    expect(parseEtcHosts('# c\n\n10.0.0.1  a b\t#x y\n::1 ip6-localhost\n192.168.0.9\n')).toEqual([
      { address: '10.0.0.1', hostnames: 'a b', pid_with_namespace: 0 },
      { address: '::1', hostnames: 'ip6-localhost', pid_with_namespace: 0 },
      { address: '192.168.0.9', hostnames: null, pid_with_namespace: 0 },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('etc_hosts', parseEtcHosts('1.2.3.4 a\n')[0]!)).toBe('');
  });
});
