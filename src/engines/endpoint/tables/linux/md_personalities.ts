/** md_personalities: the RAID levels the md driver has loaded, from /proc/mdstat. */
import { parseMdstat } from '../common/mdstat.js';
import { readTextOr } from '../common/sysfs.js';
import type { TableImpl } from '../../types.js';

/** Generator for osquery's `md_personalities` table. */
export const mdPersonalities: TableImpl = {
  name: 'md_personalities',
  generate: () => parseMdstat(readTextOr('/proc/mdstat') ?? '').personalities.map((name) => ({ name })),
};
