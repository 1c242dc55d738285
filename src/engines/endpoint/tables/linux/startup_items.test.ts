import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parseDesktopEntry, startupItems } from './startup_items.js';

function list(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).sort();
  } catch {
    return [];
  }
}

describe('startup_items', () => {
  it('lists every script in /etc/init.d and every entry in /etc/xdg/autostart', () => {
    const rows = collectRows(startupItems);
    expect(rows.filter((r) => r.source === '/etc/init.d/').map((r) => r.name)).toEqual(list('/etc/init.d'));
    const xdg = rows.filter((r) => r.source === '/etc/xdg/autostart/');
    expect(xdg.length).toBe(list('/etc/xdg/autostart').length);
    for (const [i, f] of list('/etc/xdg/autostart').entries()) {
      const name = /^Name=(.*)$/m.exec(readFileSync(join('/etc/xdg/autostart', f), 'utf8'))?.[1]?.trim() ?? null;
      expect(xdg[i]!.name).toBe(name);
    }
  });

  it('reads Name and Exec from the main desktop entry', () => {
    expect(parseDesktopEntry('[Desktop Entry]\nName[de]=X\nName=Foo\nExec=/usr/bin/foo --a=b\n[Desktop Action n]\nName=Other\nExec=/x\n')).toEqual({
      name: 'Foo',
      exec: '/usr/bin/foo --a=b',
    });
  });

  it.skipIf(schemaMissing)('has exactly osquery columns', () => {
    const [row] = collectRows(startupItems);
    if (row) expect(columnMismatch('startup_items', row)).toBe('');
  });
});
