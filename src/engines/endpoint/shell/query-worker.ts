/**
 * Runs the shell's queries off the main thread, so that Ctrl-C reaches the shell while SQLite and the
 * synchronous table generators work. The parent cancels by setting a flag in shared memory, which the
 * engine polls between rows; rows go back in batches as strings already formatted like osqueryi's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAbortError, isAppError } from '../../../core/errors.js';
import { tableSpecs } from '../specs/index.js';
import { tableRegistry } from '../tables/index.js';
import { EndpointEngine } from '../vtab/engine.js';
import { splitStatements } from '../vtab/sql-text.js';
import { formatValue } from './format.js';
import type { FromWorker, ToWorker } from './protocol.js';

const port = parentPort!;
const cancelFlag = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);
const engine = new EndpointEngine({ tables: tableRegistry.list(), specs: tableSpecs });
const send = (m: FromWorker): void => port.postMessage(m);
const BATCH = 256;

port.on('message', (m: ToWorker) => {
  if (m.type === 'meta') {
    const tables = engine.tableNames();
    send({ type: 'meta', tables, schemas: Object.fromEntries(tables.map((t) => [t, engine.schema(t)!])) });
    return;
  }
  const { id, sql } = m;
  try {
    // A line may hold several statements, as in osqueryi: each gets its own result.
    for (const statement of splitStatements(sql)) {
      const cursor = engine.query(statement, {
        onWarning: (message) => send({ type: 'warning', id, message }),
        isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
      });
      send({ type: 'columns', id, columns: cursor.columns });
      let batch: (string | null)[][] = [];
      for (const row of cursor) {
        batch.push(row.map((v) => (v === null ? null : formatValue(v))));
        if (batch.length >= BATCH) {
          if (Atomics.load(cancelFlag, 0) === 1) {
            cursor.close();
            send({ type: 'cancelled', id });
            return;
          }
          send({ type: 'rows', id, rows: batch });
          batch = [];
        }
      }
      if (batch.length > 0) send({ type: 'rows', id, rows: batch });
    }
    send({ type: 'done', id });
  } catch (e) {
    if (isAbortError(e)) send({ type: 'cancelled', id });
    else if (isAppError(e)) send({ type: 'error', id, code: e.code, message: e.message });
    else send({ type: 'error', id, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  }
});
