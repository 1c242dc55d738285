/**
 * Fuzz tests for the batch-B parsers of untrusted bytes (files users and packages control, device
 * headers, tool output): random mutations of real-looking inputs must never throw or hang.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGroupNames, parsePasswd } from './accounts-b.js';
import { certificateDer, children, readTlv } from './der.js';
import { parseMdstat } from './mdstat.js';
import { parseSmbios } from './smbios.js';
import { memoryDevice17 } from './testdata/smbios-builder.js';
import { memoryDeviceRow } from '../linux/memory_devices.js';
import { oemStringRows } from '../linux/oem_strings.js';
import { smbiosTableRow } from '../linux/smbios_tables.js';
import { buildZip } from './testdata/zip-builder.js';
import { parseUdevData, parseUevent } from './udev-db.js';
import { readZipEntry } from './zip-entry.js';
import { parseYaraOutput } from './yara-cli.js';
import { chromeTimeToUnix } from '../linux/chrome_extensions.js';
import { parseCpuinfo } from '../linux/cpu_info.js';
import { parseIptablesSave, parseProtocolNumbers } from '../linux/iptables.js';
import { parseMeminfo } from '../linux/memory_info.js';
import { parseIomem } from '../linux/memory_map.js';
import { packageJsonColumns } from '../linux/npm_packages.js';
import { parsePciIds, pciDeviceRow } from '../linux/pci_devices.js';
import { parsePythonMetadata } from '../linux/python_packages.js';
import { parseFibTrieLocal, parseProcNetIpv6Route, parseProcNetRoute } from '../linux/routes.js';
import { booleanValue } from '../linux/selinux_settings.js';
import { parseSysvShm } from '../linux/shared_memory.js';
import { parseSshConfig } from '../linux/ssh_configs.js';
import { privateKeyFacts } from '../linux/user_ssh_keys.js';
import { parseProcNetArp } from '../linux/arp_cache.js';
import { parseProcStatCpus } from '../linux/cpu_time.js';
import { luksCipher } from '../posix/disk_encryption.js';
import { efiSignatureListCerts } from '../linux/secureboot_certificates.js';
import { parseKnownHosts } from '../posix/known_hosts.js';
import { parseSudoers } from '../posix/sudoers.js';
import { parseSysctlConf } from '../posix/system_controls.js';
import { parseLimits } from '../posix/ulimit_info.js';
import { usbDeviceRow } from '../posix/usb_devices.js';

/** A small deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['\n', ' ', '\t', ':', '=', '/', '[', ']', '{', '}', '"', '#', '-', '0', '9', 'f', 'x', '%', '\0', '\u00e9', '|--', '-A', '0x'];

function mutateText(seed: string, r: () => number): string {
  const chars = [...seed];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * (chars.length + 1));
    const op = r();
    if (op < 0.4) chars.splice(pos, 1);
    else if (op < 0.8) chars.splice(pos, 0, ALPHABET[Math.floor(r() * ALPHABET.length)]);
    else chars.splice(pos, Math.floor(r() * 20));
  }
  return chars.join('');
}

function mutateBytes(seed: Buffer, r: () => number): Buffer {
  const b = Buffer.from(seed);
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n && b.length > 0; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
  return r() < 0.2 ? b.subarray(0, Math.floor(r() * b.length)) : b;
}

const ROUNDS = 300;

const TEXT_CASES: [string, string, (text: string) => unknown][] = [
  ['mdstat', 'Personalities : [raid1]\nmd0 : active raid1 sdb1[1] sda1[0]\n      1048512 blocks super 1.2 [2/2] [UU]\n      resync=DELAYED\n      bitmap: 0/1 pages [0KB], 65536KB chunk, file: /x\n\nunused devices: <none>\n', parseMdstat],
  ['sudoers', 'root ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n@include x\n', parseSudoers],
  ['meminfo', 'MemTotal:  2048 kB\nMemFree: 1024 kB\nSwapTotal: 0 kB\n', parseMeminfo],
  ['arp', 'IP address HW type Flags HW address Mask Device\n10.0.0.1 0x1 0x2 aa:bb:cc:dd:ee:ff * eth0\n', parseProcNetArp],
  ['route', 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n', (t) => parseProcNetRoute(t, () => [{ address: '192.0.2.2', prefix: 24 }])],
  ['ipv6_route', 'fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0\n', parseProcNetIpv6Route],
  ['fib_trie', 'Local:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 127.0.0.1\n        /32 host LOCAL\n     |-- 127.255.255.255\n        /32 link BROADCAST\n', (t) => parseFibTrieLocal(t, [{ iface: 'lo', address: '127.0.0.1', prefix: 8 }])],
  ['iptables-save', '*filter\n:INPUT ACCEPT [0:0]\n[1:2] -A INPUT -s 10.0.0.0/8 -i eth0 -p tcp -m tcp --dport 22 -m comment --comment "x y" -j ACCEPT\nCOMMIT\n', (t) => parseIptablesSave(t, parseProtocolNumbers('tcp 6 TCP\n'))],
  ['protocols', 'tcp 6 TCP # c\nudp 17 UDP\n', parseProtocolNumbers],
  ['sysctl.conf', 'net.ipv4.ip_forward = 1\n-kernel.sysrq=16\n', (t) => parseSysctlConf(t)],
  ['cpuinfo', 'processor\t: 0\nphysical id\t: 0\nmodel name\t: X\ncpu MHz\t: 1.5\n\nprocessor\t: 1\nphysical id\t: 1\n', (t) => parseCpuinfo(t)],
  ['stat', 'cpu 1 2 3\ncpu0 1 2 3 4 5 6 7 8 9 10\n', parseProcStatCpus],
  ['limits', 'Limit Soft Limit Hard Limit Units\nMax open files            1024                 4096                 files\n', parseLimits],
  ['sysvipc/shm', 'key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap\n1 2 1600 3 4 5 6 7 8 9 10 11 12 13 14 15\n', parseSysvShm],
  ['iomem', '00000000-00000fff : Reserved\n  000de000-000defff : AMZNC10C:00\n', parseIomem],
  ['pci.ids', '8086  Intel\n\t1237  440FX\n\t\t1af4 1100  Qemu\nC 02  Network\n\t00  Ethernet\n', parsePciIds],
  ['uevent', 'PCI_CLASS=20000\nPCI_ID=1AF4:1041\nPCI_SUBSYS_ID=1AF4:1041\nPCI_SLOT_NAME=0000:00:03.0\n', (t) => pciDeviceRow(parseUevent(t), undefined)],
  ['usb uevent', 'BUSNUM=001\nDEVNUM=002\nTYPE=9/0/1\nPRODUCT=1d6b/2/515\n', (t) => usbDeviceRow(parseUevent(t), () => '')],
  ['udev data', 'S:disk/by-uuid/x\nE:ID_FS_UUID=abc\nE:ID_FS_TYPE=ext4\n', (t) => parseUdevData(t)],
  ['yara output', 'evil [a,b] /tmp/x y\n0x10:$a: EVIL\nother [] /tmp/z\n', parseYaraOutput],
  ['METADATA', 'Name: a\nVersion: 1\nSummary: s: t\nLicense: MIT\n\nbody', parsePythonMetadata],
  ['known_hosts', 'github.com ssh-ed25519 AAAA\n# c\n', parseKnownHosts],
  ['ssh_config', 'Host x\n  User git\nMatch all\n', parseSshConfig],
  ['passwd', 'root:x:0:0:root:/root:/bin/bash\n', parsePasswd],
  ['group', 'root:x:0:\n', parseGroupNames],
  ['selinux boolean', '1 1', booleanValue],
  ['chrome time', '13303404000000000', chromeTimeToUnix],
  ['ssh private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACDjKqp5Fc65tEnRulDqKii7GmoB+QvaJFotHYdpfRiiZQ\n-----END OPENSSH PRIVATE KEY-----\n', privateKeyFacts],
];

describe('batch-B parsers under fuzzing', () => {
  for (const [name, seed, parse] of TEXT_CASES) {
    it(`never throws on mutated ${name} input`, () => {
      const r = rng(name.length * 7919);
      const started = Date.now();
      for (let i = 0; i < ROUNDS; i++) {
        const input = mutateText(seed, r);
        expect(() => parse(input), JSON.stringify(input)).not.toThrow();
      }
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }

  it('never throws on mutated package.json documents', () => {
    const r = rng(42);
    const seed = '{"name":"a","version":"1.0.0","author":{"name":"x"},"license":{"type":"MIT","url":"u"}}';
    for (let i = 0; i < ROUNDS; i++) {
      let doc: unknown;
      try {
        doc = JSON.parse(mutateText(seed, r));
      } catch {
        continue; // the table warns about invalid JSON before this function is reached
      }
      expect(() => packageJsonColumns(doc)).not.toThrow();
    }
  });

  it('never throws on mutated DER certificates, LUKS headers, TLVs and SMBIOS tables', () => {
    const r = rng(7);
    // A real certificate's DER (a tiny self-signed P-256 certificate) as the seed.
    const cert = Buffer.from(
      'MIIBfjCCASOgAwIBAgIUQ2Yl0fK0s3Xh1vEo0Hn0gOkQ9r8wCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJdmlnaWwudGVzdDAeFw0yNjAxMDEwMDAwMDBaFw0zNjAxMDEwMDAwMDBaMBQxEjAQBgNVBAMMCXZpZ2lsLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ=',
      'base64',
    );
    const luks = Buffer.alloc(600);
    luks.write('LUKS\xba\xbe', 0, 'latin1');
    luks.writeUInt16BE(1, 6);
    luks.write('aes', 8);
    for (let i = 0; i < ROUNDS; i++) {
      const c = mutateBytes(cert, r);
      expect(() => certificateDer(c)).not.toThrow();
      expect(() => children(c)).not.toThrow();
      expect(() => readTlv(c, Math.floor(r() * c.length))).not.toThrow();
      expect(() => luksCipher(mutateBytes(luks, r))).not.toThrow();
      expect(() => efiSignatureListCerts(mutateBytes(Buffer.concat([Buffer.alloc(4), Buffer.from('a159c0a5e494a74a87b5ab155c2bf072', 'hex'), Buffer.from([60, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0]), cert.subarray(0, 32)]), r))).not.toThrow();
      const smbios = mutateBytes(memoryDevice17(), r);
      expect(() => parseSmbios(smbios).forEach((s) => (smbiosTableRow(s), memoryDeviceRow(s), oemStringRows(s)))).not.toThrow();
    }
  });

  it('reads mutated ZIP archives with nothing worse than an Error', () => {
    const r = rng(99);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-zipfuzz-'));
    const seed = buildZip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'META-INF/plugin.xml': '<idea-plugin><name>x</name></idea-plugin>' });
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const file = join(dir, 'f.jar');
        writeFileSync(file, mutateBytes(seed, r));
        try {
          readZipEntry(file, 'META-INF/plugin.xml');
        } catch (e) {
          // Malformed archives are reported with an Error (the table turns it into a warning).
          expect(e).toBeInstanceOf(Error);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
