/**
 * Small readers for /sys, /proc and /etc files used by the batch-B tables (hardware, network,
 * packages). They never throw for a missing or unreadable file: they return undefined and the
 * table decides whether that is worth a warning (a vanished device is not).
 */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * A file's text, or undefined when it cannot be read.
 *
 * @example
 * const mtu = readTextOr(`/sys/class/net/eth0/mtu`);
 */
export function readTextOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A sysfs attribute with its trailing newline removed, or '' when absent (osquery leaves such columns empty). */
export function readAttr(path: string): string {
  const text = readTextOr(path);
  return text === undefined ? '' : text.replace(/\n+$/, '');
}

/** A sysfs attribute parsed as an integer, or undefined when absent or not a number. */
export function readIntAttr(path: string): number | undefined {
  const text = readTextOr(path);
  if (text === undefined) return undefined;
  const n = Number.parseInt(text.trim(), 10);
  return Number.isFinite(n) ? n : undefined;
}

/** Directory entries, sorted, or [] when the directory cannot be listed. */
export function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** The errno code of a failed fs call, or undefined. */
export function fsErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
