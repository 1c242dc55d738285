/**
 * user_ssh_keys: private keys in the users' ~/.ssh directories (any file containing
 * "PRIVATE KEY"), whether they are passphrase-protected, and the key's type and strength.
 * PEM keys are read with node:crypto; OpenSSH-format keys (the ssh-keygen default) from their
 * unencrypted public part, which osquery leaves blank.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { usersForQuery, type LocalUser } from '../common/accounts-b.js';
import { listDir } from '../common/sysfs.js';
import type { QueryContext, Row, TableImpl } from '../../types.js';

/** OpenSSL's BN_security_bits for RSA/DSA modulus sizes. */
function finiteFieldSecurityBits(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  return 0;
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256 };
const SSH_CURVES: Record<string, string> = { nistp256: 'prime256v1', nistp384: 'secp384r1', nistp521: 'secp521r1' };

export interface KeyFacts {
  encrypted: number;
  key_type: string;
  key_group_name: string;
  key_length: number;
  key_security_bits: number;
}

const UNKNOWN = { key_type: '', key_group_name: '', key_length: -1, key_security_bits: -1 };

function factsOfKeyObject(key: KeyObject): Omit<KeyFacts, 'encrypted'> {
  const type = key.asymmetricKeyType ?? '';
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    const bits = d.modulusLength ?? -1;
    return { key_type: type === 'rsa-pss' ? 'rsa' : type, key_group_name: '', key_length: bits, key_security_bits: bits > 0 ? finiteFieldSecurityBits(bits) : -1 };
  }
  if (type === 'ec') {
    const curve = d.namedCurve ?? '';
    const bits = CURVE_BITS[curve] ?? -1;
    return { key_type: 'ec', key_group_name: curve, key_length: bits, key_security_bits: bits > 0 ? Math.floor(bits / 2) : -1 };
  }
  if (type === 'ed25519') return { key_type: 'ed25519', key_group_name: '', key_length: 256, key_security_bits: 128 };
  if (type === 'ed448') return { key_type: 'ed448', key_group_name: '', key_length: 456, key_security_bits: 224 };
  return UNKNOWN;
}

/** Reads an SSH wire-format string (uint32 length + bytes) at `off`. */
function sshString(buf: Buffer, off: number): { value: Buffer; next: number } | undefined {
  if (off + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(off);
  if (off + 4 + len > buf.length) return undefined;
  return { value: buf.subarray(off + 4, off + 4 + len), next: off + 4 + len };
}

/** Facts from an "openssh-key-v1" container: its cipher and its (always clear) public key blob. */
export function opensshKeyFacts(pem: string): KeyFacts | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(pem);
  if (!m) return undefined;
  const buf = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (buf.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  const cipher = sshString(buf, magic.length);
  const kdf = cipher && sshString(buf, cipher.next);
  const kdfOpts = kdf && sshString(buf, kdf.next);
  if (!kdfOpts || kdfOpts.next + 4 > buf.length) return undefined;
  const encrypted = cipher.value.toString('latin1') === 'none' ? 0 : 1;
  const pub = sshString(buf, kdfOpts.next + 4);
  const keyType = pub && sshString(pub.value, 0);
  if (!pub || !keyType) return { encrypted, ...UNKNOWN };
  const type = keyType.value.toString('latin1');
  if (type === 'ssh-ed25519') return { encrypted, key_type: 'ed25519', key_group_name: '', key_length: 256, key_security_bits: 128 };
  if (type === 'ssh-rsa') {
    const e = sshString(pub.value, keyType.next);
    const n = e && sshString(pub.value, e.next);
    if (!n) return { encrypted, ...UNKNOWN };
    let bytes = n.value;
    while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
    const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]));
    return { encrypted, key_type: 'rsa', key_group_name: '', key_length: bits, key_security_bits: finiteFieldSecurityBits(bits) };
  }
  const ec = /^ecdsa-sha2-(nistp\d+)$/.exec(type);
  if (ec) {
    const curve = SSH_CURVES[ec[1]] ?? ec[1];
    const bits = CURVE_BITS[curve] ?? -1;
    return { encrypted, key_type: 'ec', key_group_name: curve, key_length: bits, key_security_bits: bits > 0 ? Math.floor(bits / 2) : -1 };
  }
  if (type === 'ssh-dss') return { encrypted, key_type: 'dsa', key_group_name: '', key_length: 1024, key_security_bits: 80 };
  return { encrypted, ...UNKNOWN };
}

/**
 * What a private key file says about itself, or undefined when it holds no private key.
 *
 * @example
 * privateKeyFacts(readFileSync(`${home}/.ssh/id_ed25519`, 'utf8'));
 */
export function privateKeyFacts(text: string): KeyFacts | undefined {
  if (!text.includes('PRIVATE KEY')) return undefined;
  const openssh = opensshKeyFacts(text);
  if (openssh) return openssh;
  if (text.includes('ENCRYPTED')) return { encrypted: 1, ...UNKNOWN };
  try {
    return { encrypted: 0, ...factsOfKeyObject(createPublicKey(createPrivateKey(text))) };
  } catch {
    return { encrypted: 0, ...UNKNOWN };
  }
}

/** Rows for the given users. */
export function* userSshKeyRows(users: readonly LocalUser[], ctx: QueryContext): Generator<Row> {
  for (const user of users) {
    const dir = join(user.home, '.ssh');
    for (const name of listDir(dir)) {
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) continue;
      let text: string;
      try {
        text = readFileSync(path, 'latin1');
      } catch (e) {
        ctx.warn(`user_ssh_keys: cannot read ${path}`, e);
        continue;
      }
      const facts = privateKeyFacts(text);
      if (facts) yield { uid: user.uid, path, ...facts, pid_with_namespace: 0 };
    }
  }
}

/** Generator for osquery's `user_ssh_keys` table. */
export const userSshKeys: TableImpl = {
  name: 'user_ssh_keys',
  generate: (ctx) => userSshKeyRows(usersForQuery(ctx.constraint('uid')), ctx),
};
