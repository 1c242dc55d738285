import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUevent } from '../common/udev-db.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { usbDeviceRow, usbDevices } from './usb_devices.js';

function usbDeviceDirs(): string[] {
  try {
    // Interfaces are named bus-port:config.interface; devices and root hubs have no colon.
    return readdirSync('/sys/bus/usb/devices').filter((n) => !n.includes(':'));
  } catch {
    return [];
  }
}

describe('usb_devices', () => {
  it('has one row per device in /sys/bus/usb/devices (none without a USB bus)', () => {
    expect(collectRows(usbDevices)).toHaveLength(usbDeviceDirs().length);
  });

  it('builds a row from uevent properties and sysfs attributes', () => {
    const props = parseUevent('MAJOR=189\nMINOR=1\nDEVTYPE=usb_device\nPRODUCT=46d/c52b/1211\nTYPE=0/0/0\nBUSNUM=001\nDEVNUM=002\n');
    const attrs: Record<string, string> = { manufacturer: 'Logitech', product: 'USB Receiver', idVendor: '046d', idProduct: 'c52b', bcdDevice: '1211', removable: 'removable' };
    const row = usbDeviceRow(props, (n) => attrs[n] ?? '');
    expect(row).toEqual({
      usb_address: 1, usb_port: 2, vendor: 'Logitech', vendor_id: '046d', version: '1211', model: 'USB Receiver',
      model_id: 'c52b', serial: '', class: '0', subclass: '0', protocol: '0', removable: 1,
    });
    if (!schemaMissing) expect(columnMismatch('usb_devices', row!)).toBe('');
  });

  it('skips interfaces, which have no bus and device number', () => {
    expect(usbDeviceRow(parseUevent('DEVTYPE=usb_interface\nINTERFACE=3/1/2\n'), () => '')).toBeUndefined();
  });
});
