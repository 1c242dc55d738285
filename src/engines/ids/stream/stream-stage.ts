import { PacketRecord, type FlowState, type Ipv4Info, type Ipv6Info, type Packet, type TcpInfo } from '../types.js';
import { FlowTable, type FlowTableOptions } from '../flow/flow-table.js';
import { TcpReassembler, ipv6With, type ReassembledPdu, type TcpReassemblerOptions } from './tcp-reassembler.js';

/**
 * Flow tracking + TCP reassembly as one pipeline stage. It is written against the shape of the
 * pipeline's stage contract (onPacket / finish, a context that runs detection on extra units) without
 * importing the pipeline, which is a later stage: the pipeline passes a factory for its buffers.
 */

/** The buffers object the pipeline gives detection (structurally its PacketBuffers). */
export interface UnitBuffers {
  reset(payload: Uint8Array): void;
}

/** What the pipeline offers a stage: detection on an extra unit. */
export interface UnitContext<B> {
  detect(unit: Packet, buffers: B): void;
  /** A flow ended (after its last PDUs): inspectors holding per-flow state finish with it. */
  flowEnd?(flow: FlowState): void;
}

export interface FlowStreamStageOptions {
  readonly flow?: Omit<FlowTableOptions, 'onEnd'>;
  readonly stream?: TcpReassemblerOptions;
  /**
   * Whether TCP segments carrying data still go to detection one by one, besides the reassembled PDUs
   * (default true: rules without `flow:only_stream` see both, as in Snort 2; `flow:no_stream` rules see
   * only the segments).
   */
  readonly inspectSegments?: boolean;
}

/**
 * Builds the unit detection sees for a PDU: the completing packet's headers turned to the PDU's
 * direction (addresses and ports of the data's sender first), the PDU bytes as payload, `reassembled`.
 * The header objects are written out field by field (one allocation each, the decoder's hidden class)
 * rather than spread and overridden, and the unit is a PacketRecord like every other packet.
 */
export function pduToPacket(pdu: ReassembledPdu): Packet {
  const p = pdu.packet;
  const same = p.direction === pdu.direction;
  const t = p.tcp;
  const tcp: TcpInfo | undefined =
    t === undefined
      ? undefined
      : {
          srcPort: same ? t.srcPort : t.dstPort,
          dstPort: same ? t.dstPort : t.srcPort,
          seq: pdu.seq,
          ack: t.ack,
          headerLen: t.headerLen,
          flags: t.flags,
          window: t.window,
          urgent: t.urgent,
          options: t.options,
          checksumOk: t.checksumOk,
        };
  const i = p.ip;
  let ip: Ipv4Info | Ipv6Info | undefined;
  if (i === undefined) ip = undefined;
  else if (i.version === 4) {
    ip = {
      version: 4,
      src: same ? i.src : i.dst,
      dst: same ? i.dst : i.src,
      headerLen: i.headerLen,
      // The unit's IPv4 length is that of a datagram carrying the PDU (Snort's pkt_len for a rebuilt packet).
      totalLen: i.headerLen + (tcp?.headerLen ?? 20) + pdu.data.length,
      tos: i.tos,
      id: i.id,
      flags: i.flags,
      fragOffset: i.fragOffset,
      ttl: i.ttl,
      proto: i.proto,
      options: i.options,
      checksumOk: i.checksumOk,
    };
  } else ip = same ? i : ipv6With(i, i.dst, i.src);
  return new PacketRecord(p.raw, p.layers, ip, tcp, undefined, undefined, p.proto, same ? p.srcPort : p.dstPort, same ? p.dstPort : p.srcPort, pdu.data, p.rebuilt, false, true, undefined, [], pdu.flow, pdu.direction);
}

/**
 * The flow + stream stage.
 *
 * @example
 * // in the pipeline (which owns PacketBuffers):
 * const stage = new FlowStreamStage(() => new PacketBuffers());
 * stages.push(stage); // name 'flow': replaces the basic flow stage
 */
export class FlowStreamStage<B extends UnitBuffers> {
  readonly name = 'flow';
  readonly flows: FlowTable;
  readonly stream: TcpReassembler;
  private readonly makeBuffers: () => B;
  /**
   * The buffers object every PDU is inspected with: PDUs are delivered one at a time and detection is
   * done with a unit's buffers when `ctx.detect` returns, so one object (reset per PDU) serves them all.
   */
  private unitBuffers: B | undefined = undefined;
  private readonly inspectSegments: boolean;
  /** PDUs flushed by flows ending inside FlowTable.process (timeouts, pruning), delivered with the next packet. */
  private ended: ReassembledPdu[] = [];
  /** Flows that ended with inspector state (`inspectState`), told to the inspectors after their PDUs. */
  private endedFlows: FlowState[] = [];

  constructor(makeBuffers: () => B, options: FlowStreamStageOptions = {}) {
    this.makeBuffers = makeBuffers;
    this.inspectSegments = options.inspectSegments ?? true;
    this.stream = new TcpReassembler(options.stream);
    this.flows = new FlowTable({
      ...options.flow,
      onEnd: (flow) => {
        const pdus = this.stream.flushFlow(flow);
        if (pdus.length > 0) this.ended.push(...pdus);
        if (flow.inspectState !== undefined) this.endedFlows.push(flow);
      },
    });
  }

  /** Tracks the packet's flow, reassembles TCP, and runs detection on every completed PDU. */
  onPacket(pkt: Packet, _buffers: B, ctx: UnitContext<B>): boolean {
    this.flows.process(pkt);
    if (this.ended.length > 0 || this.endedFlows.length > 0) this.deliverEnded(ctx);
    if (pkt.tcp === undefined || pkt.flow === undefined) return true;
    const pdus = this.stream.process(pkt);
    for (let i = 0; i < pdus.length; i++) this.deliver(pdus[i], ctx);
    return this.inspectSegments || pkt.payload.length === 0;
  }

  /** End of input: every flow ends and its remaining data is inspected. */
  finish(ctx: UnitContext<B>): void {
    this.flows.endAll();
    this.deliverEnded(ctx);
  }

  private deliverEnded(ctx: UnitContext<B>): void {
    const list = this.ended;
    this.ended = [];
    for (let i = 0; i < list.length; i++) this.deliver(list[i], ctx);
    const flows = this.endedFlows;
    if (flows.length === 0) return;
    this.endedFlows = [];
    for (const flow of flows) ctx.flowEnd?.(flow);
  }

  private deliver(pdu: ReassembledPdu, ctx: UnitContext<B>): void {
    const unit = pduToPacket(pdu);
    const buffers = (this.unitBuffers ??= this.makeBuffers());
    buffers.reset(unit.payload);
    ctx.detect(unit, buffers);
  }
}
