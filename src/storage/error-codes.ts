import { defineErrorCodes } from '../core/errors.js';

/** Error codes raised by the storage layer. */
export const STORAGE_ERRORS = defineErrorCodes({
  STORE_OPEN: {
    summary: 'The database could not be opened (missing directory, permissions, unreachable PostgreSQL server, wrong credentials).',
    action: 'Check the path or connection URL shown; for PostgreSQL check that the server runs and accepts the user.',
  },
  STORE_MIGRATION: {
    summary: 'A schema migration failed; it was rolled back and the database is as it was before it.',
    action: 'Read the SQL error shown. A database written by a newer Vigil cannot be opened by an older one.',
  },
  STORE_QUERY: {
    summary: 'A statement failed in the database.',
    action: 'The message has the database error; if it is a constraint or disk error, fix the cause and retry.',
  },
  STORE_CLOSED: {
    summary: 'The store was used after it was closed.',
    action: 'This is usually a bug in the caller; report it.',
  },
});
