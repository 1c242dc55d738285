/**
 * Build step after `tsc`: rewrites a directory's entry module (dist/.../rules/options/index.js) into one
 * module that holds the modules only it reaches. Node's ES module loader costs about 0.4 ms per module
 * file (resolve, stat, read, compile, link); the ~145 rule-option files cost 65-75 ms of CPU at every
 * `vigil ids` start-up, one file holding them about 10 ms. The source keeps one option per file and the
 * sorted registry in index.ts; only the built output changes.
 *
 * Each bundled module becomes a function scope (its top-level names cannot collide) that returns its
 * exports, in the order Node would evaluate them (depth-first, imports in source order), so module
 * side effects run in the same order. A module stays a file of its own, imported by the bundle, when a
 * module outside the directory imports it (or such a module needs it): a module must have one instance
 * (options/search.ts keeps per-load state). What tsc emits for this code base is handled; anything else
 * (export let, export *, default exports, import cycles) stops the build with the file named.
 *
 * Usage: node tools/build/bundle-modules.mjs DIST_ROOT ENTRY   (ENTRY relative to DIST_ROOT)
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const IMPORT_RE = /^import\s+(?:(\{[^}]*\})|\*\s+as\s+([\w$]+)|([\w$]+))\s+from\s+'([^']+)';?[^\S\n]*\n?/gm;
const BARE_IMPORT_RE = /^import\s+'[^']+';?/m;
const EXPORT_DECL_RE = /^export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([\w$]+)/gm;
const EXPORT_LIST_RE = /^export\s*\{([^}]*)\}\s*(from\s*'[^']+')?;?[^\S\n]*\n?/gm;
const SOURCE_MAP_RE = /^\/\/# sourceMappingURL=.*$/gm;

/** A build-stopping problem, naming the file. */
export class BundleError extends Error {}

/** `{ a, b as c }` -> [['a', 'a'], ['b', 'c']] (imported name, local name). */
function bindings(list) {
  return list
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!m) throw new BundleError(`cannot read the binding ${JSON.stringify(s)}`);
      return [m[1], m[2] ?? m[1]];
    });
}

/** The module's imports (in source order) and exports, and its body without import/export syntax. */
export function parseModule(file, text) {
  if (BARE_IMPORT_RE.test(text)) throw new BundleError(`${file}: a side-effect-only import is not supported`);
  const imports = [];
  let body = text.replace(IMPORT_RE, (_, list, ns, def, spec) => {
    imports.push({ spec, names: list ? bindings(list) : undefined, namespace: ns, default: def });
    return '';
  });
  const exports = [];
  body = body.replace(EXPORT_DECL_RE, (_, kind, name) => {
    if (kind === 'let' || kind === 'var') throw new BundleError(`${file}: "export ${kind} ${name}" is a live binding; export a const`);
    exports.push([name, name]);
    return `${kind} ${name}`;
  });
  body = body.replace(EXPORT_LIST_RE, (_, list, from) => {
    if (from) throw new BundleError(`${file}: re-exports ("export {...} from") are not supported`);
    for (const [local, exported] of bindings(list)) exports.push([local, exported]);
    return '';
  });
  if (/^export\s/m.test(body)) throw new BundleError(`${file}: an export form this step does not handle (export default / export *)`);
  if (/^import\s/m.test(body)) throw new BundleError(`${file}: an import form this step does not handle`);
  return { imports, exports, body: body.replace(SOURCE_MAP_RE, '').trim() };
}

function jsFilesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = resolve(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsFilesUnder(p));
    else if (name.endsWith('.js')) out.push(p);
  }
  return out;
}

const SPEC_RE = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** Relative specifiers a module names (static and dynamic), as absolute paths. */
function referencedFiles(file, text) {
  const out = [];
  for (const m of text.matchAll(SPEC_RE)) out.push(resolve(dirname(file), m[1] ?? m[2]));
  return out;
}

/**
 * Builds the text of the bundled entry.
 *
 * @param {string} root dist root (every .js file under it is checked for imports into the entry's directory)
 * @param {string} entry the entry module, relative to root
 * @returns {{ text: string, bundled: string[], kept: string[] }}
 */
export function bundleEntry(root, entry) {
  const entryPath = resolve(root, entry);
  const dir = dirname(entryPath);
  const texts = new Map();
  const read = (p) => {
    let t = texts.get(p);
    if (t === undefined) texts.set(p, (t = readFileSync(p, 'utf8')));
    return t;
  };
  // Modules of the directory that something outside it imports, and what they import: they stay files.
  const kept = new Set();
  const keep = (p) => {
    if (kept.has(p) || dirname(p) !== dir || p === entryPath) return;
    kept.add(p);
    for (const q of referencedFiles(p, read(p))) keep(q);
  };
  for (const f of jsFilesUnder(root)) {
    if (dirname(f) === dir) continue;
    for (const p of referencedFiles(f, read(f))) if (dirname(p) === dir) keep(p);
  }
  for (const f of readdirSync(dir)) {
    // Dynamic imports inside the directory load files: those files stay too.
    const p = join(dir, f);
    if (f.endsWith('.js')) for (const m of read(p).matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) keep(resolve(dir, m[1]));
  }

  const order = [];
  const state = new Map();
  const parsed = new Map();
  const visit = (p) => {
    if (state.get(p) === 'done') return;
    if (state.get(p) === 'visiting') throw new BundleError(`${relative(root, p)}: import cycle`);
    state.set(p, 'visiting');
    const m = parseModule(relative(root, p), read(p));
    parsed.set(p, m);
    for (const imp of m.imports) {
      const target = imp.spec.startsWith('.') ? resolve(dirname(p), imp.spec) : undefined;
      if (target !== undefined && dirname(target) === dir && !kept.has(target)) visit(target);
    }
    state.set(p, 'done');
    order.push(p);
  };
  visit(entryPath);

  const externals = new Map();
  const external = (spec) => {
    let v = externals.get(spec);
    if (v === undefined) externals.set(spec, (v = `$ext${externals.size}`));
    return v;
  };
  const modVar = new Map(order.map((p, i) => [p, `$mod${i}`]));
  const prelude = (p, m) => {
    const lines = [];
    for (const imp of m.imports) {
      const target = imp.spec.startsWith('.') ? resolve(dirname(p), imp.spec) : undefined;
      const from = target !== undefined && modVar.has(target) ? modVar.get(target) : external(imp.spec);
      if (imp.names) lines.push(`const { ${imp.names.map(([n, l]) => (n === l ? n : `${n}: ${l}`)).join(', ')} } = ${from};`);
      else if (imp.namespace) lines.push(`const ${imp.namespace} = ${from};`);
      else lines.push(`const ${imp.default} = ${from}.default;`);
    }
    return lines.join('\n');
  };
  const parts = [];
  for (const p of order) {
    if (p === entryPath) continue;
    const m = parsed.get(p);
    const exp = m.exports.map(([l, e]) => (l === e ? l : `${e}: ${l}`)).join(', ');
    parts.push(`// ${basename(p)}\nconst ${modVar.get(p)} = (() => {\n${prelude(p, m)}\n${m.body}\nreturn { ${exp} };\n})();`);
  }
  const entryModule = parsed.get(entryPath);
  parts.push(`// ${basename(entryPath)}\n${prelude(entryPath, entryModule)}\n${entryModule.body}`);
  if (entryModule.exports.length > 0) parts.push(`export { ${entryModule.exports.map(([l, e]) => (l === e ? l : `${l} as ${e}`)).join(', ')} };`);
  const header = [
    `// Generated by tools/build/bundle-modules.mjs from ${order.length} modules of ${relative(root, dir)}/ (sources: src/${relative(root, dir)}/*.ts).`,
    ...[...externals].map(([spec, v]) => `import * as ${v} from '${spec}';`),
  ];
  return {
    text: `${header.join('\n')}\n${parts.join('\n')}\n`,
    bundled: order.map((p) => relative(root, p)),
    kept: [...kept].map((p) => relative(root, p)).sort(),
  };
}

/** Bundles the entry in place and checks that the result loads and exports what the original did. */
async function main(root, entry) {
  const entryPath = resolve(root, entry);
  const before = await import(pathToFileURL(entryPath).href);
  const { text, bundled, kept } = bundleEntry(root, entry);
  writeFileSync(entryPath, text);
  const after = await import(`${pathToFileURL(entryPath).href}?bundled`);
  const names = (m) => Object.keys(m).sort().join(',');
  if (names(before) !== names(after)) throw new BundleError(`${entry}: the bundle exports ${names(after)}, the module exported ${names(before)}`);
  process.stdout.write(`bundle-modules: ${entry}: ${bundled.length} modules in one file; ${kept.length} kept as files (${kept.map((k) => basename(k)).join(', ')})\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [root, entry] = process.argv.slice(2);
  if (!root || !entry) {
    process.stderr.write('usage: node tools/build/bundle-modules.mjs DIST_ROOT ENTRY\n');
    process.exit(2);
  }
  try {
    await main(root, entry);
  } catch (e) {
    process.stderr.write(`bundle-modules: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
