/**
 * jetbrains_plugins: plugins users installed in JetBrains IDEs (~/.local/share/JetBrains/<IDE><version>/plugins),
 * named from the META-INF/plugin.xml inside each plugin's jar, as osquery reads them.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { listDir } from '../common/sysfs.js';
import { readZipEntry } from '../common/zip-entry.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** IDE data directory prefixes (followed by the version) and osquery's product_type for them. */
export const JETBRAINS_PRODUCTS: readonly [string, string][] = [
  ['CLion', 'clion'], ['DataGrip', 'datagrip'], ['GoLand', 'goland'], ['IntelliJIdea', 'intellij_idea'],
  ['IdeaIC', 'intellij_idea_community_edition'], ['PhpStorm', 'phpstorm'], ['PyCharm', 'pycharm'],
  ['PyCharmCE', 'pycharm_community_edition'], ['ReSharper', 'resharper'], ['Rider', 'rider'], ['RubyMine', 'rubymine'],
  ['RustRover', 'rust_rov'], ['WebStorm', 'webstorm'],
];

/** name, vendor and version from plugin.xml (the first of each element). */
export function parsePluginXml(xml: string): { name: string; vendor: string; version: string } {
  const tag = (t: string) => new RegExp(`<${t}(?:\\s[^>]*)?>([\\s\\S]*?)</${t}>`).exec(xml)?.[1]?.trim() ?? '';
  return { name: tag('name'), vendor: tag('vendor'), version: tag('version') };
}

/**
 * IntelliJ's order for finding the jar that holds plugin.xml: not resources*, not versioned
 * libraries (name-1.2.jar), names starting with the plugin directory's name first, then shorter names.
 */
export function likelyPluginJarsFirst(dirName: string, jars: string[]): string[] {
  const versioned = (n: string) => /-(?:\d|[mM]\d)[^-]*$/.test(n.replace(/\.jar$/i, ''));
  const key = (n: string) => [n.startsWith('resources') ? 1 : 0, versioned(n) ? 1 : 0, n.toLowerCase().startsWith(dirName.toLowerCase()) ? 0 : 1, /-idea\.jar$/i.test(n) ? 1 : 0, n === 'database-plugin.jar' ? 1 : 0, n.length];
  return [...jars].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}

function pluginOfJar(jar: string, ctx: QueryContext): ReturnType<typeof parsePluginXml> | undefined {
  try {
    const xml = readZipEntry(jar, 'META-INF/plugin.xml');
    return xml === undefined ? undefined : parsePluginXml(xml.toString('utf8'));
  } catch (e) {
    ctx.warn(`jetbrains_plugins: cannot read ${jar}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/** Rows for the given users. */
export function* jetbrainsPluginRows(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const user of users) {
    const base = join(user.home, '.local', 'share', 'JetBrains');
    for (const ideDir of listDir(base)) {
      // The longest prefix wins so that PyCharmCE2024.1 is not taken for PyCharm.
      const product = [...JETBRAINS_PRODUCTS].sort((a, b) => b[0].length - a[0].length).find(([prefix]) => new RegExp(`^${prefix}\\d`).test(ideDir));
      if (!product) continue;
      const plugins = join(base, ideDir, 'plugins');
      for (const entry of listDir(plugins)) {
        if (ctx.signal.aborted) return;
        const path = join(plugins, entry);
        let found: ReturnType<typeof parsePluginXml> | undefined;
        if (isDir(path)) {
          // A plugin with dependencies: a directory whose lib/ holds the plugin jar and its libraries.
          const lib = join(path, 'lib');
          for (const jar of likelyPluginJarsFirst(entry, listDir(lib).filter((n) => n.endsWith('.jar')))) {
            found = pluginOfJar(join(lib, jar), ctx);
            if (found) break;
          }
        } else if (entry.endsWith('.jar')) {
          found = pluginOfJar(path, ctx);
        }
        if (found) yield { product_type: product[1], uid: user.uid, name: found.name, version: found.version, vendor: found.vendor, path };
      }
    }
  }
}

/** Generator for osquery's `jetbrains_plugins` table. */
export const jetbrainsPlugins: TableImpl = {
  name: 'jetbrains_plugins',
  generate: (ctx) => jetbrainsPluginRows(usersForQuery(ctx.constraint('uid')), ctx),
};
