/**
 * Rule evaluation with Snort's cursor semantics and bounded backtracking.
 *
 * Options run in rule order. Each buffer has its own cursor (switching buffer starts at 0). When a
 * content/pcre matched but a later option fails, the content is retried at its next occurrence (Snort's
 * "relative re-evaluation"), because a later relative option may succeed after another occurrence.
 * A per-evaluation step budget bounds that search, so no packet can make a rule run unboundedly.
 */
import type { InspectionBuffers, Packet } from '../types.js';
import type { CompiledOp, CompiledRule } from './parser/rule-parser.js';
import { OP_CONTENT, OP_DSIZE, OP_FLAGS, OP_FLOW, OP_FLOWBITS, OP_ICODE, OP_ISDATAAT, OP_ITYPE, OP_PCRE } from './op-kind.js';
import { evalContent, type ContentCfg } from './options/content.js';
import { evalDsize } from './options/dsize.js';
import { evalFlags, type BitTestCfg } from './options/flags.js';
import { evalFlow } from './options/flow.js';
import { applyFlowbitsOp, evalFlowbits, type FlowbitsCfg } from './options/flowbits.js';
import { evalIcode } from './options/icode.js';
import { evalIsdataat, type IsdataatCfg } from './options/isdataat.js';
import { evalItype } from './options/itype.js';
import { evalPcre, type PcreCfg } from './options/pcre.js';
import type { MatchContext } from './options/types.js';
import type { Comparison } from './options/util.js';
import type { EvalState, FlowRequirement, Rule } from './types.js';

/** Backtracking steps allowed per rule evaluation (Snort's default re-evaluation limit is similar in spirit). */
export const EVAL_BUDGET = 512;
/** Number of byte_extract/byte_math variable slots per rule. */
export const MAX_BYTE_VARS = 16;

const EMPTY = Buffer.alloc(0);

/**
 * The per-thread cursor handed to options. A class so every instance has one shape with every field
 * present from the start (an object literal plus later writes gave the state a second map).
 */
class Cursor implements MatchContext {
  pkt: Packet = undefined as unknown as Packet;
  buffers: InspectionBuffers = undefined as unknown as InspectionBuffers;
  buf: Uint8Array = EMPTY;
  view: Buffer = EMPTY;
  cursor = 0;
  minStart = -1;
  lastStart = 0;
  str: string | undefined = undefined;
  decoded: Uint8Array | undefined = undefined;
  strFrom = 0;
  strBuf: Uint8Array | undefined = undefined;
  strPkt: Packet | undefined = undefined;
  constructor(readonly state: EvalState) {}
}

class InternalState implements EvalState {
  readonly vars = new Float64Array(MAX_BYTE_VARS);
  budget = EVAL_BUDGET;
  truncated = 0;
  /**
   * Packet time, above the small-integer range: -0 (a double, equal to 0) gives the field the double
   * representation from the start, so the first real time does not change the state's map.
   */
  nowSec = -0;
  readonly hostBits = new Map<string, number>();
  lastU8: Uint8Array | undefined = undefined;
  lastView: Buffer = EMPTY;
  bufKey: string | undefined = undefined;
  readonly m: Cursor = new Cursor(this);
}

/**
 * Creates the reusable scratch state for matchRule (one per packet thread).
 *
 * @example
 * const state = createEvalState();
 * for (const rule of candidates) if (matchRule(rule, pkt, buffers, state)) alerts.push(rule);
 */
export function createEvalState(): EvalState {
  return new InternalState();
}

function viewOf(s: InternalState, u8: Uint8Array): Buffer {
  if (u8 === s.lastU8) return s.lastView;
  const v = Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  s.lastU8 = u8;
  s.lastView = v;
  return v;
}

function selectBuffer(s: InternalState, op: CompiledOp): boolean {
  const m = s.m;
  const name = op.buffer!;
  let b = name === 'base64_data' ? m.decoded : m.buffers.get(name);
  if (b === undefined && (name === 'pkt_data' || name === 'raw_data')) b = m.pkt.payload;
  if (b === undefined) return false;
  if (op.transform === 'dotprefix') {
    const nb = new Uint8Array(b.length + 1);
    nb[0] = 0x2e;
    nb.set(b, 1);
    b = nb;
  }
  m.buf = b;
  m.view = viewOf(s, b);
  m.cursor = 0;
  s.bufKey = op.bufKey;
  return true;
}

/** One option at the cursor: the frequent kinds called directly, the rest through their evaluator. */
function evalOp(op: CompiledOp, m: MatchContext): boolean {
  switch (op.kind) {
    case OP_CONTENT:
      return evalContent(op.cfg as ContentCfg, m);
    case OP_PCRE:
      return evalPcre(op.cfg as PcreCfg, m);
    case OP_FLOW:
      return evalFlow(op.cfg as FlowRequirement, m);
    case OP_FLAGS:
      return evalFlags(op.cfg as BitTestCfg, m);
    case OP_ICODE:
      return evalIcode(op.cfg as Comparison, m);
    case OP_ITYPE:
      return evalItype(op.cfg as Comparison, m);
    case OP_FLOWBITS:
      return evalFlowbits(op.cfg as FlowbitsCfg, m);
    case OP_ISDATAAT:
      return evalIsdataat(op.cfg as IsdataatCfg, m);
    case OP_DSIZE:
      return evalDsize(op.cfg as Comparison, m);
    default:
      return op.evalFn(op.cfg, m);
  }
}

function run(s: InternalState, ops: readonly CompiledOp[], from: number): boolean {
  const m = s.m;
  for (let i = from; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.bufKey !== undefined && op.bufKey !== s.bufKey) {
      if (!selectBuffer(s, op)) return false;
    }
    if (!op.retry || i === ops.length - 1) {
      if (!evalOp(op, m)) return false;
      continue;
    }
    // A content/pcre with options after it: on a later failure, retry at the next occurrence.
    const cursor = m.cursor;
    const buf = m.buf;
    const view = m.view;
    const key = s.bufKey;
    m.minStart = -1;
    for (;;) {
      if (!evalOp(op, m)) return false;
      const start = m.lastStart;
      if (run(s, ops, i + 1)) return true;
      if (--s.budget <= 0) {
        s.truncated++;
        return false;
      }
      m.buf = buf;
      m.view = view;
      s.bufKey = key;
      m.cursor = cursor;
      m.minStart = start + 1;
    }
  }
  return true;
}

/**
 * Evaluates a rule's options against a packet whose header (protocol, addresses, ports) already matched.
 * On a match, the rule's flowbits set/unset/toggle operations are applied to the packet's flow.
 * Allocation-free except for dotprefix-transformed buffers.
 *
 * @example
 * const state = createEvalState();
 * if (matchHeader(rule, pkt) && matchRule(rule, pkt, buffers, state)) { ... }
 */
export function matchRule(rule: Rule, pkt: Packet, buffers: InspectionBuffers, state: EvalState): boolean {
  const r = rule as CompiledRule;
  const s = state as InternalState;
  const m = s.m;
  m.pkt = pkt;
  m.buffers = buffers;
  m.cursor = 0;
  m.minStart = -1;
  m.buf = EMPTY;
  m.view = EMPTY;
  m.decoded = undefined;
  s.bufKey = undefined;
  s.budget = EVAL_BUDGET;
  const matched = run(s, r.ops, 0);
  m.decoded = undefined;
  if (matched) {
    if (r.hasPostMatchFlowbits) applyFlowbits(r, pkt);
    for (const op of r.onMatch) op.def.onMatch!(op.cfg, m);
  }
  return matched;
}

/** Applies a matched rule's flowbits setters to the packet's flow (no-op without a flow); see options/flowbits.ts. */
export function applyFlowbits(rule: Rule, pkt: Packet): void {
  const bits = pkt.flow?.bits;
  if (!bits) return;
  for (const f of rule.flowbits) applyFlowbitsOp(f, bits);
}

/**
 * Tests a rule's header against a packet: IP protocol, addresses and ports (both ways for `<>`).
 * Detection normally does this through its indexes; this is the reference implementation.
 *
 * @example
 * if (matchHeader(rule, pkt)) { ... }
 */
export function matchHeader(rule: Rule, pkt: Packet): boolean {
  if (rule.ipProto >= 0) {
    if (rule.ipProto === 1) {
      if (pkt.proto !== 1 && pkt.proto !== 58) return false;
    } else if (pkt.proto !== rule.ipProto) return false;
  }
  const ip = pkt.ip;
  if (!ip) return rule.src.any && rule.dst.any && rule.srcPorts.any && rule.dstPorts.any && rule.ipProto < 0;
  const hasPorts = pkt.tcp !== undefined || pkt.udp !== undefined;
  const fwd =
    rule.src.matches(ip.src) &&
    rule.dst.matches(ip.dst) &&
    (!hasPorts || (rule.srcPorts.matches(pkt.srcPort) && rule.dstPorts.matches(pkt.dstPort)));
  if (fwd || !rule.bidirectional) return fwd;
  return rule.src.matches(ip.dst) && rule.dst.matches(ip.src) && (!hasPorts || (rule.srcPorts.matches(pkt.dstPort) && rule.dstPorts.matches(pkt.srcPort)));
}
