/**
 * usb_devices: USB devices (not their interfaces) from /sys/bus/usb/devices, with the kernel's
 * uevent properties and udev's database, the same properties osquery reads through libudev.
 */
import { join } from 'node:path';
import { deviceProperties } from '../common/udev-db.js';
import { listDir, readAttr } from '../common/sysfs.js';
import type { Row, TableImpl } from '../../types.js';

export const SYS_BUS_USB = '/sys/bus/usb/devices';

/**
 * The row for a USB device from its properties and sysfs attributes, or undefined for an
 * interface (no BUSNUM/DEVNUM), which osquery skips as well.
 */
export function usbDeviceRow(props: ReadonlyMap<string, string>, attr: (name: string) => string): Row | undefined {
  const bus = props.get('BUSNUM');
  const dev = props.get('DEVNUM');
  if (!bus || !dev) return undefined;
  const classInfo = (props.get('TYPE') ?? '').split('/');
  const [vendorId, modelId, revision] = (props.get('PRODUCT') ?? '').split('/');
  return {
    usb_address: Number.parseInt(bus, 10),
    usb_port: Number.parseInt(dev, 10),
    // udev's hardware database names; without udevd, the strings the device itself reports.
    vendor: props.get('ID_VENDOR_FROM_DATABASE') ?? attr('manufacturer'),
    vendor_id: props.get('ID_VENDOR_ID') ?? (attr('idVendor') || (vendorId ?? '').padStart(4, '0')),
    version: props.get('ID_REVISION') ?? (attr('bcdDevice') || (revision ?? '')),
    model: props.get('ID_MODEL_FROM_DATABASE') ?? props.get('ID_MODEL') ?? attr('product'),
    model_id: props.get('ID_MODEL_ID') ?? (attr('idProduct') || (modelId ?? '').padStart(4, '0')),
    serial: props.get('ID_SERIAL_SHORT') ?? attr('serial'),
    class: classInfo.length === 3 ? classInfo[0] : '',
    subclass: classInfo.length === 3 ? classInfo[1] : '',
    protocol: classInfo.length === 3 ? classInfo[2] : '',
    // osquery's rule: "unknown" is -1, anything else (fixed, removable) is 1.
    removable: attr('removable') === 'unknown' ? -1 : 1,
  };
}

/** Generator for osquery's `usb_devices` table. */
export const usbDevices: TableImpl = {
  name: 'usb_devices',
  *generate() {
    for (const entry of listDir(SYS_BUS_USB)) {
      const dir = join(SYS_BUS_USB, entry);
      const row = usbDeviceRow(deviceProperties(dir, 'c'), (name) => readAttr(join(dir, name)));
      if (row) yield row;
    }
  },
};
