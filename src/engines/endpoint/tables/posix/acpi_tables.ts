/** acpi_tables: the firmware's ACPI tables in /sys/firmware/acpi/tables, with size and MD5 (root only). */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listDir } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

const ACPI_TABLES = '/sys/firmware/acpi/tables';

/** Rows for the table files under `root` (subdirectories such as data/ and dynamic/ included). */
export function* acpiTableRows(ctx: QueryContext, root = ACPI_TABLES, prefix = ''): Generator<Row> {
  for (const entry of listDir(root)) {
    const path = join(root, entry);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) continue;
    if (st.isDirectory()) {
      yield* acpiTableRows(ctx, path, `${prefix}${entry}/`);
      continue;
    }
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (e) {
      ctx.warn(`acpi_tables: cannot read ${path} (root only)`, e);
      continue;
    }
    yield { name: `${prefix}${entry}`, size: data.length, md5: createHash('md5').update(data).digest('hex') };
  }
}

/** Generator for osquery's `acpi_tables` table. */
export const acpiTables: TableImpl = {
  name: 'acpi_tables',
  generate: (ctx) => acpiTableRows(ctx),
};
