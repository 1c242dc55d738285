/**
 * Table batch A (processes, users, packages, /etc ...): the implementations ep-tables-a owns, sorted by
 * name. ep-core wires this list into the table registry, which refuses duplicate names.
 */
import type { TableImpl } from '../types.js';
import { processEnvs } from './linux/process_envs.js';
import { processMemoryMap } from './linux/process_memory_map.js';
import { processNamespaces } from './linux/process_namespaces.js';
import { processOpenFiles } from './linux/process_open_files.js';
import { processes } from './linux/processes.js';

/** Batch A tables, sorted by name. */
export const tablesA: readonly TableImpl[] = [
  processEnvs,
  processMemoryMap,
  processNamespaces,
  processOpenFiles,
  processes,
];
