/**
 * The network IDS engine's public API: load Snort/ET rules, read pcaps, detect, log like Snort.
 *
 * @example
 * import { runIds, formatStats } from './engines/ids/index.js';
 * const result = await runIds({ pcaps: ['traffic.pcap'], rules: [{ path: 'snort3-community.rules' }], alertMode: 'fast', logDir: 'out' });
 * process.stderr.write(formatStats(result.stats));
 */
import { runIds as runPipeline, type IdsRunOptions, type IdsRunResult, type PacketIo, type RuleIo } from './pipeline.js';
import { createEvalState, loadRules, matchRule, snortDefaultVariables } from './rules/index.js';
import { readCaptureFile } from './acquire/capture-reader.js';
import { readLiveCapture } from './acquire/live-capture.js';
import { hasBadChecksum, PacketDecoder } from './decode/index.js';

export { BasicFlowStage, idsConfigSchema, PacketBuffers } from './pipeline.js';
export { FlowStreamStage } from './stream/index.js';
export type { FlowStreamStageOptions } from './stream/index.js';
export { PortScanStage, portScanConfigSchema } from './inspect/port-scan.js';
export type { PortScanConfig } from './inspect/port-scan.js';
export type { IdsConfig, IdsRunOptions, IdsRunResult, LiveSource, PacketIo, PipelineStage, RuleIo, RunDecoder, StageContext } from './pipeline.js';
export { Detector, headerMatches } from './detect/engine.js';
export type { DetectorOptions, DetectorSummary, RuleProfile, RuleEvaluator } from './detect/engine.js';
export { EventFilters, parseThresholdFile } from './detect/filters.js';
export { compileMatcher } from './detect/multi-pattern.js';
export { AddressIndex } from './detect/address-index.js';
export { formatFast, formatJson, formatFull, formatTimestamp, JSON_FIELDS } from './log/format.js';
export type { LoggedAlert } from './log/format.js';
export { ALERT_MODES, createAlertSink, LOG_FILE_NAMES } from './log/writer.js';
export type { AlertMode, AlertSink } from './log/writer.js';
export { formatStats, mbitsPerSec } from './log/stats.js';
export type { RunStats } from './log/stats.js';
export { emptyVerdictCounts, verdictFor, VerdictTracker } from './act/verdict.js';
export type { VerdictCounts } from './act/verdict.js';
export { PcapDumpWriter } from './acquire/pcap-dump.js';
export { IDS_DETECT_ERRORS } from './detect/error-codes.js';

/** The capture reader and decoder bound for the pipeline. */
export const defaultPacketIo: PacketIo = {
  read: (path, firstNum, signal) => readCaptureFile(path, { numbering: { value: firstNum - 1 }, signal }),
  readLive: (spec) => readLiveCapture(spec),
  createDecoder: (options) => {
    const decoder = new PacketDecoder({ checksums: options.checksums ? 'all' : 'none' });
    return { decode: (raw) => decoder.decode(raw), reassemble: (pkt) => decoder.reassemble(pkt), inspectable: (pkt) => !hasBadChecksum(pkt) };
  },
};

/** The rule stage bound for the pipeline. */
export const defaultRuleIo: RuleIo = {
  loadRules: (sources, vars, options) => loadRules(sources, vars, options),
  defaultVariables: () => snortDefaultVariables(),
  createState: createEvalState,
  matchRule,
};

/**
 * Runs the IDS over pcaps with the real readers, decoder and rule stage (see pipeline.ts for the
 * stages and options).
 */
export function runIds(options: IdsRunOptions, io: PacketIo = defaultPacketIo, ruleIo: RuleIo = defaultRuleIo): Promise<IdsRunResult> {
  return runPipeline(options, io, ruleIo);
}
