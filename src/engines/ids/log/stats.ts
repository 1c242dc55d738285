/**
 * The final statistics block, laid out like Snort 3's end-of-run counts: section rules, then
 * `name: value` lines with the name right-aligned in 25 columns.
 */

/** Everything the pipeline counts during a run. */
export interface RunStats {
  pcaps: number;
  packets: number;
  /** Captured bytes (caplen sum), what Snort's rx_bytes and Mbit/s use. */
  bytes: number;
  /** Packets the decoder could not fully decode (still inspected as far as decoded). */
  decodeErrors: number;
  /** Decoder events raised (gid 116 style). */
  decoderEvents: number;
  /** Packets by top protocol. */
  tcp: number;
  udp: number;
  icmp: number;
  otherIp: number;
  nonIp: number;
  fragments: number;
  reassembled: number;
  /** Packets not inspected because of a bad checksum (-k all). */
  badChecksums: number;
  /** Rule evaluations (candidates that ran matchRule) and rules that matched. */
  ruleEvals: number;
  ruleMatches: number;
  /** Events after detection (before filters), events logged, filtered, suppressed, over the per-packet queue. */
  events: number;
  alerts: number;
  filtered: number;
  suppressed: number;
  queueOverflow: number;
  passed: number;
  /** Rules loaded and skipped (not loadable). */
  rulesLoaded: number;
  rulesSkipped: number;
  /** Milliseconds spent loading rules and building the detection engine. */
  loadMs: number;
  /** Milliseconds from the first packet to the end. */
  runMs: number;
  /** Evaluations cut short by the PCRE / backtracking budget. */
  truncatedEvals: number;
}

export function emptyStats(): RunStats {
  return {
    pcaps: 0,
    packets: 0,
    bytes: 0,
    decodeErrors: 0,
    decoderEvents: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    otherIp: 0,
    nonIp: 0,
    fragments: 0,
    reassembled: 0,
    badChecksums: 0,
    ruleEvals: 0,
    ruleMatches: 0,
    events: 0,
    alerts: 0,
    filtered: 0,
    suppressed: 0,
    queueOverflow: 0,
    passed: 0,
    rulesLoaded: 0,
    rulesSkipped: 0,
    loadMs: 0,
    runMs: 0,
    truncatedEvals: 0,
  };
}

const RULE = '-'.repeat(50);

function line(name: string, value: number | string): string {
  return `${name.padStart(25)}: ${value}\n`;
}

function pct(n: number, total: number): string {
  return total === 0 ? '' : `\t(${((100 * n) / total).toFixed(3)}%)`;
}

/** Megabits per second over captured bytes, as Snort reports it. */
export function mbitsPerSec(bytes: number, ms: number): number {
  return ms <= 0 ? 0 : (bytes * 8) / 1e6 / (ms / 1000);
}

/**
 * Formats the end-of-run statistics as Snort 3 prints them on stderr.
 *
 * @example
 * process.stderr.write(formatStats(stats));
 */
export function formatStats(s: RunStats): string {
  let out = `${RULE}\nPacket Statistics\n${RULE}\ndaq\n`;
  out += line('pcaps', s.pcaps);
  out += line('received', s.packets);
  out += line('analyzed', s.packets);
  out += line('allow', s.packets);
  out += line('rx_bytes', s.bytes);
  out += `${RULE}\ncodec\n`;
  out += `${line('total', `${s.packets}${pct(s.packets, s.packets)}`)}`;
  const codec: [string, number][] = [
    ['discards', s.decodeErrors],
    ['events', s.decoderEvents],
    ['icmp', s.icmp],
    ['tcp', s.tcp],
    ['udp', s.udp],
    ['other_ip', s.otherIp],
    ['non_ip', s.nonIp],
    ['frags', s.fragments],
    ['reassembled', s.reassembled],
    ['bad_checksum', s.badChecksums],
  ];
  for (const [name, n] of codec) if (n > 0) out += line(name, `${n}${pct(n, s.packets)}`);
  out += `${RULE}\nModule Statistics\n${RULE}\ndetection\n`;
  out += line('analyzed', s.packets);
  out += line('rule_evals', s.ruleEvals);
  out += line('rule_matches', s.ruleMatches);
  out += line('alerts', s.alerts);
  out += line('total_alerts', s.events);
  out += line('logged', s.alerts);
  if (s.filtered > 0) out += line('event_filtered', s.filtered);
  if (s.suppressed > 0) out += line('suppressed', s.suppressed);
  if (s.queueOverflow > 0) out += line('queue_limit', s.queueOverflow);
  if (s.passed > 0) out += line('passed', s.passed);
  if (s.truncatedEvals > 0) out += line('budget_cutoffs', s.truncatedEvals);
  out += `${RULE}\nrules\n`;
  out += line('loaded', s.rulesLoaded);
  out += line('skipped', s.rulesSkipped);
  out += line('load_seconds', (s.loadMs / 1000).toFixed(6));
  out += `${RULE}\nSummary Statistics\n${RULE}\ntiming\n`;
  const secs = s.runMs / 1000;
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = Math.floor(secs % 60);
  out += line('runtime', `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`);
  out += line('seconds', secs.toFixed(6));
  out += line('pkts/sec', secs > 0 ? Math.round(s.packets / secs) : 0);
  out += line('Mbits/sec', Math.round(mbitsPerSec(s.bytes, s.runMs)));
  return out;
}
