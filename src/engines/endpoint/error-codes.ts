import { defineErrorCodes } from '../../core/errors.js';

/** Error codes raised by the endpoint engine (SQL over osquery-compatible tables). */
export const ENDPOINT_ERRORS = defineErrorCodes({
  EP_SQL: {
    summary: "SQLite rejected the query: a syntax error, an unknown table or column, or a type problem. The message is SQLite's own and names the offending token.",
    action: 'Fix the SQL; run `vigil shell` and `.tables` / `.schema TABLE` to see the table and column names.',
  },
  EP_REQUIRED_CONSTRAINT: {
    summary: 'The table cannot be listed without a constraint on one of its required columns (file and hash need path or directory).',
    action: "Add a WHERE clause on a required column named in the message, e.g. WHERE path = '/etc/passwd' or WHERE directory LIKE '/etc/%'.",
  },
  EP_UNKNOWN_TABLE: {
    summary: 'A shell command (.schema, .all) named a table that does not exist.',
    action: 'Run .tables to list the tables.',
  },
  EP_TABLE_FAILED: {
    summary: 'A table generator failed as a whole (not one row): its data source is unreadable or malformed.',
    action: 'The message names the table and the source; check that it exists and is readable by this user.',
  },
  EP_QUERY_WORKER: {
    summary: 'The worker thread that runs queries for the shell stopped unexpectedly.',
    action: 'Re-run the query; if it keeps failing, run it with `vigil query --log-level debug` and report the output.',
  },
});
