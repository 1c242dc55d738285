/**
 * yara_process: scans the memory of the processes a query names (`pid =` / `IN`) with the YARA
 * rules it gives (sigfile / sigrule), through the yara program (which reads /proc/<pid>/mem and
 * needs ptrace permission: root, or the same user with ptrace_scope 0).
 */
import { existsSync } from 'node:fs';
import { matchColumns, yaraScanPid, yaraSignatures } from '../common/yara-cli.js';
import type { TableImpl } from '../../types.js';

/** Generator for osquery's `yara_process` table. */
export const yaraProcess: TableImpl = {
  name: 'yara_process',
  *generate(ctx) {
    const pids = [...new Set(ctx.constraint('pid') ?? [])].filter((p) => /^\d+$/.test(p) && existsSync(`/proc/${p}`));
    if (pids.length === 0) return;
    const { yara, signatures, cleanup } = yaraSignatures(ctx, 'yara_process');
    try {
      for (const sig of signatures) {
        if (ctx.signal.aborted) return;
        for (const pid of pids) {
          const m = yaraScanPid(yara!, sig, pid, ctx, 'yara_process');
          if (m) yield { pid: Number(pid), ...matchColumns(m), ...sig.columns, pid_with_namespace: 0 };
        }
      }
    } finally {
      cleanup();
    }
  },
};
