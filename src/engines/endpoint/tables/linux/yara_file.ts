/**
 * yara_file (alias yara): scans the files a query names (`path =`, `IN`, or LIKE globs) with the
 * YARA rules it gives (sigfile / sigrule), through the yara program. Without yara, or without a
 * path and rules, the table is empty and says why in a warning.
 */
import { statSync } from 'node:fs';
import { matchColumns, yaraScanFiles, yaraSignatures } from '../common/yara-cli.js';
import { expandPathPattern } from '../common/path-targets.js';
import type { QueryContext, TableImpl } from '../../types.js';

function scannable(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  // osquery skips what yara cannot scan as a file: directories, devices, sockets.
  return st !== undefined && st.isFile();
}

/** The files a query asks to scan. */
export function yaraTargets(ctx: QueryContext): string[] {
  const out = new Set<string>();
  for (const p of ctx.constraint('path') ?? []) if (scannable(p)) out.add(p);
  for (const pattern of ctx.like('path') ?? []) for (const p of expandPathPattern(pattern, ctx, 'yara_file')) if (scannable(p)) out.add(p);
  return [...out];
}

/** Generator for osquery's `yara_file` table. */
export const yaraFile: TableImpl = {
  name: 'yara_file',
  *generate(ctx) {
    const targets = yaraTargets(ctx);
    if (targets.length === 0) return;
    const { yara, signatures, cleanup } = yaraSignatures(ctx, 'yara_file');
    try {
      for (const sig of signatures) {
        if (ctx.signal.aborted) return;
        const results = yaraScanFiles(yara!, sig, targets, ctx, 'yara_file');
        if (!results) continue;
        for (const [path, m] of results) yield { path, ...matchColumns(m), ...sig.columns, pid_with_namespace: 0 };
      }
    } finally {
      cleanup();
    }
  },
};
