export { Flow, FlowTable } from './flow-table.js';
export type { FlowEndReason, FlowStats, FlowTableOptions } from './flow-table.js';
