import { AppError } from '../../../core/errors.js';
import type { EntryType, LayerScan } from './layer-scan.js';
import { normalizeEntryPath } from './paths.js';

/** A wanted file as present in the filesystem at some layer. */
export interface WantedFile {
  readonly path: string;
  /** Index (0 = bottom) of the layer that last wrote it. */
  readonly layer: number;
  readonly content: Buffer;
}

interface Node {
  type: EntryType;
  layer: number;
  linkname?: string;
  children?: Map<string, Node>;
  content?: Buffer;
  /** Some descendant carries wanted content (conservative: never cleared). */
  hasWanted?: boolean;
}

/** Most symlinks followed when resolving one path, as Linux's MAXSYMLINKS. */
export const MAX_SYMLINK_HOPS = 40;

/**
 * The image filesystem as layers are applied in order: overlay semantics (`.wh.` whiteouts,
 * opaque directories, a non-directory replacing a directory), with the bytes of wanted files.
 */
export class MergedTree {
  private readonly root: Node = { type: 'directory', layer: 0, children: new Map() };
  /** Wanted files currently present. */
  readonly live = new Map<string, WantedFile>();
  private dirty = false;
  readonly warnings: string[] = [];

  /** Applies one scanned layer: first its whiteouts (they hide lower layers only), then its entries. */
  apply(scan: LayerScan, wants: (path: string) => number | undefined, what: string): boolean {
    this.dirty = false;
    const layer = scan.index;
    for (const dir of scan.opaqueDirs) {
      const n = this.find(dir);
      if (n?.type === 'directory' && n.children) {
        for (const [name, child] of n.children) this.drop(dir === '' ? name : `${dir}/${name}`, child);
        n.children.clear();
      }
    }
    for (const path of scan.whiteouts) this.remove(path);
    for (const e of scan.entries) {
      if (e.type === 'directory') {
        const parent = this.parentOf(e.path, layer);
        const name = e.path.slice(e.path.lastIndexOf('/') + 1);
        const existing = parent.children!.get(name);
        if (existing?.type === 'directory') continue;
        if (existing) this.drop(e.path, existing);
        parent.children!.set(name, { type: 'directory', layer, children: new Map() });
        continue;
      }
      let content = e.type === 'file' ? scan.files.get(e.path) : undefined;
      if (e.type === 'link' && e.linkname !== undefined && wants(e.path) !== undefined) {
        content = scan.files.get(e.linkname) ?? this.live.get(e.linkname)?.content;
        if (content === undefined) this.warnings.push(`${what}: ${e.path} is a hard link to ${e.linkname}, which was not read; skipped`);
      }
      const parent = this.parentOf(e.path, layer);
      const name = e.path.slice(e.path.lastIndexOf('/') + 1);
      const existing = parent.children!.get(name);
      if (existing) this.drop(e.path, existing);
      const node: Node = { type: e.type, layer };
      if (e.linkname !== undefined) node.linkname = e.linkname;
      if (content !== undefined) {
        node.content = content;
        this.live.set(e.path, { path: e.path, layer, content });
        this.dirty = true;
        this.markWanted(e.path);
      }
      parent.children!.set(name, node);
    }
    return this.dirty;
  }

  private markWanted(path: string): void {
    let n = this.root;
    n.hasWanted = true;
    for (const part of path.split('/')) {
      const c = n.children?.get(part);
      if (!c) return;
      c.hasWanted = true;
      n = c;
    }
  }

  /** The parent directory node of `path`, creating missing or replacing non-directory components. */
  private parentOf(path: string, layer: number): Node {
    let n = this.root;
    const parts = path.split('/');
    parts.pop();
    let cur = '';
    for (const part of parts) {
      cur = cur === '' ? part : `${cur}/${part}`;
      let c = n.children!.get(part);
      if (c === undefined || c.type !== 'directory') {
        if (c) this.drop(cur, c);
        c = { type: 'directory', layer, children: new Map() };
        n.children!.set(part, c);
      }
      n = c;
    }
    return n;
  }

  /** The node stored at `path`, without following symlinks. */
  find(path: string): Node | undefined {
    if (path === '') return this.root;
    let n: Node | undefined = this.root;
    for (const part of path.split('/')) {
      n = n.children?.get(part);
      if (n === undefined) return undefined;
    }
    return n;
  }

  /** Deletes `path` and everything under it. */
  remove(path: string): void {
    const i = path.lastIndexOf('/');
    const parent = this.find(i < 0 ? '' : path.slice(0, i));
    const name = path.slice(i + 1);
    const n = parent?.children?.get(name);
    if (n === undefined) return;
    parent!.children!.delete(name);
    this.drop(path, n);
  }

  /** Forgets the wanted files of a subtree that is being replaced or deleted. */
  private drop(path: string, n: Node): void {
    if (n.content !== undefined) {
      this.live.delete(path);
      this.dirty = true;
    }
    if (n.hasWanted && n.children) for (const [name, c] of n.children) this.drop(`${path}/${name}`, c);
  }

  /**
   * Resolves `path` inside the image root, following symlinks the way a chroot would: absolute
   * targets start at the image root, `..` never climbs above it. Returns the final path and node.
   * Throws IMG_SYMLINK_LOOP after MAX_SYMLINK_HOPS links.
   */
  resolve(path: string, what: string): { path: string; node: Node } | undefined {
    let pending = path.split('/').filter((p) => p !== '' && p !== '.');
    const done: string[] = [];
    const stack: Node[] = [this.root];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        if (done.length > 0) {
          done.pop();
          stack.pop();
        }
        continue;
      }
      const dir = stack[stack.length - 1]!;
      const n = dir.children?.get(part);
      if (n === undefined) return undefined;
      if (n.type === 'symlink') {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new AppError('IMG_SYMLINK_LOOP', `${what}: more than ${MAX_SYMLINK_HOPS} symlinks resolving ${path}`, { details: { what, path } });
        }
        const target = n.linkname ?? '';
        const rest = target.split('/').filter((p) => p !== '' && p !== '.');
        if (target.startsWith('/')) {
          done.length = 0;
          stack.length = 1;
        }
        pending = [...rest, ...pending];
        continue;
      }
      if (pending.length > 0 && n.type !== 'directory') return undefined;
      done.push(part);
      stack.push(n);
    }
    return { path: done.join('/'), node: stack[stack.length - 1]! };
  }

  /** Lists every path in the tree (for tests and debugging; O(entries)). */
  *paths(): Generator<{ path: string; type: EntryType; layer: number }> {
    const walk = function* (prefix: string, n: Node): Generator<{ path: string; type: EntryType; layer: number }> {
      for (const [name, c] of n.children ?? []) {
        const p = prefix === '' ? name : `${prefix}/${name}`;
        yield { path: p, type: c.type, layer: c.layer };
        if (c.children) yield* walk(p, c);
      }
    };
    yield* walk('', this.root);
  }
}

export { normalizeEntryPath };
