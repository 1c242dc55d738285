/** `metadata:key value, key value` — free-form rule metadata (policy, created_at, ruleset...). */
import { err, ok } from '../../../../core/result.js';
import { keptString } from './search.js';
import { defineOption } from './types.js';

/** `key value` pairs of a metadata text, as written (a part without a blank has an empty value). */
export function metadataPairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    const sp = t.search(/\s/);
    out.push(sp < 0 ? [t, ''] : [t.slice(0, sp), t.slice(sp + 1).trim()]);
  }
  return out;
}

/**
 * A rule's metadata, kept as the option texts and read into a map on first use. Nothing in detection
 * reads metadata, and a map per rule (with an array per key) was an eighth of the community rules heap
 * and a share of their parse time. Parts apply in rule order: a metadata text appends its pairs, `set`
 * (the `target` option) replaces a key's values.
 */
export class RuleMetadata implements ReadonlyMap<string, readonly string[]> {
  private parts: (string | readonly [string, string[]])[] | undefined = [];
  private map: Map<string, string[]> | undefined;

  /** Adds a metadata option's text (validated by its parse). */
  addText(text: string): void {
    this.parts!.push(text);
  }

  /** Sets a key's values (replacing earlier ones), in rule order with the texts. */
  set(key: string, values: string[]): void {
    if (this.map) this.map.set(key, values);
    else this.parts!.push([key, values]);
  }

  private read(): Map<string, string[]> {
    if (this.map) return this.map;
    const map = new Map<string, string[]>();
    for (const part of this.parts!) {
      if (typeof part !== 'string') {
        map.set(part[0], part[1]);
        continue;
      }
      for (const [k, v] of metadataPairs(part)) {
        const list = map.get(k);
        if (list) list.push(v);
        else map.set(k, [v]);
      }
    }
    this.parts = undefined;
    return (this.map = map);
  }

  get size(): number {
    return this.read().size;
  }
  get(key: string): readonly string[] | undefined {
    return this.read().get(key);
  }
  has(key: string): boolean {
    return this.read().has(key);
  }
  forEach(fn: (value: readonly string[], key: string, map: ReadonlyMap<string, readonly string[]>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.read()) fn.call(thisArg, v, k, this);
  }
  entries(): MapIterator<[string, readonly string[]]> {
    return this.read().entries();
  }
  keys(): MapIterator<string> {
    return this.read().keys();
  }
  values(): MapIterator<readonly string[]> {
    return this.read().values();
  }
  [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.read()[Symbol.iterator]();
  }
}

export const metadata = defineOption<string>({
  name: 'metadata',
  kind: 'meta',
  help: 'key/value metadata, comma-separated "key value" pairs',
  params: [{ name: 'pairs', type: 'list', help: 'key value[, key value...]' }],
  parse(args) {
    // At least one part that is not blank; the pairs are read when the rule's metadata is first read.
    if (args === undefined || !/[^\s,]/.test(args)) return err('metadata needs key value pairs');
    // Shared and detached: rules repeat the same metadata text, and a slice would keep the rule file.
    return ok(keptString(args));
  },
  key: (text) =>
    metadataPairs(text)
      .map(([k, v]) => `${k} ${v}`)
      .join(','),
  apply(text, b) {
    b.metadata.addText(text);
    return undefined;
  },
});
