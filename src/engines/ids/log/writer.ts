/**
 * Alert outputs: buffered sinks for alert_fast, alert_json and alert_full, writing to a file in the
 * log directory (Snort 3's names: alert_fast.txt, alert_json.txt, alert_full.txt) or to a stream.
 *
 * Why buffered and synchronous: alerts arrive on the hot path; appending to a string and writing
 * 64 KiB at a time with writeSync costs less than a stream's per-write bookkeeping, and a crash
 * report never loses more than the current buffer.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../core/errors.js';
import { formatFast, formatFull, formatJson, type LoggedAlert } from './format.js';

/** Alert output modes, as Snort's `-A`. */
export const ALERT_MODES = ['fast', 'json', 'full', 'none'] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

/** Receives alerts; `close` flushes. */
export interface AlertSink {
  readonly mode: AlertMode;
  write(ev: LoggedAlert): void;
  close(): void;
}

const FLUSH_AT = 64 * 1024;

/** A string buffer flushed to a file descriptor or a callback. */
export class BufferedOutput {
  private buf = '';
  constructor(
    private readonly sink: (chunk: string) => void,
    private readonly onClose: () => void = () => {},
  ) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    this.sink(chunk);
  }

  close(): void {
    this.flush();
    this.onClose();
  }
}

/** Opens `dir/name` for writing (creating `dir`), as a BufferedOutput. */
export function openLogFile(dir: string, name: string): BufferedOutput {
  const path = join(dir, name);
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(path, 'w');
  } catch (e) {
    throw new AppError('IDS_LOG_DIR', `${path}: cannot create the alert log file`, { cause: e, details: { path } });
  }
  return new BufferedOutput(
    (chunk) => {
      writeSync(fd, chunk);
    },
    () => closeSync(fd),
  );
}

/** File names per mode, as Snort 3 names them. */
export const LOG_FILE_NAMES: Readonly<Record<Exclude<AlertMode, 'none'>, string>> = {
  fast: 'alert_fast.txt',
  json: 'alert_json.txt',
  full: 'alert_full.txt',
};

/**
 * Creates the sink for `mode`: into `logDir` when given, else into `fallback` (stdout for the CLI).
 *
 * @example
 * const sink = createAlertSink('fast', 'out'); sink.write(ev); sink.close();
 */
export function createAlertSink(mode: AlertMode, logDir: string | undefined, fallback?: (chunk: string) => void, jsonFields?: readonly string[]): AlertSink {
  if (mode === 'none') return { mode, write() {}, close() {} };
  const out = logDir !== undefined ? openLogFile(logDir, LOG_FILE_NAMES[mode]) : new BufferedOutput(fallback ?? ((c) => process.stdout.write(c)));
  const format = mode === 'fast' ? (ev: LoggedAlert) => `${formatFast(ev)}\n` : mode === 'json' ? (ev: LoggedAlert) => `${formatJson(ev, jsonFields)}\n` : formatFull;
  return {
    mode,
    write(ev) {
      out.write(format(ev));
    },
    close() {
      out.close();
    },
  };
}
