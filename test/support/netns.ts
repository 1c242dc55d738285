import { execFileSync } from 'node:child_process';

/**
 * Why tests on a veth pair in a network namespace cannot run here, or undefined when they can:
 * they need root, iproute2 and tcpdump (CI runs them as root with both installed).
 *
 * @example
 * const missing = liveCaptureMissing('live capture tests');
 * describe.skipIf(missing)('...', () => { ... });
 */
export function liveCaptureMissing(what: string): string | undefined {
  if (process.getuid?.() !== 0) return `skipped: ${what} need root (CI runs them as root)`;
  for (const tool of ['ip', 'tcpdump']) {
    try {
      execFileSync(tool, tool === 'ip' ? ['-V'] : ['--version'], { stdio: 'ignore' });
    } catch {
      return `skipped: ${what} need ${tool} (apt-get install ${tool === 'ip' ? 'iproute2' : 'tcpdump'})`;
    }
  }
  return undefined;
}
