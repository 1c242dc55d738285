/**
 * What happens to a packet after detection (Snort 3's Active / IpsAction semantics).
 *
 * IDS (passive) mode blocks nothing: an alert is `allow`, and a drop / block / reject rule reports what
 * it would have done (`would_drop`, `would_block`, `would_reset`). Inline mode (`-Q`) acts: the packet
 * that fires a `drop`, `sdrop` or `reject` rule does not pass, and `block` also drops the rest of its
 * flow. When the packet source cannot hold packets back (a live capture through tcpdump sees copies),
 * inline verdicts are reported as Snort reports them on a passive DAQ: `cant_drop`, `cant_block`,
 * `cant_reset`. These labels are what Snort 3 writes in alert_json's `action` field.
 *
 * `pass` rules never reach this stage: detection logs no event for a packet a pass rule matched, so
 * nothing drops it. `sdrop` events are never logged (Snort's sdrop drops silently; in IDS mode it does
 * nothing visible).
 */
import type { FlowState, RuleAction } from '../types.js';

/**
 * The verdict label for a rule action.
 *
 * @example
 * verdictFor('drop', false); // 'would_drop'
 * verdictFor('block', true); // 'block'
 * verdictFor('reject', true, false); // 'cant_reset'
 */
export function verdictFor(action: RuleAction, inline: boolean, canAct = true): string {
  const prefix = !inline ? 'would_' : canAct ? '' : 'cant_';
  switch (action) {
    case 'drop':
    case 'sdrop':
      return `${prefix}drop`;
    case 'block':
      return `${prefix}block`;
    case 'reject':
      return `${prefix}reset`;
    case 'rewrite':
      return inline ? 'rewrite' : 'would_rewrite';
    default:
      return 'allow';
  }
}

/** Packet verdict counts of a run (Snort 3's `verdicts` block). */
export interface VerdictCounts {
  /** Captured packets that passed (were, or would be, forwarded). */
  allowed: number;
  /** Packets dropped by a drop / sdrop rule (inline mode). */
  dropped: number;
  /** Packets dropped by a reject rule (inline mode; see docs/ids.md for what is sent). */
  rejected: number;
  /** Packets dropped by a block rule, plus the later packets of blocked flows (inline mode). */
  blocked: number;
  /** Flows blocked. */
  flowsBlocked: number;
  /** Packets a drop / block / reject rule matched without acting (IDS mode, or a passive live source). */
  wouldDrop: number;
  /** Packets written to the --dump file. */
  dumped: number;
}

/** An empty set of verdict counts. */
export function emptyVerdictCounts(): VerdictCounts {
  return { allowed: 0, dropped: 0, rejected: 0, blocked: 0, flowsBlocked: 0, wouldDrop: 0, dumped: 0 };
}

type Pending = 0 | 1 | 2 | 3; // none, drop, reject, block (strongest wins)

/**
 * Decides each captured packet's fate from the events detection logged on it (and on the PDUs it
 * flushed), and remembers blocked flows.
 *
 * @example
 * const v = new VerdictTracker({ inline: true });
 * v.begin();
 * const label = v.onEvent('block', pkt.flow); // 'block'
 * if (!v.end()) { ... the packet is dropped ... }
 */
export class VerdictTracker {
  readonly inline: boolean;
  readonly canAct: boolean;
  readonly counts: VerdictCounts = emptyVerdictCounts();
  private readonly blocked = new WeakSet<FlowState>();
  /** A flow was blocked at least once (`blocked` is not empty). */
  private anyBlocked = false;
  private pending: Pending = 0;
  private would = false;
  private flowBlocked = false;
  /** Inside a unit (beginUnit..endUnit): acting events are kept in unitLevel, not put on the frame. */
  private inUnit = false;
  private unitLevel: Pending = 0;

  constructor(options: { inline: boolean; canAct?: boolean }) {
    this.inline = options.inline;
    this.canAct = options.canAct ?? true;
  }

  /** Starts a captured packet. */
  begin(): void {
    this.pending = 0;
    this.would = false;
    this.flowBlocked = false;
  }

  /** True when the flow is blocked (inline mode). */
  isBlocked(flow: FlowState | undefined): boolean {
    // No lookup until a flow was blocked (never, in IDS mode): this runs for every packet and unit.
    return this.anyBlocked && flow !== undefined && this.blocked.has(flow);
  }

  /** True when the flow was blocked earlier: the current packet is dropped without inspection (inline mode). */
  checkBlocked(flow: FlowState | undefined): boolean {
    if (!this.isBlocked(flow)) return false;
    this.flowBlocked = true;
    return true;
  }

  /** Records a logged (or silent sdrop) event on the current packet; returns its `action` label. */
  onEvent(action: RuleAction, flow: FlowState | undefined): string {
    const label = verdictFor(action, this.inline, this.canAct);
    const level: Pending = action === 'drop' || action === 'sdrop' ? 1 : action === 'reject' ? 2 : action === 'block' ? 3 : 0;
    if (level === 0) return label;
    if (!this.inline || !this.canAct) {
      this.would = true;
      return label;
    }
    if (this.inUnit) {
      if (level > this.unitLevel) this.unitLevel = level;
    } else if (level > this.pending) this.pending = level;
    if (level === 3 && flow !== undefined && !this.blocked.has(flow)) {
      this.blocked.add(flow);
      this.anyBlocked = true;
      this.counts.flowsBlocked++;
    }
    return label;
  }

  /**
   * Starts a unit (a reassembled PDU) whose drop may belong to a frame other than the current one (IPS
   * mode holds back the frame that completed the PDU): until `endUnit`, acting events are only noted.
   */
  beginUnit(): void {
    this.inUnit = true;
    this.unitLevel = 0;
  }

  /** Ends a unit: the strongest action its events asked for (0 none, 1 drop, 2 reject, 3 block). */
  endUnit(): number {
    this.inUnit = false;
    return this.unitLevel;
  }

  /** Puts a unit's action (from endUnit) on the current frame. */
  applyToCurrent(level: number): void {
    if (level > this.pending) this.pending = level as Pending;
  }

  /**
   * Puts a unit's action on a frame held back earlier (already counted as allowed, not yet written):
   * returns true when that frame is now dropped.
   */
  applyToHeld(level: number): boolean {
    if (level === 0) return false;
    const c = this.counts;
    c.allowed--;
    if (level === 3) c.blocked++;
    else if (level === 2) c.rejected++;
    else c.dropped++;
    return true;
  }

  /** Ends the packet: true when it passes. */
  end(): boolean {
    const c = this.counts;
    if (this.would) c.wouldDrop++;
    if (this.flowBlocked || this.pending === 3) c.blocked++;
    else if (this.pending === 2) c.rejected++;
    else if (this.pending === 1) c.dropped++;
    else {
      c.allowed++;
      return true;
    }
    return false;
  }
}
