import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRows, createTestContext } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { booleanValue, selinuxRows, selinuxSettings } from './selinux_settings.js';

describe('selinux_settings', () => {
  it('reads a selinuxfs layout: root keys, booleans and classes', () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-selinuxfs-'));
    for (const [k, v] of [['enforce', '1'], ['policyvers', '33'], ['mls', '1'], ['checkreqprot', '0'], ['deny_unknown', '0'], ['reject_unknown', '0']]) writeFileSync(join(root, k), v);
    mkdirSync(join(root, 'booleans'));
    writeFileSync(join(root, 'booleans', 'httpd_can_network_connect'), '1 1');
    writeFileSync(join(root, 'booleans', 'pending_one'), '0 1');
    mkdirSync(join(root, 'class', 'file', 'perms'), { recursive: true });
    writeFileSync(join(root, 'class', 'file', 'index'), '7');
    writeFileSync(join(root, 'class', 'file', 'perms', 'read'), '1');
    const ctx = createTestContext();
    const rows = [...selinuxRows(ctx, root)];
    expect(rows).toContainEqual({ scope: '', key: 'enforce', value: '1' });
    expect(rows).toContainEqual({ scope: 'booleans', key: 'httpd_can_network_connect', value: 'on' });
    expect(rows).toContainEqual({ scope: 'class', key: 'file/perms', value: 'read' });
    expect(rows.some((r) => r.key === 'pending_one')).toBe(false);
    expect(ctx.warnings).toHaveLength(1);
    if (!schemaMissing) expect(columnMismatch('selinux_settings', rows[0])).toBe('');
    rmSync(root, { recursive: true, force: true });
  });

  it('maps boolean states like osquery', () => {
    expect([booleanValue('1 1'), booleanValue('0 0\n'), booleanValue('1 0')]).toEqual(['on', 'off', undefined]);
  });

  it('is empty when SELinux is not mounted here, and answers when it is', () => {
    const rows = collectRows(selinuxSettings);
    expect(rows.length === 0 || rows.some((r) => r.key === 'enforce')).toBe(true);
  });
});
