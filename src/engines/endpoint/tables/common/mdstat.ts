/**
 * Linux software RAID (md) from /proc/mdstat and /sys/block/mdN/md/, shared by md_devices,
 * md_drives and md_personalities. osquery asks the md driver with GET_ARRAY_INFO/GET_DISK_INFO
 * ioctls; sysfs exposes the same counters without them.
 */

export interface MdAction {
  progress: string;
  finish: string;
  speed: string;
}

export interface MdDevice {
  name: string;
  status: string;
  raidLevel: string;
  drives: { name: string; slot: number | null }[];
  usableSize: number | null;
  other: string;
  recovery?: MdAction;
  resync?: MdAction;
  reshape?: MdAction;
  check?: MdAction;
  bitmap?: { onMem: string; chunkSize: string; externalFile: string };
}

export interface MdStat {
  personalities: string[];
  devices: MdDevice[];
  unused: string;
}

function parseAction(text: string): MdAction {
  // "12.6% (1234/5678) finish=1.2min speed=1234K/sec"
  const parts = text.trim().split(/\s+/);
  const find = (prefix: string) => parts.find((p) => p.startsWith(prefix))?.slice(prefix.length) ?? '';
  return { progress: parts.slice(0, 2).join(' '), finish: find('finish='), speed: find('speed=') };
}

/**
 * Parses /proc/mdstat.
 *
 * @example
 * parseMdstat('Personalities : [raid1]\nmd0 : active raid1 sdb1[1] sda1[0]\n      1048512 blocks super 1.2 [2/2] [UU]\n\nunused devices: <none>\n');
 */
export function parseMdstat(text: string): MdStat {
  const out: MdStat = { personalities: [], devices: [], unused: '' };
  let current: MdDevice | undefined;
  let expectConfig = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      current = undefined;
      continue;
    }
    if (line.startsWith('Personalities :')) {
      out.personalities = [...line.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      continue;
    }
    if (line.startsWith('unused devices:')) {
      out.unused = line.slice('unused devices:'.length).trim();
      continue;
    }
    const dev = /^(md\S*)\s*:\s*(.*)$/.exec(line);
    if (dev) {
      const settings = dev[2].split(/\s+/);
      current = {
        name: dev[1],
        status: settings[0] ?? '',
        raidLevel: settings[1] ?? '',
        drives: settings.slice(2).map((d) => {
          const m = /^(.*?)\[(\d+)\]/.exec(d);
          return { name: m ? m[1] : d, slot: m ? Number(m[2]) : null };
        }),
        usableSize: null,
        other: '',
      };
      out.devices.push(current);
      expectConfig = true;
      continue;
    }
    if (!current) continue;
    if (expectConfig) {
      expectConfig = false;
      const f = line.split(/\s+/);
      if (f[1] === 'blocks') current.usableSize = Number(f[0]);
      if (f.length > 4) current.other = f.slice(2, f.length - 2).join(' ');
      continue;
    }
    const action = /(recovery|resync|reshape|check)\s*=\s*(.*)$/.exec(line);
    if (action) {
      const key = action[1] as 'recovery' | 'resync' | 'reshape' | 'check';
      current[key] = parseAction(action[2]);
      continue;
    }
    const delayed = /resync=(\S+)/.exec(line);
    if (delayed) {
      current.resync = { progress: delayed[1], finish: '', speed: '' };
      continue;
    }
    const bitmap = /bitmap:\s*(.*)$/.exec(line);
    if (bitmap) {
      const parts = bitmap[1].split(',').map((p) => p.trim());
      const file = parts[2]?.startsWith('file:') ? parts[2].slice(5).trim() : '';
      current.bitmap = { onMem: parts[0] ?? '', chunkSize: parts[1] ?? '', externalFile: file };
    }
  }
  return out;
}

/** md's RAID level names as the numbers the GET_ARRAY_INFO ioctl reports. */
export function raidLevelNumber(level: string): number | null {
  const m = /^raid(\d+)$/.exec(level);
  if (m) return Number(m[1]);
  const named: Record<string, number> = { linear: -1, multipath: -4, faulty: -5, container: -100 };
  return named[level] ?? null;
}
