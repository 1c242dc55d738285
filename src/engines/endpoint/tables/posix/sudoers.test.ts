import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseSudoers, sudoers, sudoersRowsFrom } from './sudoers.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sudoers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sudoers', () => {
  it('parses rules and include directives and drops comments', () => {
    expect(parseSudoers('# comment\n\nDefaults  env_reset\nroot ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n@include other\n')).toEqual([
      { kind: 'rule', header: 'Defaults', details: 'env_reset' },
      { kind: 'rule', header: 'root', details: 'ALL=(ALL:ALL) ALL' },
      { kind: 'includedir', path: '/etc/sudoers.d' },
      { kind: 'include', path: 'other' },
    ]);
  });

  it('follows includes and skips includedir files with a dot or a trailing tilde', () => {
    const d = join(dir, 'sudoers.d');
    mkdirSync(d);
    writeFileSync(join(d, 'admins'), '%admin ALL=(ALL) NOPASSWD: ALL\n');
    writeFileSync(join(d, 'skip.bak'), 'nobody ALL=ALL\n');
    writeFileSync(join(d, 'skip~'), 'nobody ALL=ALL\n');
    writeFileSync(join(dir, 'extra'), 'alice ALL=/usr/bin/true\n');
    const main = join(dir, 'sudoers');
    writeFileSync(main, `root ALL=(ALL:ALL) ALL\n#include extra\n#includedir ${d}\n`);
    const ctx = createTestContext();
    const rows = [...sudoersRowsFrom(main, ctx)];
    expect(rows).toEqual([
      { source: main, header: 'root', rule_details: 'ALL=(ALL:ALL) ALL' },
      { source: main, header: 'include', rule_details: join(dir, 'extra') },
      { source: join(dir, 'extra'), header: 'alice', rule_details: 'ALL=/usr/bin/true' },
      { source: main, header: 'includedir', rule_details: d },
      { source: join(d, 'admins'), header: '%admin', rule_details: 'ALL=(ALL) NOPASSWD: ALL' },
    ]);
    expect(ctx.warnings).toEqual([]);
  });

  it('warns once and stops on an include cycle', () => {
    const a = join(dir, 'cycle');
    writeFileSync(a, `#include ${a}\n`);
    const ctx = createTestContext();
    expect([...sudoersRowsFrom(a, ctx)]).toHaveLength(1);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('reads /etc/sudoers when it exists and yields nothing otherwise', () => {
    const rows = collectRows(sudoers);
    if (!existsSync('/etc/sudoers')) expect(rows).toEqual([]);
    else expect(rows.every((r) => typeof r.source === 'string')).toBe(true);
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    expect(columnMismatch('sudoers', { source: '', header: '', rule_details: '' })).toBe('');
  });
});
