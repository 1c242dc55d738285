/**
 * pci_devices: PCI devices from /sys/bus/pci/devices/<slot>/uevent, named from the pci.ids
 * database (hwdata / pciutils) when it is installed, as osquery does. Without pci.ids the ids are
 * still reported and the names stay empty.
 */
import { join } from 'node:path';
import { deviceProperties } from '../common/udev-db.js';
import { listDir, readTextOr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

export const SYS_BUS_PCI = '/sys/bus/pci/devices';
export const PCI_IDS_PATHS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids', '/usr/share/pci.ids'];

/** The parts of pci.ids the table uses. Keys are lowercase hex ids. */
export interface PciDb {
  readonly vendors: Map<string, { name: string; devices: Map<string, { name: string; subsystems: Map<string, string> }> }>;
  readonly classes: Map<string, { name: string; subclasses: Map<string, string> }>;
}

/**
 * Parses pci.ids: vendors (tab-indented devices, double-tab subsystems) and the `C` class section.
 *
 * @example
 * parsePciIds('8086  Intel Corporation\n\t1237  440FX\n').vendors.get('8086')?.name;
 */
export function parsePciIds(text: string): PciDb {
  const db: PciDb = { vendors: new Map(), classes: new Map() };
  let vendor: ReturnType<PciDb['vendors']['get']>;
  let device: { name: string; subsystems: Map<string, string> } | undefined;
  let cls: ReturnType<PciDb['classes']['get']>;
  let inClasses = false;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('C ')) {
      inClasses = true;
      const m = /^C ([0-9a-f]{2})\s+(.*)$/i.exec(line);
      cls = m ? { name: m[2], subclasses: new Map() } : undefined;
      if (m && cls) db.classes.set(m[1].toLowerCase(), cls);
      continue;
    }
    if (inClasses) {
      const sub = /^\t([0-9a-f]{2})\s+(.*)$/i.exec(line);
      if (sub && cls) cls.subclasses.set(sub[1].toLowerCase(), sub[2]);
      continue;
    }
    let m = /^([0-9a-f]{4})\s+(.*)$/i.exec(line);
    if (m) {
      vendor = { name: m[2], devices: new Map() };
      db.vendors.set(m[1].toLowerCase(), vendor);
      continue;
    }
    m = /^\t([0-9a-f]{4})\s+(.*)$/i.exec(line);
    if (m && vendor) {
      device = { name: m[2], subsystems: new Map() };
      vendor.devices.set(m[1].toLowerCase(), device);
      continue;
    }
    m = /^\t\t([0-9a-f]{4}) ([0-9a-f]{4})\s+(.*)$/i.exec(line);
    if (m && device) device.subsystems.set(`${m[1]}:${m[2]}`.toLowerCase(), m[3]);
  }
  return db;
}

let cachedDb: PciDb | null | undefined;

function loadPciDb(): PciDb | undefined {
  if (cachedDb === undefined) {
    cachedDb = null;
    for (const p of PCI_IDS_PATHS) {
      const text = readTextOr(p);
      if (text !== undefined) {
        cachedDb = parsePciIds(text);
        break;
      }
    }
  }
  return cachedDb ?? undefined;
}

/** The osquery row for a device's uevent properties. */
export function pciDeviceRow(props: ReadonlyMap<string, string>, db: PciDb | undefined): Row {
  const [vendorId = '', modelId = ''] = (props.get('PCI_ID') ?? '').toLowerCase().split(':');
  const [subVendorId = '', subModelId = ''] = (props.get('PCI_SUBSYS_ID') ?? '').toLowerCase().split(':');
  // PCI_CLASS is class, subclass and prog-if as hex without leading zeros ("20000", "C0330").
  const classHex = (props.get('PCI_CLASS') ?? '').toLowerCase().padStart(6, '0');
  const classId = classHex.slice(0, 2);
  const subclassId = classHex.slice(2, 4);
  const vendor = db?.vendors.get(vendorId);
  const device = vendor?.devices.get(modelId);
  const cls = db?.classes.get(classId);
  const hex = (id: string) => (id === '' ? '' : `0x${id}`);
  return {
    pci_slot: props.get('PCI_SLOT_NAME') ?? '',
    pci_class: props.get('ID_PCI_CLASS_FROM_DATABASE') ?? cls?.name ?? '',
    driver: props.get('DRIVER') ?? '',
    vendor: props.get('ID_VENDOR_FROM_DATABASE') ?? vendor?.name ?? '',
    vendor_id: hex(vendorId),
    model: props.get('ID_MODEL_FROM_DATABASE') ?? device?.name ?? '',
    model_id: hex(modelId),
    pci_class_id: props.has('PCI_CLASS') ? `0x${classId}` : '',
    pci_subclass_id: props.has('PCI_CLASS') ? `0x${subclassId}` : '',
    pci_subclass: props.get('ID_PCI_SUBCLASS_FROM_DATABASE') ?? cls?.subclasses.get(subclassId) ?? '',
    subsystem_vendor_id: hex(subVendorId),
    subsystem_vendor: db?.vendors.get(subVendorId)?.name ?? '',
    subsystem_model_id: hex(subModelId),
    subsystem_model: device?.subsystems.get(`${subVendorId}:${subModelId}`) ?? '',
  };
}

/** Generator for osquery's `pci_devices` table. */
export const pciDevices: TableImpl = {
  name: 'pci_devices',
  *generate() {
    const db = loadPciDb();
    for (const slot of listDir(SYS_BUS_PCI)) {
      const props = deviceProperties(join(SYS_BUS_PCI, slot), 'c');
      if (!props.has('PCI_SLOT_NAME')) continue;
      yield pciDeviceRow(props, db);
    }
  },
};
