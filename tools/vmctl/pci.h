/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): a dword write to 0xcf8 sets CONFIG_ADDRESS (bit 31 enable,
 * bus 23:16, device 15:11, function 10:8, register 7:2); 0xcfc-0xcff read
 * or write that register with byte/word/dword accesses. One device: an
 * i440FX-like host bridge at 00:00.0. Empty slots, and data accesses with
 * the enable bit clear, read all ones (master abort).
 */
#ifndef _VMCTL_PCI_H
#define _VMCTL_PCI_H

#include "vmctl.h"

#define PCI_PORT_ADDR		0xcf8
#define PCI_PORT_DATA		0xcfc
#define PCI_NR_PORTS		8
#define PCI_CONFIG_ENABLE	BIT(31)

#define PCI_HB_VENDOR		0x8086	/* Intel */
#define PCI_HB_DEVICE		0x1237	/* 82441FX (i440FX) */
#define PCI_HB_CLASS		0x060000 /* bridge, host bridge */

struct pci_bus {
	u32 addr;		/* CONFIG_ADDRESS */
	u8 hb_cfg[256];		/* host bridge configuration space */
	u8 hb_wmask[256];	/* writable bits of it */
};

void pci_init(struct pci_bus *pci);
/* Direct access to configuration space, @size 1/2/4 (unaligned: all ones). */
u32 pci_config_read(struct pci_bus *pci, u8 bus, u8 devfn, u8 reg, u8 size);
void pci_config_write(struct pci_bus *pci, u8 bus, u8 devfn, u8 reg, u8 size, u32 val);
u32 pci_io_in(void *opaque, u16 port, u8 size);
void pci_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_PCI_H */
