/**
 * The IDS rule stage: Snort 2.9 / Snort 3 / Suricata-flavour rule parsing, variables, every rule option,
 * and rule evaluation with Snort's cursor semantics. See README.md in this folder.
 *
 * @example
 * import { loadRules, matchRule, matchHeader, createEvalState, snortDefaultVariables } from './rules/index.js';
 * const { rules, errors } = loadRules([{ path: 'community.rules' }], snortDefaultVariables());
 * const state = createEvalState();
 * for (const r of rules) if (matchHeader(r, pkt) && matchRule(r, pkt, buffers, state)) console.log(r.sid);
 */
export type * from './types.js';
export { loadRules, STANDARD_CLASSTYPES, parseClassification } from './parser/load.js';
export { checkRules, formatCheckReport, type CheckRulesReport } from './check.js';
export { matchRule, matchHeader, createEvalState, applyFlowbits } from './eval.js';
export { createVariableTable, snortDefaultVariables, parseAddressSet, parsePortSet } from './variables.js';
export { optionRegistry } from './options/index.js';
export type { OptionDef, OptionKind, OptionParam } from './options/types.js';
export { IDS_RULE_ERRORS } from './error-codes.js';
