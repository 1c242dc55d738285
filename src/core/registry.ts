import { BugError } from './errors.js';

/** Anything a registry can hold: plugins are looked up by a unique name. */
export interface Named {
  readonly name: string;
}

/** A read-only, name-keyed set of plugins of one kind (rule options, tables, sources...). */
export interface Registry<T extends Named> {
  readonly kind: string;
  readonly size: number;
  get(name: string): T | undefined;
  has(name: string): boolean;
  /** All entries, in the order they were listed. */
  list(): readonly T[];
  names(): readonly string[];
}

/**
 * Builds a registry from an explicit list and refuses duplicate names at startup.
 *
 * @example
 * export const tables = createRegistry('table', [etcHosts, processes]);
 */
export function createRegistry<T extends Named>(kind: string, items: Iterable<T>): Registry<T> {
  const byName = new Map<string, T>();
  const ordered: T[] = [];
  for (const item of items) {
    if (typeof item?.name !== 'string' || item.name.length === 0) {
      throw new BugError(`${kind} registry: an entry has no name`);
    }
    if (byName.has(item.name)) {
      throw new BugError(`${kind} registry: duplicate name ${JSON.stringify(item.name)}`);
    }
    byName.set(item.name, item);
    ordered.push(item);
  }
  Object.freeze(ordered);
  const names = Object.freeze(ordered.map((i) => i.name));
  return Object.freeze({
    kind,
    size: ordered.length,
    get: (name: string) => byName.get(name),
    has: (name: string) => byName.has(name),
    list: () => ordered,
    names: () => names,
  });
}
