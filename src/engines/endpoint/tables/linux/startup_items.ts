import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryContext, Row, TableImpl } from '../../types.js';
import { readPasswd } from '../common/passwd.js';
import { readOptionalText } from '../common/text-table.js';
import { loadedUnits } from './systemd_units.js';

export const SYSTEM_SCRIPT_DIRS = ['/etc/init.d/'];
export const SYSTEM_ITEM_DIRS = ['/etc/xdg/autostart/'];

/**
 * Name= and Exec= of a desktop entry (the first of each, so the [Desktop Entry] group wins over
 * actions), as osquery reads XDG autostart files.
 *
 * @example
 * parseDesktopEntry('[Desktop Entry]\nName=Foo\nExec=/usr/bin/foo --bar\n') // { name: 'Foo', exec: '/usr/bin/foo --bar' }
 */
export function parseDesktopEntry(text: string): { name: string | null; exec: string | null } {
  let name: string | null = null;
  let exec: string | null = null;
  for (const line of text.split('\n')) {
    if (name === null && line.startsWith('Name=')) name = line.slice(5).trim();
    if (exec === null && line.startsWith('Exec=')) exec = line.slice(5).trim();
  }
  return { name, exec };
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir)
      .sort()
      .map((f) => join(dir, f))
      .filter((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

function item(name: string | null, path: string | null, source: string, username: string | null, type: string, status: string): Row {
  return { name, path, args: null, type, source, status, username };
}

function* autostartItems(dir: string, username: string | null, ctx: QueryContext): Generator<Row> {
  for (const file of files(dir)) {
    const text = readOptionalText(file, ctx, 'startup_items');
    const entry = text === undefined ? { name: null, exec: null } : parseDesktopEntry(text);
    yield item(entry.name, entry.exec, dir, username, 'Startup Item', 'enabled');
  }
}

function* autostartScripts(dir: string, username: string | null): Generator<Row> {
  for (const file of files(dir)) yield item(file.slice(file.lastIndexOf('/') + 1), file, dir, username, 'Startup Item', 'enabled');
}

/**
 * `startup_items`: what starts by itself -- per-user XDG autostart entries and scripts
 * (~/.config/autostart, ~/.config/autostart-scripts), SysV scripts in /etc/init.d, system XDG
 * autostart entries, and the running systemd's units.
 *
 * @example
 * const items = [...startupItems.generate(createTestContext())].map((r) => r.name);
 */
export const startupItems: TableImpl = {
  name: 'startup_items',
  *generate(ctx) {
    const seen = new Set<string>();
    for (const u of readPasswd(ctx, 'startup_items')) {
      if (u.directory === '' || seen.has(u.directory)) continue;
      seen.add(u.directory);
      yield* autostartItems(join(u.directory, '.config/autostart/'), u.username, ctx);
      yield* autostartScripts(join(u.directory, '.config/autostart-scripts/'), u.username);
    }
    for (const dir of SYSTEM_SCRIPT_DIRS) yield* autostartScripts(dir, null);
    for (const dir of SYSTEM_ITEM_DIRS) yield* autostartItems(dir, null, ctx);
    for (const unit of loadedUnits(ctx)) {
      yield item(String(unit.id), String(unit.fragment_path), String(unit.source_path), String(unit.user), 'systemd unit', String(unit.active_state));
    }
  },
};
