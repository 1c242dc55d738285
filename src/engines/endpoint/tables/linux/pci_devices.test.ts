import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUevent } from '../common/udev-db.js';
import { collectRows } from '../common/test-context.js';
import { columnMismatch, schemaMissing } from '../common/testdata/osquery-columns.js';
import { parsePciIds, pciDeviceRow, pciDevices } from './pci_devices.js';

const DB = parsePciIds(
  '# comment\n8086  Intel Corporation\n\t1237  440FX - 82441FX PMC [Natoma]\n\t\t1af4 1100  Qemu virtual machine\n1af4  Red Hat, Inc.\nC 02  Network controller\n\t00  Ethernet controller\nC 06  Bridge\n\t00  Host bridge\n',
);

function slots(): string[] {
  try {
    return readdirSync('/sys/bus/pci/devices').sort();
  } catch {
    return [];
  }
}

describe('pci_devices', () => {
  it('has one row per device in /sys/bus/pci/devices', () => {
    const rows = collectRows(pciDevices);
    expect(rows.map((r) => r.pci_slot).sort()).toEqual(slots());
    for (const r of rows) if (!schemaMissing) expect(columnMismatch('pci_devices', r)).toBe('');
  });

  it('names vendor, model, subsystem and class from pci.ids', () => {
    const props = parseUevent('DRIVER=piix4\nPCI_CLASS=60000\nPCI_ID=8086:1237\nPCI_SUBSYS_ID=1AF4:1100\nPCI_SLOT_NAME=0000:00:00.0\n');
    expect(pciDeviceRow(props, DB)).toEqual({
      pci_slot: '0000:00:00.0', pci_class: 'Bridge', driver: 'piix4', vendor: 'Intel Corporation', vendor_id: '0x8086',
      model: '440FX - 82441FX PMC [Natoma]', model_id: '0x1237', pci_class_id: '0x06', pci_subclass_id: '0x00',
      pci_subclass: 'Host bridge', subsystem_vendor_id: '0x1af4', subsystem_vendor: 'Red Hat, Inc.', subsystem_model_id: '0x1100',
      subsystem_model: 'Qemu virtual machine',
    });
  });

  it('keeps ids and leaves names empty without pci.ids', () => {
    const row = pciDeviceRow(parseUevent('PCI_CLASS=20000\nPCI_ID=1AF4:1041\nPCI_SLOT_NAME=0000:00:03.0\n'), undefined);
    expect(row).toMatchObject({ vendor_id: '0x1af4', model_id: '0x1041', pci_class_id: '0x02', vendor: '', pci_class: '' });
  });
});
