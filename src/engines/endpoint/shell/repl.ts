import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { formatRows, OUTPUT_MODES, type OutputMode } from './format.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface ShellOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Where history is kept between sessions; none when undefined. */
  readonly historyFile?: string;
  /** Treat input as a terminal (prompts, line editing, Ctrl-C). Defaults to input.isTTY. */
  readonly terminal?: boolean;
  /** How long a cancelled query may take to stop before its worker is replaced. */
  readonly cancelGraceMs?: number;
}

const PROMPT = 'vigil> ';
const CONTINUE = '    ...> ';
const HISTORY_SIZE = 1000;

const HELP = `Welcome to the Vigil endpoint shell: osquery-compatible SQL over this machine.

.all TABLE       Select all from a table
.exit            Exit this program
.help            Show this message
.mode MODE       Set output mode where MODE is one of:
                   pretty   Pretty printed SQL results (default)
                   json     JSON array of objects (like osqueryi --json)
                   csv      Values delimited by |
                   line     One value per line
                   list     Values delimited by |
.quit            Exit this program
.schema [TABLE]  Show the CREATE statements
.tables [TABLE]  List names of tables

End a statement with ';'. Ctrl-C cancels a running query; Ctrl-D exits.
`;

interface Running {
  readonly id: number;
  columns: readonly string[];
  format?: ReturnType<typeof formatRows>;
  cancelTimer?: NodeJS.Timeout;
  readonly done: () => void;
}

/**
 * An interactive shell like osqueryi: dot commands, multi-line statements, history, osqueryi's output
 * modes, and Ctrl-C that cancels the running query (run in a worker thread) and returns to the prompt.
 * Resolves when the user quits or the input ends.
 *
 * @example
 * await runShell({ input: process.stdin, output: process.stdout, historyFile: '~/.local/share/vigil/shell_history' });
 */
export function runShell(options: ShellOptions): Promise<void> {
  const out = (s: string): void => {
    options.output.write(s);
  };
  const terminal = options.terminal ?? (options.input as NodeJS.ReadStream).isTTY === true;
  const history = loadHistory(options.historyFile);
  const rl: Interface = createInterface({ input: options.input, output: options.output, terminal, history, historySize: HISTORY_SIZE, prompt: PROMPT });
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  let mode: OutputMode = 'pretty';
  let worker = startWorker();
  let meta: Extract<FromWorker, { type: 'meta' }> | undefined;
  let workerError: string | undefined;
  let nextId = 1;
  let running: Running | undefined;
  let pending = '';
  const queue: string[] = [];
  let closing = false;

  function startWorker(): Worker {
    const fromSources = import.meta.url.endsWith('.ts');
    const url = new URL(`./query-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);
    // Run from the TypeScript sources (tests, development), the worker must load tsx itself first.
    const w = fromSources
      ? new Worker(`import('tsx/esm/api').then((m) => m.register()).then(() => import(${JSON.stringify(url.href)}))`, {
          eval: true,
          workerData: { cancel: cancel.buffer },
        })
      : new Worker(url, { workerData: { cancel: cancel.buffer } });
    w.on('message', onMessage);
    w.on('error', (e) => {
      workerError = e.message;
      if (running) finish(`Error: the query worker failed: ${e.message} [EP_QUERY_WORKER]\n`);
    });
    w.unref();
    return w;
  }

  function onMessage(m: FromWorker): void {
    if (m.type === 'meta') {
      meta = m;
      return;
    }
    if (!running || m.id !== running.id) return;
    switch (m.type) {
      case 'columns':
        running.format?.end();
        running.format = undefined;
        running.columns = m.columns;
        if (m.columns.length > 0) running.format = formatRows(mode, m.columns, out);
        break;
      case 'rows':
        for (const r of m.rows) running.format?.row(r);
        break;
      case 'warning':
        out(`vigil: warning: ${m.message}\n`);
        break;
      case 'done':
        running.format?.end();
        finish();
        break;
      case 'cancelled':
        finish('Query cancelled.\n');
        break;
      case 'error':
        finish(`Error: ${m.message} [${m.code}]\n`);
        break;
    }
  }

  function finish(message?: string): void {
    if (!running) return;
    if (running.cancelTimer) clearTimeout(running.cancelTimer);
    if (message) out(message);
    const { done } = running;
    running = undefined;
    Atomics.store(cancel, 0, 0);
    done();
  }

  function runQuery(sql: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const id = nextId++;
      running = { id, columns: [], done: () => resolve() };
      Atomics.store(cancel, 0, 0);
      const msg: ToWorker = { type: 'query', id, sql };
      worker.ref();
      worker.postMessage(msg);
    }).finally(() => worker.unref());
  }

  function cancelRunning(): void {
    if (!running || running.cancelTimer) return;
    Atomics.store(cancel, 0, 1);
    // A generator deep in one long read (hashing a huge file) cannot see the flag: replace the worker.
    running.cancelTimer = setTimeout(() => {
      void worker.terminate();
      workerError = undefined;
      worker = startWorker();
      finish('Query cancelled.\n');
    }, options.cancelGraceMs ?? 2000);
  }

  async function getMeta(): Promise<NonNullable<typeof meta> | undefined> {
    if (meta) return meta;
    worker.ref();
    worker.postMessage({ type: 'meta' } satisfies ToWorker);
    while (!meta && workerError === undefined) await new Promise((r) => setTimeout(r, 5));
    worker.unref();
    if (!meta) out(`Error: the query worker failed: ${workerError} [EP_QUERY_WORKER]\n`);
    return meta;
  }

  async function dotCommand(line: string): Promise<boolean> {
    const [cmd, ...args] = line.trim().split(/\s+/);
    switch (cmd) {
      case '.quit':
      case '.exit':
        return false;
      case '.help':
        out(HELP);
        break;
      case '.mode': {
        const m = args[0] as OutputMode | undefined;
        if (m === undefined) out(`current output mode: ${mode}\n`);
        else if ((OUTPUT_MODES as readonly string[]).includes(m)) mode = m;
        else out(`Error: mode should be one of: ${OUTPUT_MODES.join(', ')}\n`);
        break;
      }
      case '.tables': {
        const { tables } = (await getMeta()) ?? { tables: [] };
        for (const t of tables) if (args[0] === undefined || t.includes(args[0])) out(`  => ${t}\n`);
        break;
      }
      case '.schema': {
        const { tables, schemas } = (await getMeta()) ?? { tables: [], schemas: {} as Record<string, string> };
        if (args[0] !== undefined && schemas[args[0]] === undefined) {
          out(`Error: no such table: ${args[0]} [EP_UNKNOWN_TABLE]\n`);
          break;
        }
        for (const t of args[0] !== undefined ? [args[0]] : tables) out(`${schemas[t]}\n`);
        break;
      }
      case '.all':
        if (args[0] === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(args[0])) out('Error: .all needs a table name\n');
        else await runQuery(`SELECT * FROM ${args[0]};`);
        break;
      default:
        out(`Error: unknown command: ${cmd}. Enter ".help" for help\n`);
    }
    return true;
  }

  /** Handles one input line; returns false when the shell should exit. */
  async function handle(line: string): Promise<boolean> {
    if (pending === '' && line.trim().startsWith('.')) return dotCommand(line);
    pending = pending === '' ? line : `${pending}\n${line}`;
    const statement = pending.trim();
    if (statement === '') {
      pending = '';
      return true;
    }
    if (!statement.endsWith(';')) return true;
    pending = '';
    await runQuery(statement);
    return true;
  }

  function prompt(): void {
    // Piped input (a script) gets results only, like osqueryi: no prompts.
    if (!closing && terminal) {
      rl.setPrompt(pending === '' ? PROMPT : CONTINUE);
      rl.prompt();
    }
  }

  return new Promise<void>((resolve) => {
    let draining = false;
    const end = (): void => {
      if (closing) return;
      closing = true;
      saveHistory(options.historyFile, (rl as unknown as { history?: string[] }).history ?? []);
      rl.close();
      void worker.terminate();
      resolve();
    };
    const drain = async (): Promise<void> => {
      if (draining) return;
      draining = true;
      while (queue.length > 0) {
        const line = queue.shift()!;
        const keepGoing = await handle(line);
        if (!keepGoing) {
          end();
          return;
        }
      }
      draining = false;
      if (inputEnded) {
        // Input ended (Ctrl-D or end of a piped script): a statement without its ';' still runs.
        if (pending.trim() !== '') {
          const last = pending;
          pending = '';
          await runQuery(last);
        }
        end();
        return;
      }
      prompt();
    };
    let inputEnded = false;
    if (terminal) out('Using a virtual database. Need help, type \'.help\'\n');
    rl.on('line', (line) => {
      queue.push(line);
      void drain();
    });
    rl.on('SIGINT', () => {
      if (running) {
        cancelRunning();
        return;
      }
      // Idle Ctrl-C drops a half-typed statement, like osqueryi.
      pending = '';
      out('\n');
      prompt();
    });
    rl.on('close', () => {
      inputEnded = true;
      if (!draining) void drain();
    });
    prompt();
  });
}

function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string | undefined, history: readonly string[]): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, [...history].reverse().join('\n') + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not break the shell.
  }
}
