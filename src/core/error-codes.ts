import { defineErrorCodes } from './errors.js';

/** Error codes raised by core (configuration, CLI usage, generic I/O). */
export const CORE_ERRORS = defineErrorCodes({
  CONFIG_NOT_FOUND: {
    summary: 'The configuration file given with --config (or VIGIL_CONFIG) does not exist or cannot be read.',
    action: 'Check the path, or omit --config to use defaults, environment and flags only.',
  },
  CONFIG_PARSE: {
    summary: 'The configuration file is not valid JSON.',
    action: 'Fix the syntax at the line and column shown.',
  },
  CONFIG_INVALID: {
    summary: 'A configuration key has a wrong type or value, or is unknown.',
    action: 'The message names the key, where it came from (file, environment variable or flag) and what is expected.',
  },
  USAGE: {
    summary: 'A command was called with missing or invalid arguments.',
    action: 'Run the command with --help to see its arguments.',
  },
  IO_ERROR: {
    summary: 'A file or directory could not be read or written.',
    action: 'Check that the path exists and that Vigil has permission to use it.',
  },
  INTERNAL: {
    summary: 'Vigil hit a bug (a broken internal invariant).',
    action: 'Re-run with --log-level debug and report the stack trace.',
  },
});
