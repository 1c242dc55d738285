import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from '../common/run-tool.js';
import { createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { buildZip } from '../common/testdata/zip-builder.js';
import { readZipEntry } from '../common/zip-entry.js';
import { jetbrainsPluginRows, likelyPluginJarsFirst, parsePluginXml } from './jetbrains_plugins.js';

const home = mkdtempSync(join(tmpdir(), 'vigil-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const user = { name: 'tester', uid: 4246, gid: 4246, home };

const PLUGIN_XML = `<idea-plugin>
  <id>com.example.lint</id>
  <name>Example Lint</name>
  <version>1.3.18</version>
  <vendor url="https://example.com" email="dev@example.com">
    Example Corp
  </vendor>
  <depends>com.intellij.modules.platform</depends>
</idea-plugin>`;

describe('jetbrains_plugins', () => {
  it('reads plugin jars and plugin directories of an IDE profile under a temp HOME', () => {
    const plugins = join(home, '.local', 'share', 'JetBrains', 'PyCharmCE2024.1', 'plugins');
    mkdirSync(join(plugins, 'example-lint', 'lib'), { recursive: true });
    writeFileSync(join(plugins, 'example-lint', 'lib', 'gson-2.8.0.jar'), buildZip({ 'com/google/gson/Gson.class': 'x' }));
    writeFileSync(join(plugins, 'example-lint', 'lib', 'example-lint.jar'), buildZip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'META-INF/plugin.xml': PLUGIN_XML }));
    writeFileSync(join(plugins, 'single.jar'), buildZip({ 'META-INF/plugin.xml': '<idea-plugin><name>Single</name><version>2</version><vendor>Solo</vendor></idea-plugin>' }, false));
    writeFileSync(join(plugins, 'broken.jar'), 'not a zip');
    const ctx = createTestContext();
    const rows = [...jetbrainsPluginRows([user], ctx)];
    expect(rows).toEqual([
      { product_type: 'pycharm_community_edition', uid: 4246, name: 'Example Lint', version: '1.3.18', vendor: 'Example Corp', path: join(plugins, 'example-lint') },
      { product_type: 'pycharm_community_edition', uid: 4246, name: 'Single', version: '2', vendor: 'Solo', path: join(plugins, 'single.jar') },
    ]);
    expect(ctx.warnings).toHaveLength(1);
    if (!schemaMissing) expect(columnMismatch('jetbrains_plugins', rows[0])).toBe('');
  });

  it.skipIf(findTool('zip') === undefined)('reads an entry from a jar the zip program writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-zip-'));
    mkdirSync(join(dir, 'META-INF'));
    writeFileSync(join(dir, 'META-INF', 'plugin.xml'), PLUGIN_XML);
    execFileSync('zip', ['-q', '-r', 'p.jar', 'META-INF'], { cwd: dir });
    expect(readZipEntry(join(dir, 'p.jar'), 'META-INF/plugin.xml')?.toString('utf8')).toBe(PLUGIN_XML);
    expect(readZipEntry(join(dir, 'p.jar'), 'absent')).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it('orders jars like IntelliJ and parses plugin.xml', () => {
    expect(likelyPluginJarsFirst('kotlin', ['resources_en.jar', 'gson-2.8.0.jar', 'all-open.jar', 'kotlin-plugin.jar'])).toEqual(['kotlin-plugin.jar', 'all-open.jar', 'gson-2.8.0.jar', 'resources_en.jar']);
    expect(parsePluginXml(PLUGIN_XML)).toEqual({ name: 'Example Lint', vendor: 'Example Corp', version: '1.3.18' });
  });
});
