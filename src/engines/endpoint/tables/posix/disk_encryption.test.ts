import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { diskEncryption, luksCipher } from './disk_encryption.js';

function dmUuid(name: string): string {
  try {
    return readFileSync(`/sys/class/block/${name}/dm/uuid`, 'utf8').trim();
  } catch {
    return '';
  }
}

describe('disk_encryption', () => {
  it('marks exactly the dm-crypt devices as encrypted', () => {
    const before = readdirSync('/sys/class/block');
    const rows = collectRows(diskEncryption);
    const after = new Set(readdirSync('/sys/class/block'));
    const got = rows.map((r) => String(r.name).slice(5));
    for (const n of before.filter((x) => after.has(x))) expect(got).toContain(n);
    for (const r of rows) {
      const crypt = dmUuid(String(r.name).slice(5)).startsWith('CRYPT-');
      expect(r.encrypted).toBe(crypt ? 1 : 0);
      expect(r.encryption_status).toBe(crypt ? 'encrypted' : 'not encrypted');
    }
  });

  it('reads the cipher from LUKS1 and LUKS2 headers', () => {
    const v1 = Buffer.alloc(592);
    v1.write('LUKS\xba\xbe', 0, 'latin1');
    v1.writeUInt16BE(1, 6);
    v1.write('aes', 8);
    v1.write('xts-plain64', 40);
    expect(luksCipher(v1)).toBe('aes-xts-plain64');
    const v2 = Buffer.alloc(8192);
    v2.write('LUKS\xba\xbe', 0, 'latin1');
    v2.writeUInt16BE(2, 6);
    v2.write(JSON.stringify({ segments: { '0': { type: 'crypt', encryption: 'aes-xts-plain64' } } }), 4096);
    expect(luksCipher(v2)).toBe('aes-xts-plain64');
    expect(luksCipher(Buffer.alloc(600))).toBe('');
  });

  it.skipIf(schemaMissing)('has osquery columns', () => {
    for (const r of collectRows(diskEncryption)) expect(columnMismatch('disk_encryption', r)).toBe('');
  });
});
