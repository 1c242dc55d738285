/** md_drives: the member drives of each Linux software RAID array, from /sys/block/<md>/md/dev-*. */
import { readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseMdstat } from '../common/mdstat.js';
import { listDir, readAttr, readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

/** sysfs member states in the words of osquery's GET_DISK_INFO decoding. */
const STATE_WORDS: Record<string, string> = { in_sync: 'active sync', faulty: 'faulty', spare: 'spare', write_mostly: 'writemostly', journal: 'journal', failfast: 'failfast' };

/** Rows for the members of an array; `sys` is its /sys/block/<md>/md directory. */
export function mdDriveRows(name: string, sys: string): Row[] {
  const rows: Row[] = [];
  for (const entry of listDir(sys)) {
    if (!entry.startsWith('dev-')) continue;
    let drive = entry.slice(4);
    try {
      drive = basename(readlinkSync(join(sys, entry, 'block')));
    } catch {
      // the member's block link is gone while it is being removed; keep its kernel name
    }
    const slot = readAttr(join(sys, entry, 'slot'));
    const state = readAttr(join(sys, entry, 'state'))
      .split(',')
      .filter((s) => s !== '')
      .map((s) => STATE_WORDS[s] ?? s)
      .join(' ');
    rows.push({ md_device_name: name, drive_name: `/dev/${drive}`, slot: /^\d+$/.test(slot) ? Number(slot) : null, state: state === '' ? 'recovering' : state });
  }
  return rows;
}

/** Generator for osquery's `md_drives` table. */
export const mdDrives: TableImpl = {
  name: 'md_drives',
  *generate() {
    for (const dev of parseMdstat(readTextOr('/proc/mdstat') ?? '').devices) yield* mdDriveRows(dev.name, join('/sys/block', dev.name, 'md'));
  },
};
