import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { etcServices, parseEtcServices } from './etc_services.js';

describe('etc_services', () => {
  it.skipIf(!existsSync('/etc/services'))('equals getent services (name, port, protocol, aliases)', () => {
    const want = execFileSync('getent', ['services'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([name, pp, ...aliases]) => `${name} ${pp} ${aliases.join(' ')}`.trim());
    const got = collectRows(etcServices).map((r) => `${r.name} ${r.port}/${r.protocol} ${r.aliases}`.trim());
    expect(got).toEqual(want);
  });

  it('parses aliases and comments', () => {
    expect(parseEtcServices('# x\nhttp\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\nbad 1\nx 5/udp a b\n')).toEqual([
      { name: 'http', port: 80, protocol: 'tcp', aliases: 'www', comment: 'WorldWideWeb HTTP' },
      { name: 'x', port: 5, protocol: 'udp', aliases: 'a b', comment: null },
    ]);
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    expect(columnMismatch('etc_services', parseEtcServices('ssh 22/tcp\n')[0]!)).toBe('');
  });
});
