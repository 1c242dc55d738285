import { describe, expect, it } from 'vitest';
import type { CellValue } from '../types.js';
import { createTestContext } from './common/test-context.js';
import { columnMismatch, osqueryColumnTypes, osqueryColumns, schemaMissing } from './common/testdata/osquery-columns.js';
import { tablesA } from './list-a.js';

function fits(type: string, v: CellValue): boolean {
  if (v === null) return true;
  switch (type) {
    case 'INTEGER':
    case 'BIGINT':
    case 'UNSIGNED_BIGINT':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'DOUBLE':
      return typeof v === 'number';
    default:
      return typeof v === 'string';
  }
}

describe('table batch A', () => {
  it('is sorted by name without duplicates', () => {
    const names = tablesA.map((t) => t.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  describe.skipIf(schemaMissing)('conformance with osquery schemas on this machine', () => {
    for (const table of tablesA) {
      it(`${table.name}: rows have exactly osquery columns with values of the column types`, () => {
        expect(osqueryColumns(table.name).length).toBeGreaterThan(0);
        const types = osqueryColumnTypes(table.name);
        const ctx = createTestContext();
        let n = 0;
        for (const row of table.generate(ctx)) {
          expect(columnMismatch(table.name, row), JSON.stringify(row)).toBe('');
          for (const [col, v] of Object.entries(row)) expect(fits(types.get(col)!, v), `${table.name}.${col} = ${String(v)}`).toBe(true);
          if (++n >= 200) break;
        }
      });
    }
  });

  it('stops generating when the query is cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    const processes = tablesA.find((t) => t.name === 'processes')!;
    expect([...processes.generate(createTestContext({ signal: ac.signal }))]).toEqual([]);
  });
});

describe('batch A and batch B', () => {
  it('implement disjoint sets of tables (the registry refuses a table implemented twice)', async () => {
    const { tablesB } = await import('./list-b.js');
    const a = new Set(tablesA.map((t) => t.name));
    expect(tablesB.map((t) => t.name).filter((n) => a.has(n))).toEqual([]);
  });
});

describe('batch A text parsers under random and mutated input', async () => {
  const { parseDeb822 } = await import('./common/dpkg.js');
  const { parsePasswd, parseGroup, parseShadow } = await import('./common/passwd.js');
  const { parseProcStat, parseProcStatus, parseMaps, parseEnviron, parseProcIo, parseCgroupPath } = await import('./common/proc.js');
  const { debRowsFromStatus } = await import('./linux/deb_packages.js');
  const { parseModules } = await import('./linux/kernel_modules.js');
  const { parseKernelCmdline } = await import('./linux/kernel_info.js');
  const { applyOsRelease } = await import('./linux/os_version.js');
  const { parseMounts } = await import('./linux/mounts.js');
  const { parseSourcesList, parseDeb822Sources, parseReleaseHeader } = await import('./linux/apt_sources.js');
  const { parseSystemctlShow, parseListJobs } = await import('./linux/systemd_units.js');
  const { parseKernelKeys } = await import('./linux/kernel_keys.js');
  const { parseIni } = await import('./linux/yum_sources.js');
  const { keywordRows } = await import('./linux/portage_keywords.js');
  const { parseDesktopEntry } = await import('./linux/startup_items.js');
  const { parseEtcHosts } = await import('./posix/etc_hosts.js');
  const { parseEtcServices } = await import('./posix/etc_services.js');
  const { parseEtcProtocols } = await import('./posix/etc_protocols.js');
  const { parseResolvConf } = await import('./posix/dns_resolvers.js');
  const { parseCrontab } = await import('./posix/crontab.js');
  const { parseShellHistory } = await import('./posix/shell_history.js');
  const { parseAuthorizedKeys } = await import('./posix/authorized_keys.js');

  const parsers: [string, (t: string) => unknown][] = [
    ['deb822', parseDeb822],
    ['dpkg status', (t) => debRowsFromStatus(t, '/x')],
    ['passwd', (t) => parsePasswd(t)],
    ['group', (t) => parseGroup(t)],
    ['shadow', (t) => parseShadow(t)],
    ['proc stat', parseProcStat],
    ['proc status', parseProcStatus],
    ['maps', parseMaps],
    ['environ', (t) => parseEnviron(Buffer.from(t))],
    ['io', parseProcIo],
    ['cgroup', parseCgroupPath],
    ['modules', parseModules],
    ['kernel cmdline', parseKernelCmdline],
    ['os-release', (t) => applyOsRelease({}, t)],
    ['mounts', parseMounts],
    ['sources.list', parseSourcesList],
    ['deb822 sources', parseDeb822Sources],
    ['Release', parseReleaseHeader],
    ['systemctl show', parseSystemctlShow],
    ['list-jobs', parseListJobs],
    ['keys', parseKernelKeys],
    ['ini', parseIni],
    ['portage keywords', (t) => keywordRows(t, t, t)],
    ['desktop entry', parseDesktopEntry],
    ['hosts', parseEtcHosts],
    ['services', parseEtcServices],
    ['protocols', parseEtcProtocols],
    ['resolv.conf', (t) => parseResolvConf(t, 'h.example')],
    ['crontab', (t) => parseCrontab(t, '/p')],
    ['shell history', (t) => parseShellHistory(t, 0, '/p')],
    ['authorized_keys', (t) => parseAuthorizedKeys(t, 0, '/p')],
  ];
  const SEEDS = [
    'Package: a\nStatus: install ok installed\nVersion: 1-2\n\n',
    'root:x:0:0:root:/root:/bin/bash\n',
    '1 (a b) S 0 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 0 0\n',
    'ssh 22/tcp # c\n',
    'from="x" ssh-ed25519 AAAA c\n',
    '[main]\na=b\n[r]\nbaseurl=x\n',
    '*/5 * * * * root cmd\n@reboot x\n',
    'deb [arch=amd64] http://h/d s main\n',
  ];
  const ALPHABET = ' \t\n:=#/[]()"\'\\@.,-_*0123456789abcxyzABC\u0000\u00e9\ufffd';

  it('never throws', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      let text: string;
      if (i % 3 === 0) {
        text = Array.from({ length: rnd(300) }, () => ALPHABET[rnd(ALPHABET.length)]).join('');
      } else {
        const chars = [...SEEDS[rnd(SEEDS.length)]!.repeat(1 + rnd(3))];
        for (let k = 0; k < 1 + rnd(8); k++) chars[rnd(chars.length)] = ALPHABET[rnd(ALPHABET.length)]!;
        text = chars.join('');
      }
      for (const [name, parse] of parsers) expect(() => parse(text), `${name}: ${JSON.stringify(text)}`).not.toThrow();
    }
  });
});
