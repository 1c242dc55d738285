import { spawn } from 'node:child_process';
import { AppError } from '../../../core/errors.js';
import type { RawPacket } from '../types.js';
import { CaptureReader, createNumbering, readCaptureFile, type PacketNumbering } from './capture-reader.js';

/**
 * Live capture: `tcpdump -i IFACE -w - -U` writes a pcap stream to our stdin-like pipe and the same
 * CaptureReader parses it in push mode. Using tcpdump instead of a native libpcap binding keeps the
 * install free of compiled add-ons and prebuilt downloads; tcpdump is packet-buffered (-U), so a
 * packet reaches Vigil as soon as the kernel hands it over.
 *
 * Privileges: capturing needs root, or CAP_NET_RAW and CAP_NET_ADMIN on the tcpdump binary
 * (`setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)`).
 */

export interface LiveCaptureOptions {
  /** Interface name (`ip link`), or 'any'. */
  readonly iface: string;
  /** Bytes captured per packet (default 262144, whole packets). */
  readonly snapLen?: number;
  /** A BPF filter expression (tcpdump syntax), e.g. 'tcp port 80'. */
  readonly filter?: string;
  /** Stop capturing (the generator then ends normally). */
  readonly signal?: AbortSignal;
  readonly numbering?: PacketNumbering;
  /** tcpdump executable (default 'tcpdump' on PATH). */
  readonly tcpdump?: string;
  /** Called once tcpdump reports that it is listening (the capture is live). */
  readonly onListening?: () => void;
}

/**
 * Captures packets from a network interface until the signal is aborted.
 *
 * @example
 * const ac = new AbortController();
 * for await (const raw of readLiveCapture({ iface: 'eth0', signal: ac.signal })) handle(raw);
 */
export async function* readLiveCapture(options: LiveCaptureOptions): AsyncGenerator<RawPacket, void, undefined> {
  const { iface, signal } = options;
  if (!/^[\w.:@-]+$/.test(iface)) {
    throw new AppError('IDS_CAPTURE_LIVE', `-i ${iface}: not a valid interface name`, { details: { iface } });
  }
  signal?.throwIfAborted();
  const args = ['-i', iface, '-w', '-', '-U', '-n', '-s', String(options.snapLen ?? 262_144)];
  if (options.filter !== undefined && options.filter.trim() !== '') args.push(options.filter);
  const child = spawn(options.tcpdump ?? 'tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: Error | undefined;
  let stopped = false;
  child.on('error', (e) => {
    spawnError = e;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
    if (/listening on/.test(s)) options.onListening?.();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stop = (): void => {
    stopped = true;
    child.kill('SIGTERM');
  };
  signal?.addEventListener('abort', stop, { once: true });
  const reader = new CaptureReader(`live:${iface}`, options.numbering ?? createNumbering());
  try {
    for await (const chunk of child.stdout) {
      reader.append(chunk as Buffer);
      yield* reader.drain();
    }
    const code = await exited;
    if (spawnError !== undefined) {
      throw new AppError('IDS_CAPTURE_LIVE', `-i ${iface}: cannot run tcpdump (${spawnError.message}); install tcpdump or give its path`, {
        cause: spawnError,
        details: { iface },
      });
    }
    if (!stopped && code !== 0) {
      throw new AppError('IDS_CAPTURE_LIVE', `-i ${iface}: capture failed (tcpdump exit ${code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`, {
        details: { iface, exitCode: code },
      });
    }
    // A capture stopped on request may end inside a record: that partial packet is dropped.
    if (!stopped) reader.finish();
  } finally {
    signal?.removeEventListener('abort', stop);
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

/** Where packets come from: capture files (Snort's -r) or a live interface (-i). */
export type CaptureSpec =
  | { readonly kind: 'files'; readonly paths: readonly string[] }
  | ({ readonly kind: 'live' } & LiveCaptureOptions);

/**
 * Opens a capture source as one async stream of packets (numbered across files). Files are read
 * synchronously in batches of packets between yields to the event loop, so a signal can stop them.
 *
 * @example
 * for await (const raw of openCaptureSource({ kind: 'live', iface: 'eth0', signal })) handle(raw);
 */
export async function* openCaptureSource(spec: CaptureSpec, signal?: AbortSignal): AsyncGenerator<RawPacket, void, undefined> {
  if (spec.kind === 'live') {
    yield* readLiveCapture({ ...spec, signal: spec.signal ?? signal });
    return;
  }
  const numbering = createNumbering();
  for (const path of spec.paths) {
    for (const raw of readCaptureFile(path, { numbering, signal })) yield raw;
  }
}
