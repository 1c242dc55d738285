/** Report formats: one stable ScanReport, rendered as table, json, sarif, cyclonedx or clair. */
import type { ImageInventory } from '../types.js';
import { toClairReport } from './clair.js';
import { toCycloneDx } from './cyclonedx.js';
import { toSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { ScanReport } from './types.js';

export * from './types.js';
export { buildReport, parseIgnoreFile } from './build.js';
export { renderTable } from './table.js';
export { toSarif } from './sarif.js';
export { toCycloneDx } from './cyclonedx.js';
export { toClairReport } from './clair.js';
export { renderExplanation } from './explain.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'clair'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Renders a report in one of the formats (JSON formats end with a newline).
 *
 * @example process.stdout.write(renderReport(report, inventory, 'json'));
 */
export function renderReport(report: ScanReport, inventory: ImageInventory, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(report), null, 2)}\n`;
    case 'cyclonedx':
      return `${JSON.stringify(toCycloneDx(report, inventory), null, 2)}\n`;
    case 'clair':
      return `${JSON.stringify(toClairReport(report, inventory), null, 2)}\n`;
  }
}
