/**
 * disk_encryption: whether each block device is a dm-crypt mapping. The device-mapper UUID in
 * /sys/block/dm-N/dm/uuid starts with CRYPT-<TYPE>- for cryptsetup devices; the cipher comes from
 * the LUKS header of the underlying device when it can be read (osquery asks libcryptsetup).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { SYS_CLASS_BLOCK, blockDeviceNames, blockDeviceRow } from './block_devices.js';
import { listDir, readAttr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

/**
 * The cipher spec ("aes-xts-plain64") in a LUKS1 or LUKS2 header, or '' when `header` is not one.
 *
 * @example
 * luksCipher(firstBytesOfDevice);
 */
export function luksCipher(header: Buffer): string {
  if (header.length < 72 || header.readUInt32BE(0) !== 0x4c554b53 || header.readUInt16BE(4) !== 0xbabe) return '';
  const version = header.readUInt16BE(6);
  const cstr = (start: number, len: number) => {
    const slice = header.subarray(start, start + len);
    const nul = slice.indexOf(0);
    return slice.subarray(0, nul < 0 ? slice.length : nul).toString('latin1');
  };
  if (version === 1) {
    const name = cstr(8, 32);
    const mode = cstr(40, 32);
    return name === '' ? '' : mode === '' ? name : `${name}-${mode}`;
  }
  if (version === 2 && header.length > 4096) {
    // The JSON metadata follows the 4096-byte binary header; segment 0 names the cipher.
    const json = cstr(4096, header.length - 4096);
    try {
      const meta = JSON.parse(json) as { segments?: Record<string, { encryption?: string }> };
      const seg = meta.segments?.['0'] ?? Object.values(meta.segments ?? {})[0];
      return typeof seg?.encryption === 'string' ? seg.encryption : '';
    } catch {
      return '';
    }
  }
  return '';
}

function readHeader(device: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(device, 'r');
    const buf = Buffer.alloc(4096 + 16384);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The encryption columns for a kernel device name, from its dm uuid and LUKS header. */
export function encryptionOf(name: string, root = SYS_CLASS_BLOCK): { encrypted: number; type: string } {
  const dmUuid = readAttr(join(root, name, 'dm', 'uuid'));
  const m = /^CRYPT-([A-Za-z0-9]+)-/.exec(dmUuid);
  if (!m) return { encrypted: 0, type: '' };
  let type = '';
  for (const slave of listDir(join(root, name, 'slaves'))) {
    const header = readHeader(`/dev/${slave}`);
    if (header) type = luksCipher(header);
    if (type !== '') break;
  }
  return { encrypted: 1, type };
}

/** Generator for osquery's `disk_encryption` table. */
export const diskEncryption: TableImpl = {
  name: 'disk_encryption',
  *generate(ctx) {
    for (const name of blockDeviceNames(ctx)) {
      const device: Row | undefined = blockDeviceRow(name);
      if (!device) continue;
      const { encrypted, type } = encryptionOf(name);
      yield {
        name: device.name,
        uuid: device.uuid,
        encrypted,
        type,
        encryption_status: encrypted ? 'encrypted' : 'not encrypted',
        uid: null,
        user_uuid: null,
        filevault_status: null,
      };
    }
  },
};
