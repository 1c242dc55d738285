/**
 * The IDS pipeline, one packet at a time:
 *
 *   acquire (pcap/pcapng) -> decode -> [flow -> stream -> inspect] -> detect -> act -> log
 *
 * The bracketed stages are `PipelineStage` plug-ins; by default FlowStreamStage (flow tracking + TCP
 * reassembly), the HTTP and DNS/TLS inspectors and port_scan. A stage sees every decoded packet in order, may set `pkt.flow` and
 * `pkt.direction`, may add inspection buffers (`http_uri`...), may hand extra units to detection
 * (a reassembled PDU) through `ctx.detect`, and may say that a packet should not be inspected on its
 * own (return false). Without stages, detection sees each packet with `pkt_data` = its payload.
 *
 * The run is a library call: it takes an AbortSignal, reports progress through `onProgress`, and
 * never prints; the CLI decides what goes to stdout and stderr.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod/v3';
import { AppError, isAbortError, isAppError } from '../../core/errors.js';
import type { OperationOptions } from '../../core/abort.js';
import { yieldToLoop } from '../../core/abort.js';
import { RawPacketRecord, withRaw, type AlertEvent, type FlowState, type InspectionBuffers, type Packet, type RawPacket } from './types.js';
import type { LoadRulesResult, Rule, RuleSource } from './rules/types.js';
import { Detector, type DetectorSummary, type RuleEvaluator, type RuleProfile } from './detect/engine.js';
import { DEFAULT_DFA_CELLS } from './detect/multi-pattern.js';
import { EventFilters, parseThresholdFile, type ThresholdFileError } from './detect/filters.js';
import { VerdictTracker, type VerdictCounts } from './act/verdict.js';
import { PcapDumpWriter } from './acquire/pcap-dump.js';
import { HttpInspector } from './inspect/http.js';
import { Wizard } from './inspect/wizard.js';
import { DnsTlsInspector } from './inspect/dns-tls.js';
import { PortScanStage, portScanConfigSchema, type PortScanConfig } from './inspect/port-scan.js';
import { FlowStreamStage } from './stream/stream-stage.js';
import { createAlertSink, type AlertMode, type AlertSink } from './log/writer.js';
import { parseClassificationConfig, standardClassifications, type Classification } from './log/classifications.js';
import { emptyStats, type RunStats } from './log/stats.js';
import type { LoggedAlert } from './log/format.js';

/** The buffers of one inspection unit; stages add named buffers, detection reads them. */
export class PacketBuffers implements InspectionBuffers {
  /** Named buffers, created at the first `set` (most units only have their payload). */
  private named: Map<string, Uint8Array> | undefined = undefined;
  private payload: Uint8Array = new Uint8Array(0);

  /** Starts a new unit: `pkt_data` and `raw_data` are the payload, other buffers are cleared. */
  reset(payload: Uint8Array): void {
    this.payload = payload;
    if (this.named !== undefined && this.named.size > 0) this.named.clear();
  }

  set(name: string, data: Uint8Array): void {
    (this.named ??= new Map()).set(name, data);
  }

  get(name: string): Uint8Array | undefined {
    if (this.named !== undefined && this.named.size > 0) {
      const b = this.named.get(name);
      if (b !== undefined) return b;
    }
    return name === 'pkt_data' || name === 'raw_data' ? this.payload : undefined;
  }
}

/** What a stage gets besides the packet. */
export interface StageContext {
  /** Runs detection on an extra unit (a reassembled PDU, an HTTP transaction) with its own buffers. */
  detect(unit: Packet, buffers: PacketBuffers): void;
  /** A flow ended (told by the flow stage after its last PDUs): stages' `flowEnd` run. */
  flowEnd?(flow: FlowState): void;
}

/** A flow / stream / inspector plug-in (issue 6). */
export interface PipelineStage {
  readonly name: string;
  /**
   * True when the stage also sees the extra units other stages hand to detection (reassembled PDUs),
   * before detection does: the HTTP / DNS / TLS inspectors, which need whole messages.
   */
  readonly units?: boolean;
  /** Returns false when the packet itself should not go to detection (e.g. its data is inspected as a PDU). */
  onPacket(pkt: Packet, buffers: PacketBuffers, ctx: StageContext): boolean | void;
  /** End of input: flush what is still buffered (through ctx.detect). */
  finish?(ctx: StageContext): void;
  /** A flow ended: flush what the stage holds for it (the HTTP inspector's partial header blocks). */
  flowEnd?(flow: FlowState, ctx: StageContext): void;
}

/** Reads captures and decodes frames; bound to acquire/ and decode/ by the caller (see index.ts). */
export interface PacketIo {
  /**
   * Raw packets of one capture file, in order, numbered from `firstNum`. Synchronous on purpose: a
   * promise per packet would cost more than decoding it. A damaged file yields its good packets, then
   * throws an AppError (the pipeline reports it and goes on with the next file).
   */
  read(path: string, firstNum: number, signal?: AbortSignal): Iterable<RawPacket>;
  /**
   * Packets captured live from an interface until `signal` aborts (then the iterable ends normally).
   * Numbered from 1. Bound to acquire/live-capture.ts (tcpdump) by index.ts.
   */
  readLive?(spec: LiveSource & { signal?: AbortSignal }): AsyncIterable<RawPacket>;
  /** A decoder for one run (it keeps fragment-reassembly state). */
  createDecoder(options: { checksums: boolean }): RunDecoder;
}

/** The decode stage of one run. */
export interface RunDecoder {
  /** Decodes one frame. Never throws on bad bytes: problems become `pkt.events`. */
  decode(raw: RawPacket): Packet;
  /** Feeds a fragment to IP reassembly; returns the rebuilt datagram when complete. */
  reassemble?(pkt: Packet): Packet | undefined;
  /** False for packets detection must skip (a bad checksum under -k all, as Snort does). */
  inspectable?(pkt: Packet): boolean;
}

/** A live capture source (`vigil ids -i IFACE`). */
export interface LiveSource {
  /** Interface name (`ip link`), or 'any'. */
  readonly iface: string;
  /** A BPF filter expression (tcpdump syntax). */
  readonly filter?: string;
  /** Called once the capture is listening. */
  readonly onListening?: () => void;
}

/** Rule loading, bound to rules/ by the caller. */
export interface RuleIo extends RuleEvaluator {
  loadRules(sources: readonly RuleSource[], vars: Map<string, string>, options: { classificationPath?: string; signal?: AbortSignal }): LoadRulesResult;
  defaultVariables(): Map<string, string>;
}

/**
 * Vigil's own IDS configuration file (`vigil ids -c FILE`), JSON. Every key is optional; command-line
 * flags win over the file. Documented in docs/ids.md.
 */
export const idsConfigSchema = z
  .object({
    /** Rule variables (HOME_NET, HTTP_PORTS...), as written in snort.conf/snort.lua. */
    variables: z.record(z.string(), z.string()).default({}),
    /** Rule files to load (relative paths resolve against the config file's directory). */
    rules: z.array(z.string()).default([]),
    /** classification.config for classtype priorities and descriptions. */
    classification: z.string().optional(),
    /** Threshold file (threshold / event_filter / suppress / rate_filter lines). */
    threshold: z.string().optional(),
    output: z
      .object({
        mode: z.enum(['fast', 'json', 'full', 'none']).optional(),
        logDir: z.string().optional(),
        /** alert_json fields in order (Snort 3 names). */
        jsonFields: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
    eventQueue: z
      .object({
        log: z.number().int().min(1).max(1000).default(3),
        maxQueue: z.number().int().min(1).max(1000).default(8),
        orderEvents: z.enum(['content_length', 'priority']).default('content_length'),
      })
      .strict()
      .default({ log: 3, maxQueue: 8, orderEvents: 'content_length' }),
    /** `all` validates IP/TCP/UDP/ICMP checksums (packets with a bad one are not inspected); `none` skips them (-k). */
    checksums: z.enum(['all', 'none']).default('all'),
    /** Log decoder events (gid 116) as alerts, like Snort's enable_builtin_rules. */
    builtinRules: z.boolean().default(false),
    stream: z
      .object({
        /** Also inspect TCP data segments one by one, besides the reassembled PDUs. */
        inspectSegments: z.boolean().default(false),
        /** Snort's `max_window`: a window (after scaling) above this raises 129:6; 0 = no limit. */
        maxWindow: z.number().int().min(0).max(1073725440).default(0),
        /** Snort's `small_segments`: `count` consecutive segments under `maximumSize` bytes raise 129:12. */
        smallSegments: z.object({ count: z.number().int().min(0).max(2048), maximumSize: z.number().int().min(0).max(2048) }).strict().optional(),
      })
      .strict()
      .default({ inspectSegments: false, maxWindow: 0 }),
    /** Snort 3's port_scan (gid 122); its events are logged with `builtinRules`. */
    portScan: portScanConfigSchema.optional(),
    limits: z
      .object({
        /** Dense rows per fast-pattern matcher, in 4-byte cells (the shallowest states get them; deeper ones are sparse). */
        maxDfaCells: z.number().int().min(0).default(DEFAULT_DFA_CELLS),
      })
      .strict()
      .default({ maxDfaCells: DEFAULT_DFA_CELLS }),
  })
  .strict();

export type IdsConfig = z.infer<typeof idsConfigSchema>;

export interface IdsRunOptions extends OperationOptions {
  readonly pcaps: readonly string[];
  readonly rules: readonly RuleSource[];
  /** Variables on top of the rule stage's defaults (config file, then --var). */
  readonly variables?: Readonly<Record<string, string>>;
  readonly classificationPath?: string;
  readonly thresholdFile?: string;
  readonly alertMode?: AlertMode;
  readonly logDir?: string;
  readonly jsonFields?: readonly string[];
  /** Where alerts go without a log dir (the CLI passes stdout). */
  readonly alertOutput?: (chunk: string) => void;
  readonly checksums?: 'all' | 'none';
  readonly eventQueue?: { log: number; maxQueue: number; orderEvents: 'content_length' | 'priority' };
  readonly builtinRules?: boolean;
  readonly profileRules?: boolean;
  readonly maxDfaCells?: number;
  /** Flow / stream / inspector plug-ins, run in order. */
  readonly stages?: readonly PipelineStage[];
  /** Called for every logged alert (after filters), e.g. by an API server. */
  readonly onAlert?: (alert: LoggedAlert) => void;
  /** Use the flow + TCP reassembly stage (FlowStreamStage) when no flow stage is given (default true). */
  readonly flowStream?: boolean;
  /**
   * Whether TCP data segments still go to detection one by one besides the reassembled PDUs of the
   * default flow stage (default false; see docs/ids.md, "Sessions and reassembly").
   */
  readonly inspectSegments?: boolean;
  /** TCP anomaly limits of the default flow stage (Snort's stream_tcp `max_window`, `small_segments`). */
  readonly streamLimits?: { readonly maxWindow?: number; readonly smallSegments?: { readonly count: number; readonly maximumSize: number } };
  /** port_scan settings (default: Snort's medium sensitivity), or false for no port_scan stage. */
  readonly portScan?: PortScanConfig | false;
  /** Use the per-packet HTTP, DNS and TLS inspectors when no inspect stage is given (default true). */
  readonly httpInspector?: boolean;
  /**
   * Inline (IPS) mode, Snort's -Q: drop / sdrop / reject / block rules act on the packets (see act/verdict.ts).
   * Also makes each TCP data segment go to detection on its own (whatever `inspectSegments` says), so a
   * verdict falls on the segment that carries the match, before it would be forwarded.
   */
  readonly inline?: boolean;
  /** Write every captured packet that passes to this pcap (Snort's DAQ dump). */
  readonly dumpPath?: string;
  /**
   * Read this interface instead of `pcaps`, until `stop` (or `signal`) aborts; `stop` ends the run
   * normally, with statistics. A live capture sees copies of packets, so inline verdicts are reported as
   * `cant_drop`... and nothing is held back.
   */
  readonly live?: LiveSource & { readonly stop?: AbortSignal };
  /** Stop after loading rules (for --check-rules and load-time benchmarks). */
  readonly loadOnly?: boolean;
}

export interface IdsRunResult {
  readonly stats: RunStats;
  readonly load: LoadRulesResult;
  readonly thresholdErrors: readonly ThresholdFileError[];
  readonly detector: DetectorSummary;
  /** Top rules by cost when profiling (or by checks otherwise). */
  topRules(count: number): RuleProfile[];
  /** Alerts per gid:sid. */
  readonly alertsBySid: ReadonlyMap<string, number>;
  /** Captures that ended early (truncated or corrupt); their packets before the damage were inspected. */
  readonly captureErrors: readonly CaptureProblem[];
  /** Packet verdicts: allowed, dropped, blocked, rejected, would-drop, dumped. */
  readonly verdicts: VerdictCounts;
}

export interface CaptureProblem {
  readonly file: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Whether the default flow stage also sends TCP data segments to detection. Snort 3 detects on the
 * reassembled PDU for TCP sessions that stream_tcp reassembles; see docs/ids.md.
 */
const INSPECT_SEGMENTS = false;

/** How often (in packets) the loop checks the abort signal, reports progress and yields. */
const CHECK_EVERY = 4096;

/**
 * Loads rules and runs every capture through the pipeline.
 *
 * @example
 * const result = await runIds({ pcaps: ['a.pcap'], rules: [{ path: 'community.rules' }], alertMode: 'fast', logDir: 'out' }, io, ruleIo);
 * console.error(formatStats(result.stats));
 */
export async function runIds(options: IdsRunOptions, io: PacketIo, ruleIo: RuleIo): Promise<IdsRunResult> {
  const stats = emptyStats();
  const t0 = performance.now();
  const vars = ruleIo.defaultVariables();
  for (const [k, v] of Object.entries(options.variables ?? {})) vars.set(k, v);
  options.onProgress?.({ phase: 'load-rules', done: 0, unit: 'files' });
  const load = ruleIo.loadRules(options.rules, vars, { classificationPath: options.classificationPath, signal: options.signal });
  const classes = standardClassifications();
  if (options.classificationPath !== undefined) readClassifications(options.classificationPath, classes);
  let thresholdErrors: ThresholdFileError[] = [];
  let filters = new EventFilters();
  if (options.thresholdFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.thresholdFile, 'utf8');
    } catch (e) {
      throw new AppError('IDS_THRESHOLD_FILE', `${options.thresholdFile}: cannot read the threshold file`, { cause: e, details: { file: options.thresholdFile } });
    }
    const parsed = parseThresholdFile(text, options.thresholdFile);
    thresholdErrors = parsed.errors;
    filters = new EventFilters(parsed.content);
  }
  const detector = new Detector(load.rules, {
    evaluator: ruleIo,
    filters,
    logLimit: options.eventQueue?.log,
    maxQueue: options.eventQueue?.maxQueue,
    orderEvents: options.eventQueue?.orderEvents,
    profile: options.profileRules,
    maxDfaCells: options.maxDfaCells,
  });
  stats.rulesLoaded = load.stats.loaded;
  stats.rulesSkipped = load.stats.failed;
  stats.loadMs = performance.now() - t0;
  const inline = options.inline === true;
  const live = options.live;
  // A live capture sees copies of packets: inline verdicts cannot hold any back (Snort's cant_drop...).
  const verdicts = new VerdictTracker({ inline, canAct: live === undefined });
  const alertsBySid = new Map<string, number>();
  const ruleBySid = new Map<string, Rule>();
  for (const r of load.rules) ruleBySid.set(`${r.gid}:${r.sid}`, r);
  const result: IdsRunResult = {
    stats,
    load,
    thresholdErrors,
    detector: detector.summary,
    topRules: (n) => detector.topRules(n),
    alertsBySid,
    captureErrors: [],
    verdicts: verdicts.counts,
  };
  if (options.loadOnly) return result;

  if (live !== undefined && io.readLive === undefined) throw new AppError('IDS_CAPTURE_LIVE', `-i ${live.iface}: this packet source cannot capture live`, { details: { iface: live.iface } });
  const sink: AlertSink = createAlertSink(options.alertMode ?? 'fast', options.logDir, options.alertOutput, options.jsonFields);
  const checksums = (options.checksums ?? 'all') === 'all';
  const stages: PipelineStage[] = [...(options.stages ?? [])];
  if (options.flowStream !== false && !stages.some((s) => s.name === 'flow')) {
    stages.unshift(new FlowStreamStage(() => new PacketBuffers(), { inspectSegments: inline || (options.inspectSegments ?? INSPECT_SEGMENTS), stream: options.streamLimits }));
  }
  if (options.httpInspector !== false && !stages.some((s) => s.name === 'wizard')) stages.push(new Wizard());
  if (options.httpInspector !== false && !stages.some((s) => s.name === 'inspect')) {
    // With reassembly, the HTTP inspector reads TCP data from the PDUs only.
    stages.push(new HttpInspector({ streamed: stages.some((s) => s instanceof FlowStreamStage) }), new DnsTlsInspector());
  }
  if (options.portScan !== false && !stages.some((s) => s.name === 'port_scan')) stages.push(new PortScanStage(options.portScan ?? {}));
  // Stages that also see reassembled PDUs (the inspectors), so an HTTP request split over segments is parsed whole.
  const unitStages = stages.filter((s) => s.units === true || s instanceof HttpInspector || s instanceof DnsTlsInspector);
  const buffers = new PacketBuffers();
  const builtin = options.builtinRules ?? false;

  /**
   * Inline mode inspects TCP segments as they come (the verdict must fall on the segment) and the
   * reassembled PDU later (for patterns split over segments). Events a segment already raised are not
   * raised again by the PDU that holds it: per flow, the `direction:gid:sid` of segment events since the
   * last PDU of that direction.
   */
  const segmentEvents = new WeakMap<FlowState, Set<string>>();
  const emit = (events: readonly AlertEvent[], unit = false): void => {
    // Indexed loops on the per-packet path: an iterator's result objects are not always optimised away.
    for (let e = 0; e < events.length; e++) {
      const ev = events[e];
      const flow = ev.packet.flow;
      if (inline && flow !== undefined && ev.packet.tcp !== undefined) {
        const dkey = `${ev.packet.direction ?? ''}:${ev.gid}:${ev.sid}`;
        let seen = segmentEvents.get(flow);
        if (unit) {
          if (seen?.has(dkey) === true) continue;
        } else if (ev.packet.payload.length > 0) {
          if (seen === undefined) segmentEvents.set(flow, (seen = new Set()));
          seen.add(dkey);
        }
      }
      const verdict = verdicts.onEvent(ev.action, ev.packet.flow);
      // sdrop drops without an event, as in Snort.
      if (ev.action === 'sdrop') continue;
      const key = `${ev.gid}:${ev.sid}`;
      alertsBySid.set(key, (alertsBySid.get(key) ?? 0) + 1);
      const rule = ruleBySid.get(key);
      const cls = ev.classtype !== undefined ? classes.get(ev.classtype) : undefined;
      // Written out rather than spread from `ev`: a spread plus three added keys was the costliest line here.
      const logged: LoggedAlert = {
        gid: ev.gid,
        sid: ev.sid,
        rev: ev.rev,
        msg: ev.msg,
        classtype: ev.classtype,
        priority: ev.priority,
        action: ev.action,
        packet: ev.packet,
        references: rule?.references,
        verdict,
        classtypeName: cls?.description,
      };
      sink.write(logged);
      options.onAlert?.(logged);
    }
  };
  const ctx: StageContext = {
    detect(unit, unitBuffers) {
      let inspect = true;
      for (let i = 0; i < unitStages.length; i++) if (unitStages[i].onPacket(unit, unitBuffers, ctx) === false) inspect = false;
      // A blocked flow's data is not inspected again.
      const hold = holding && unit.reassembled === true && unit.flow !== undefined;
      if (hold) {
        verdicts.beginUnit();
        // The PDU's alerts name the frame its verdict falls on: the held frame that completed it.
        const waiting = completingFrame(unit);
        if (waiting !== undefined) unit = withRaw(unit, waiting);
      }
      if (inspect && !verdicts.isBlocked(unit.flow)) emit(detector.inspect(unit, unitBuffers), true);
      // Events raised on a unit (http_inspect's gid 119 on a header section) are logged like a packet's.
      if (unit.events.length > 0) logBuiltin(unit);
      if (hold) settleUnit(unit, verdicts.endUnit());
      if (inline && unit.flow !== undefined) {
        const seen = segmentEvents.get(unit.flow);
        const prefix = `${unit.direction ?? ''}:`;
        if (seen !== undefined) for (const k of seen) if (k.startsWith(prefix)) seen.delete(k);
      }
    },
    flowEnd(flow) {
      for (const stage of flowEndStages) stage.flowEnd!(flow, ctx);
    },
  };
  const flowEndStages = stages.filter((s) => s.flowEnd !== undefined);

  /**
   * IPS hold (inline mode on capture files): a TCP frame whose bytes wait in the reassembler is not
   * forwarded (written to the dump) until the PDU holding them was inspected, so that a match only the
   * PDU shows can still drop it. Per flow and direction only the last such frame is held, as Snort 3
   * holds the packet that completes a PDU; an earlier one is released when a newer one is held.
   */
  const flowStage = stages.find((s): s is FlowStreamStage<PacketBuffers> => s instanceof FlowStreamStage);
  const holding = inline && live === undefined && flowStage !== undefined;
  const held = new Map<FlowState, [RawPacket | undefined, RawPacket | undefined]>();
  /** The captured frame being processed (undefined while flushing at end of input). */
  let current: Packet | undefined;
  const release = (raw: RawPacket): void => {
    if (dump === undefined) return;
    dump.write(raw);
    verdicts.counts.dumped++;
  };
  /** The current frame when its own bytes completed the unit's PDU (size cap, FIN). */
  const completedByCurrent = (unit: Packet): boolean => {
    const cur = current;
    return cur !== undefined && cur.flow === unit.flow && cur.direction === unit.direction && cur.payload.length > 0;
  };
  /** The held frame whose bytes completed the unit's PDU, unless the current frame did. */
  const completingFrame = (unit: Packet): RawPacket | undefined => (completedByCurrent(unit) ? undefined : held.get(unit.flow!)?.[unit.direction === 'client' ? 0 : 1]);
  const settleUnit = (unit: Packet, level: number): void => {
    const slot = held.get(unit.flow!);
    const i = unit.direction === 'client' ? 0 : 1;
    const waiting = slot?.[i];
    if (waiting !== undefined) {
      slot![i] = undefined;
      // An empty entry would keep the flow alive after the flow table dropped it.
      if (slot![1 - i] === undefined) held.delete(unit.flow!);
    }
    if (waiting === undefined || completedByCurrent(unit)) {
      // The PDU was completed by the current frame's bytes, or its frame was already forwarded.
      verdicts.applyToCurrent(level);
      if (waiting !== undefined) release(waiting);
      return;
    }
    if (!verdicts.applyToHeld(level)) release(waiting);
  };
  /** After a frame passed: hold it back when its bytes still wait for their PDU, else forward it. */
  const forward = (raw: RawPacket, pkt: Packet): void => {
    if (holding && pkt.flow !== undefined && pkt.tcp !== undefined && pkt.payload.length > 0 && flowStage!.stream.holdsDataOf(pkt)) {
      let slot = held.get(pkt.flow);
      if (slot === undefined) held.set(pkt.flow, (slot = [undefined, undefined]));
      const i = pkt.direction === 'client' ? 0 : 1;
      const before = slot[i];
      // A copy: the frame's bytes are a view into the reader's chunk.
      slot[i] = new RawPacketRecord(raw.num, raw.tsSec, raw.tsUsec, raw.linkType, raw.data.slice(), raw.wireLen);
      if (before !== undefined) release(before);
      return;
    }
    release(raw);
  };

  const captureErrors = result.captureErrors as CaptureProblem[];
  const decoder = io.createDecoder({ checksums });
  /** Everything after decoding, for a captured packet or a reassembled datagram. */
  const handle = (pkt: Packet): void => {
    countPacket(stats, pkt);
    // Decoder events are counted before the stages run; the stages may add their own (stream 129, port_scan 122).
    stats.decoderEvents += pkt.events.length;
    if (decoder.inspectable !== undefined && !decoder.inspectable(pkt)) {
      stats.badChecksums++;
      logBuiltin(pkt);
      return;
    }
    buffers.reset(pkt.payload);
    let inspect = true;
    for (let i = 0; i < stages.length; i++) if (stages[i].onPacket(pkt, buffers, ctx) === false) inspect = false;
    // Built-in events go out after the stages, so those the stages raised on this packet are logged too.
    logBuiltin(pkt);
    // A packet of a blocked flow is dropped without inspection (the stages still saw it, to keep flow state).
    if (verdicts.checkBlocked(pkt.flow)) return;
    if (inspect) emit(detector.inspect(pkt, buffers));
  };
  const logBuiltin = (pkt: Packet): void => {
    if (builtin && pkt.events.length > 0) emit(pkt.events.map((e) => ({ gid: e.gid, sid: e.sid, rev: 1, msg: e.msg, classtype: undefined, priority: 3, action: 'alert' as const, packet: pkt })));
  };
  const totalBytes = options.pcaps.reduce((n, p) => n + fileSize(p), 0);
  let doneBytes = 0;
  const tRun = performance.now();
  let num = 1;
  let dump: PcapDumpWriter | undefined;
  /** One captured frame: decode, the stages, detection, then the verdict (and the dump). */
  const processRaw = (raw: RawPacket): void => {
    num = raw.num + 1;
    stats.packets++;
    stats.bytes += raw.data.length;
    doneBytes += raw.data.length + 16;
    verdicts.begin();
    const pkt = decoder.decode(raw);
    current = pkt;
    handle(pkt);
    if (pkt.isFragment && decoder.reassemble !== undefined) {
      const whole = decoder.reassemble(pkt);
      if (whole !== undefined) handle(whole);
    }
    if (verdicts.end()) forward(raw, pkt);
    current = undefined;
  };
  try {
    if (options.dumpPath !== undefined) dump = new PcapDumpWriter(options.dumpPath);
    if (live !== undefined) {
      // A live run ends normally when `stop` aborts (Ctrl-C in the CLI); `signal` aborts it as an error.
      const stop = live.stop ?? options.signal;
      let sinceCheck = 0;
      for await (const raw of io.readLive!({ iface: live.iface, filter: live.filter, onListening: live.onListening, signal: anySignal(stop, options.signal) })) {
        options.signal?.throwIfAborted();
        processRaw(raw);
        if (++sinceCheck >= 256) {
          sinceCheck = 0;
          options.onProgress?.({ phase: 'capture', done: stats.packets, unit: 'packets', detail: live.iface });
        }
      }
      options.signal?.throwIfAborted();
    }
    for (const path of live !== undefined ? [] : options.pcaps) {
      options.signal?.throwIfAborted();
      stats.pcaps++;
      let sinceCheck = 0;
      try {
        for (const raw of io.read(path, num, options.signal)) {
          processRaw(raw);
          if (++sinceCheck >= CHECK_EVERY) {
            sinceCheck = 0;
            options.signal?.throwIfAborted();
            options.onProgress?.({ phase: 'detect', done: doneBytes, total: totalBytes, unit: 'bytes', detail: path });
            // Let timers and signal handlers run during long CPU work.
            await yieldToLoop();
          }
        }
      } catch (e) {
        // A damaged capture: its good packets were inspected; report it and go on with the next file.
        if (!isAppError(e) || !/^IDS_CAPTURE_(TRUNCATED|CORRUPT)$/.test(e.code)) throw e;
        captureErrors.push({ file: path, code: e.code, message: e.message });
      }
    }
    for (const stage of stages) stage.finish?.(ctx);
    // End of input: every held frame's PDU was inspected by now; those not dropped pass.
    for (const slot of held.values()) for (const raw of slot) if (raw !== undefined) release(raw);
    held.clear();
  } catch (e) {
    dump?.close();
    if (!isAbortError(e)) throw e;
    sink.close();
    throw e;
  } finally {
    stats.runMs = performance.now() - tRun;
    const c = detector.counters;
    stats.ruleEvals = c.evals;
    stats.ruleMatches = c.matches;
    stats.events = c.events;
    stats.alerts = [...alertsBySid.values()].reduce((a, b) => a + b, 0);
    stats.filtered = detector.filterCounters.filtered;
    stats.suppressed = detector.filterCounters.suppressed;
    stats.queueOverflow = c.queueOverflow;
    stats.passed = c.passed;
    stats.truncatedEvals = detector.truncatedEvals;
  }
  dump?.close();
  sink.close();
  options.onProgress?.({ phase: 'detect', done: totalBytes, total: totalBytes, unit: 'bytes' });
  return result;
}

/** A signal that aborts when any of the given ones does. */
function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  if (list.length <= 1) return list[0];
  return AbortSignal.any(list);
}

function countPacket(stats: RunStats, pkt: Packet): void {
  if (pkt.ip === undefined) stats.nonIp++;
  else if (pkt.tcp !== undefined) stats.tcp++;
  else if (pkt.udp !== undefined) stats.udp++;
  else if (pkt.icmp !== undefined) stats.icmp++;
  else stats.otherIp++;
  if (pkt.isFragment) stats.fragments++;
  if (pkt.rebuilt) stats.reassembled++;
  if (pkt.events.length > 0) stats.decodeErrors++;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // Missing inputs are reported by the reader with the path; progress just lacks a total.
    return 0;
  }
}

function readClassifications(path: string, into: Map<string, Classification>): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('IDS_CLASSIFICATION_FILE', `${path}: cannot read the classification file`, { cause: e, details: { file: path } });
  }
  parseClassificationConfig(text, into);
}

// ---------------------------------------------------------------------------------------------
// A basic flow stage without reassembly, for callers that want each packet inspected on its own
// (the default flow stage is FlowStreamStage, with TCP reassembly). It tracks sessions by 5-tuple with Snort-like TCP state (established after the
// three-way handshake, or at once for a session picked up midstream, as Snort's stream does by
// default), direction (the client is the side that sent the SYN, or the first packet seen), idle
// timeouts on packet time, and a bounded table (oldest flows pruned first). It does no reassembly.
// ---------------------------------------------------------------------------------------------

interface BasicFlow extends FlowState {
  /** The 5-tuple, client side first (IPv4 as numbers, IPv6 as 16-byte latin1 strings). */
  readonly cAddr: number | string;
  readonly sAddr: number | string;
  readonly cPort: number;
  readonly sPort: number;
  /** Next flow in the same hash bucket. */
  next: BasicFlow | undefined;
  hash: number;
  lastSec: number;
  synSeen: boolean;
  synAckSeen: boolean;
  serverSeen: boolean;
  readonly proto: number;
}

/** Limits of the basic flow table. */
export interface BasicFlowOptions {
  /** Flows kept at most (oldest pruned). */
  readonly maxFlows?: number;
  /** Idle timeouts in seconds (Snort 3 stream defaults: TCP 180, UDP 180, other IP 180). */
  readonly tcpTimeout?: number;
  readonly udpTimeout?: number;
  readonly ipTimeout?: number;
}

/**
 * The basic flow tracker as a pipeline stage (see above). Counters: `flows` created, `pruned`.
 *
 * @example
 * await runIds({ ..., stages: [new BasicFlowStage()] });
 */
export class BasicFlowStage implements PipelineStage {
  readonly name = 'flow';
  /** Hash buckets (chained) plus the flows in creation order for pruning (a Map keeps insertion order). */
  private readonly table = new Map<number, BasicFlow>();
  private readonly recency = new Map<BasicFlow, true>();
  private readonly maxFlows: number;
  private readonly timeouts: { tcp: number; udp: number; ip: number };
  private nextId = 1;
  flows = 0;
  pruned = 0;

  constructor(options: BasicFlowOptions = {}) {
    this.maxFlows = options.maxFlows ?? 262_144;
    this.timeouts = { tcp: options.tcpTimeout ?? 180, udp: options.udpTimeout ?? 180, ip: options.ipTimeout ?? 180 };
  }

  onPacket(pkt: Packet): boolean {
    const ip = pkt.ip;
    if (ip === undefined || pkt.isFragment) return true;
    // Numbers for IPv4 keep the per-packet lookup free of string building.
    const a = ip.version === 4 ? ip.src : Buffer.from(ip.src.buffer, ip.src.byteOffset, 16).toString('latin1');
    const b = ip.version === 4 ? ip.dst : Buffer.from(ip.dst.buffer, ip.dst.byteOffset, 16).toString('latin1');
    const sp = pkt.srcPort;
    const dp = pkt.dstPort;
    const proto = pkt.proto;
    const hash = flowHash(a, b, sp, dp, proto);
    const now = pkt.raw.tsSec;
    const timeout = proto === 6 ? this.timeouts.tcp : proto === 17 ? this.timeouts.udp : this.timeouts.ip;
    let flow = this.table.get(hash);
    while (flow !== undefined && !(flow.proto === proto && ((flow.cAddr === a && flow.cPort === sp && flow.sAddr === b && flow.sPort === dp) || (flow.cAddr === b && flow.cPort === dp && flow.sAddr === a && flow.sPort === sp)))) flow = flow.next;
    const tcp = pkt.tcp;
    const syn = tcp !== undefined && (tcp.flags & 0x02) !== 0;
    const ack = tcp !== undefined && (tcp.flags & 0x10) !== 0;
    const rst = tcp !== undefined && (tcp.flags & 0x04) !== 0;
    // A new SYN from the client of an established session, or an idle flow, starts a new session.
    if (flow !== undefined && (Math.abs(now - flow.lastSec) > timeout || (syn && !ack && flow.established && flow.cAddr === a && flow.cPort === sp))) {
      this.remove(flow);
      flow = undefined;
    }
    if (flow === undefined) {
      if (this.recency.size >= this.maxFlows) {
        const oldest = this.recency.keys().next();
        if (!oldest.done) this.remove(oldest.value);
        this.pruned++;
      }
      // The SYN/ACK sender is the server; otherwise whoever spoke first is the client.
      const swap = syn && ack;
      flow = {
        id: this.nextId++,
        established: false,
        bits: new Set(),
        clientBytes: 0,
        serverBytes: 0,
        service: undefined,
        cAddr: swap ? b : a,
        sAddr: swap ? a : b,
        cPort: swap ? dp : sp,
        sPort: swap ? sp : dp,
        next: this.table.get(hash),
        hash,
        lastSec: now,
        synSeen: false,
        synAckSeen: false,
        serverSeen: false,
        proto,
      };
      if (tcp !== undefined && !syn && !rst) flow.established = true; // midstream pickup
      this.table.set(hash, flow);
      this.recency.set(flow, true);
      this.flows++;
    }
    flow.lastSec = now;
    const fromClient = flow.cAddr === a && flow.cPort === sp;
    pkt.flow = flow;
    pkt.direction = fromClient ? 'client' : 'server';
    if (fromClient) flow.clientBytes += pkt.payload.length;
    else {
      flow.serverBytes += pkt.payload.length;
      flow.serverSeen = true;
    }
    if (tcp !== undefined) {
      if (syn && !ack && fromClient) flow.synSeen = true;
      else if (syn && ack && !fromClient) flow.synAckSeen = true;
      else if (ack && fromClient && flow.synAckSeen && !flow.established) {
        // The ACK that completes the handshake makes the session established.
        flow.established = true;
        return true;
      }
    } else if (flow.serverSeen) {
      // UDP and other IP: established once traffic has gone both ways.
      flow.established = true;
    }
    return true;
  }

  private remove(flow: BasicFlow): void {
    this.recency.delete(flow);
    let head = this.table.get(flow.hash);
    if (head === flow) {
      if (flow.next === undefined) this.table.delete(flow.hash);
      else this.table.set(flow.hash, flow.next);
      return;
    }
    while (head !== undefined && head.next !== flow) head = head.next;
    if (head !== undefined) head.next = flow.next;
  }
}

/** A direction-independent hash of the 5-tuple. */
function flowHash(a: number | string, b: number | string, sp: number, dp: number, proto: number): number {
  const ha = typeof a === 'number' ? a : strHash(a);
  const hb = typeof b === 'number' ? b : strHash(b);
  const x = Math.imul(ha ^ (sp << 16), 0x9e3779b1) + Math.imul(hb ^ (dp << 16), 0x9e3779b1);
  return (x ^ Math.imul(proto, 0x85ebca6b)) | 0;
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
