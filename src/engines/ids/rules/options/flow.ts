/**
 * `flow` — session state and direction: established, not_established, stateless, to_server/from_client,
 * to_client/from_server, only_stream/no_stream, only_frag/no_frag. Without flow tracking a packet has no
 * session, so `established` and direction tests fail (as in Snort without stream).
 */
import { err, ok, type Result } from '../../../../core/result.js';
import type { FlowRequirement } from '../types.js';
import { defineOption, type MatchContext } from './types.js';

const WORDS = new Set(['established', 'not_established', 'stateless', 'to_server', 'from_client', 'to_client', 'from_server', 'only_stream', 'no_stream', 'only_frag', 'no_frag']);

/**
 * Parsed requirements by argument text, shared by every rule that writes the same flags (ET: 19,439
 * flow options, a few dozen distinct). Requirements are frozen, so sharing is safe.
 */
const shared = new Map<string, FlowRequirement>();

function parseFlow(args: string | undefined): Result<FlowRequirement> {
  if (args === undefined || args.trim() === '') return err('flow needs at least one flag');
  const words = args.split(',').map((w) => w.trim().toLowerCase());
  for (const w of words) if (!WORDS.has(w)) return err(`unknown flow flag ${JSON.stringify(w)}`);
  const has = (w: string): boolean => words.includes(w);
  const r: FlowRequirement = Object.freeze({
    established: has('established'),
    notEstablished: has('not_established'),
    stateless: has('stateless'),
    toServer: has('to_server') || has('from_client'),
    toClient: has('to_client') || has('from_server'),
    onlyStream: has('only_stream'),
    noStream: has('no_stream'),
    onlyFrag: has('only_frag'),
    noFrag: has('no_frag'),
  });
  if (r.toServer && r.toClient) return err('flow cannot be both to_server and to_client');
  if (r.established && r.notEstablished) return err('flow cannot be both established and not_established');
  if (r.onlyStream && r.noStream) return err('flow cannot be both only_stream and no_stream');
  return ok(r);
}

export const flow = defineOption<FlowRequirement>({
  name: 'flow',
  kind: 'match',
  help: 'match on session state and direction',
  params: [{ name: 'flags', type: 'list', help: 'comma-separated', values: [...WORDS] }],
  parse(args) {
    const known = args === undefined ? undefined : shared.get(args);
    if (known) return ok(known);
    const r = parseFlow(args);
    if (r.ok && args !== undefined && shared.size < 256) shared.set(args, r.value);
    return r;
  },
  key: (r) => Object.entries(r).filter(([, v]) => v).map(([k]) => k).join(','),
  apply(r, b) {
    b.flow = r;
    return undefined;
  },
  eval: evalFlow,
});

/** Evaluates a `flow` option against the packet (exported for the rule evaluator's direct dispatch). */
export function evalFlow(r: FlowRequirement, m: MatchContext): boolean {
  const p = m.pkt;
  if (r.stateless) return true;
  if (r.established && !(p.flow?.established ?? false)) return false;
  if (r.notEstablished && (p.flow?.established ?? false)) return false;
  if (r.toServer && p.direction !== 'client') return false;
  if (r.toClient && p.direction !== 'server') return false;
  // A unit built by TCP reassembly (Snort's rebuilt stream packet) is what only_stream wants.
  if (r.onlyStream && p.reassembled !== true) return false;
  if (r.noStream && p.reassembled === true) return false;
  if (r.onlyFrag && !p.isFragment && !(p.rebuilt && p.tcp === undefined)) return false;
  if (r.noFrag && (p.isFragment || (p.rebuilt && p.ip?.version === 4 && p.tcp === undefined))) return false;
  return true;
}
