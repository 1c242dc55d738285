import type { CliCommand } from '../context.js';
import { dbCommand } from './db.js';
import { imageCommand } from './image.js';
import { idsCommand } from './ids.js';
import { queryCommand } from './query.js';
import { shellCommand } from './shell.js';

/**
 * Every `vigil` subcommand, in help order. A command is listed here only once it works.
 */
export const commands: readonly CliCommand[] = [
  // engines register their commands here: image, db, query, shell, ids
  imageCommand,
  dbCommand,
  queryCommand,
  shellCommand,
  idsCommand,
];
