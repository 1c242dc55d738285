import type { Row, TableImpl } from '../../types.js';
import { readTextOrUndefined } from '../common/proc.js';

/**
 * Splits the kernel command line like osquery: BOOT_IMAGE= gives path, root= gives device, the rest
 * stays in arguments.
 *
 * @example
 * parseKernelCmdline('BOOT_IMAGE=/vmlinuz root=UUID=ab ro quiet\n') // { path: '/vmlinuz', device: 'UUID=ab', arguments: 'ro quiet' }
 */
export function parseKernelCmdline(text: string): { path: string | null; device: string | null; arguments: string } {
  let path: string | null = null;
  let device: string | null = null;
  const rest: string[] = [];
  for (const arg of text.trim().split(' ')) {
    if (arg.startsWith('BOOT_IMAGE=')) path = arg.slice(11);
    else if (arg.startsWith('root=')) device = arg.slice(5);
    else if (arg !== '') rest.push(arg);
  }
  return { path, device, arguments: rest.join(' ') };
}

/**
 * The release from /proc/version ("Linux version 6.1.0-13-amd64 (...)" -> "6.1.0-13-amd64").
 *
 * @example
 * parseKernelVersion('Linux version 6.1.0 (gcc) #1 SMP') // '6.1.0'
 */
export function parseKernelVersion(text: string): string | null {
  const f = text.split(' ');
  return f.length > 2 && f[1] === 'version' ? f[2]! : null;
}

/**
 * `kernel_info`: the running kernel's release (/proc/version) and boot arguments (/proc/cmdline).
 *
 * @example
 * const [k] = kernelInfo.generate(createTestContext());
 */
export const kernelInfo: TableImpl = {
  name: 'kernel_info',
  *generate() {
    const cmdline = readTextOrUndefined('/proc/cmdline');
    const version = readTextOrUndefined('/proc/version');
    if (cmdline === undefined && version === undefined) return;
    const args = cmdline === undefined ? { path: null, device: null, arguments: null } : parseKernelCmdline(cmdline);
    const row: Row = {
      version: version === undefined ? null : parseKernelVersion(version),
      arguments: args.arguments,
      path: args.path,
      device: args.device,
    };
    yield row;
  },
};
