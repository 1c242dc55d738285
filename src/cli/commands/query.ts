import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { CliCommand } from '../context.js';

/** Buffers stdout writes into large chunks: a million-row result is written fast and streamed, not held. */
export function chunkedWriter(write: (s: string) => void, limit = 1 << 16): { write(s: string): void; flush(): void } {
  let parts: string[] = [];
  let size = 0;
  return {
    write(s) {
      parts.push(s);
      size += s.length;
      if (size >= limit) {
        write(parts.join(''));
        parts = [];
        size = 0;
      }
    },
    flush() {
      if (size > 0) write(parts.join(''));
      parts = [];
      size = 0;
    },
  };
}

/**
 * `vigil query [--json|--csv|--line|--list] "SQL"`: one osquery-compatible query, printed like osqueryi.
 * The engine is imported only when the command runs, so other engines' code never slows start-up.
 */
export const queryCommand: CliCommand = {
  name: 'query',
  register(program: Command) {
    program
      .command('query')
      .description('run one osquery-compatible SQL query against this machine (output like osqueryi)')
      .argument('<sql>', 'the SQL statement, e.g. "select pid, name from processes"')
      .addOption(new Option('--json', 'JSON array of objects, every value a string (osqueryi --json)').conflicts(['csv', 'line', 'list']))
      .addOption(new Option('--csv', 'pipe-separated values with a header (osqueryi --csv)').conflicts(['line', 'list']))
      .addOption(new Option('--line', 'one "column = value" line per column (osqueryi --line)').conflicts(['list']))
      .option('--list', 'pipe-separated values with a header (osqueryi --list)')
      .action(async (sql: string, opts: { json?: boolean; csv?: boolean; line?: boolean; list?: boolean }) => {
        if (sql.trim() === '') throw new AppError('USAGE', 'query: the SQL statement is empty');
        const { createEndpointEngine, formatRows, jsonArray, splitStatements } = await import('../../engines/endpoint/index.js');
        const mode = opts.json ? 'json' : opts.csv ? 'csv' : opts.line ? 'line' : opts.list ? 'list' : 'pretty';
        const engine = createEndpointEngine();
        const out = chunkedWriter((s) => process.stdout.write(s));
        process.stdout.on('error', (e: NodeJS.ErrnoException) => {
          // `vigil query ... | head`: the reader left; stop quietly.
          if (e.code === 'EPIPE') process.exit(0);
        });
        const onWarning = (message: string): void => {
          process.stderr.write(`vigil: warning: ${message}\n`);
        };
        // Like osqueryi, several statements may be given; --json prints them as one array.
        const statements = splitStatements(sql);
        let array: ReturnType<typeof jsonArray> | undefined;
        try {
          for (const statement of statements) {
            const cursor = engine.query(statement, { onWarning });
            // The array opens only once a statement is accepted, so a bad query prints nothing on stdout.
            if (mode === 'json') array ??= jsonArray(out.write);
            if (cursor.columns.length === 0) {
              for (const _ of cursor) void _;
              continue;
            }
            if (array) {
              const row = array.statement(cursor.columns);
              for (const values of cursor) row(values);
            } else {
              const formatter = formatRows(mode, cursor.columns, out.write);
              for (const values of cursor) formatter.row(values);
              formatter.end();
            }
          }
          array?.end();
        } finally {
          out.flush();
          engine.close();
        }
      });
  },
};
