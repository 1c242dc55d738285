import type { SqlValue } from '../vtab/engine.js';

/** osqueryi's output modes (`--json`, `--csv`, `--line`, `--list`, and the default pretty table). */
export const OUTPUT_MODES = ['pretty', 'json', 'csv', 'line', 'list'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/**
 * A value as osqueryi prints it: every value a string, NULL as "", REAL with SQLite's `1.0` form.
 *
 * @example
 * formatValue(1) // '1.0' (a REAL); formatValue(1n) // '1'; formatValue(null) // ''
 */
export function formatValue(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v);
  return v.toString('utf8');
}

/**
 * One osqueryi JSON array over one or more statements (osqueryi prints `select 1; select 2` as one array).
 * Keys are sorted, as osquery rows are ordered maps; a duplicated name keeps its last value.
 *
 * @example
 * const a = jsonArray(write); a.statement(['x'])([1n]); a.statement(['y'])([2n]); a.end();
 * // [\n  {"x":"1"},\n  {"y":"2"}\n]\n
 */
export function jsonArray(write: (s: string) => void): { statement(columns: readonly string[]): (values: readonly SqlValue[]) => void; end(): void } {
  let n = 0;
  write('[\n');
  return {
    statement(columns) {
      const last = new Map<string, number>();
      columns.forEach((c, i) => last.set(c, i));
      const keys = [...last].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const prefix = keys.map(([c]) => JSON.stringify(c) + ':');
      return (values) => {
        let s = n === 0 ? '  {' : ',\n  {';
        for (let k = 0; k < keys.length; k++) {
          if (k > 0) s += ',';
          s += prefix[k] + JSON.stringify(formatValue(values[keys[k]![1]]));
        }
        write(s + '}');
        n++;
      };
    },
    end() {
      write('\n]\n');
    },
  };
}

/** A streaming writer for one result: rows go out as they come, except in pretty mode (column widths). */
export interface RowFormatter {
  row(values: readonly SqlValue[]): void;
  end(): void;
}

const width = (s: string): number => [...s].length;

/** How many rows the pretty table holds to size its columns before it starts streaming. */
export const PRETTY_BUFFER_ROWS = 10_000;

/**
 * SQLite's csv quoting with osquery's `|` separator: quote a field that is empty or holds a space, a control
 * character, a quote, the separator or a non-ASCII byte; double the quotes inside.
 */
function csvField(s: string): string {
  return s === '' || /[\x00-\x20"|\x7f-\uffff]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Formats rows exactly like osqueryi: JSON objects with keys sorted (osquery rows are ordered maps) and
 * string values, `|`-separated csv/list with a header, `name = value` lines, or a bordered pretty table.
 *
 * @example
 * const f = formatRows('json', ['pid', 'name'], (s) => process.stdout.write(s));
 * f.row([1n, 'init']); f.end(); // [\n  {"name":"init","pid":"1"}\n]\n
 */
export function formatRows(mode: OutputMode, columns: readonly string[], write: (s: string) => void): RowFormatter {
  switch (mode) {
    case 'json': {
      const array = jsonArray(write);
      const row = array.statement(columns);
      return { row, end: array.end };
    }
    case 'csv': {
      write(columns.map(csvField).join('|') + '\n');
      return {
        row(values) {
          write(values.map((v) => (v === null || v === undefined ? '' : csvField(formatValue(v)))).join('|') + '\n');
        },
        end() {},
      };
    }
    case 'list': {
      write(columns.join('|') + '\n');
      return {
        row(values) {
          write(values.map(formatValue).join('|') + '\n');
        },
        end() {},
      };
    }
    case 'line': {
      // SQLite's line mode: names right-aligned to the longest name, at least 5 wide.
      const pad = Math.max(5, ...columns.map(width));
      let n = 0;
      return {
        row(values) {
          let s = n > 0 ? '\n' : '';
          columns.forEach((c, i) => {
            s += `${' '.repeat(pad - width(c))}${c} = ${formatValue(values[i])}\n`;
          });
          write(s);
          n++;
        },
        end() {},
      };
    }
    case 'pretty': {
      // osqueryi sizes columns over the whole result. We do the same up to PRETTY_BUFFER_ROWS rows; past
      // that, the table is printed with the widths seen so far and further rows stream, so memory stays bounded.
      let rows: string[][] = [];
      let widths: number[] | undefined;
      let any = false;
      const line = (cells: readonly string[]): string => '|' + cells.map((c, i) => ` ${c}${' '.repeat(Math.max(0, widths![i]! - width(c)))} `).join('|') + '|\n';
      const rule = (): string => '+' + widths!.map((w) => '-'.repeat(w + 2)).join('+') + '+\n';
      const flush = (): void => {
        widths ??= columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i]!))));
        let s = any ? '' : rule() + line(columns) + rule();
        for (const r of rows) s += line(r);
        any = true;
        rows = [];
        write(s);
      };
      return {
        row(values) {
          rows.push(values.map(formatValue));
          if (rows.length >= PRETTY_BUFFER_ROWS) flush();
        },
        end() {
          if (rows.length > 0) flush();
          if (any) write(rule());
        },
      };
    }
  }
}
