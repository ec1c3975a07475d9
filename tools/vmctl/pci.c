// SPDX-License-Identifier: GPL-2.0
/* PCI configuration mechanism #1 with one host bridge at 00:00.0. */
#include <string.h>
#include "pci.h"

static void pci_put(u8 *cfg, u8 reg, u32 val, u8 size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		cfg[reg + i] = val >> (8 * i);
}

void pci_init(struct pci_bus *pci)
{
	u8 *c = pci->hb_cfg;

	memset(pci, 0, sizeof(*pci));
	pci_put(c, 0x00, PCI_HB_VENDOR, 2);
	pci_put(c, 0x02, PCI_HB_DEVICE, 2);
	pci_put(c, 0x04, 0x0006, 2);		/* command: memory + bus master */
	pci_put(c, 0x06, 0x0280, 2);		/* status: fast back-to-back, medium DEVSEL */
	c[0x08] = 0x02;				/* revision */
	pci_put(c, 0x09, PCI_HB_CLASS, 3);	/* prog-if, subclass, class */
	c[0x0e] = 0x00;				/* header type 0, single function */
	/* What software may change: command bits and the latency timer. */
	pci_put(pci->hb_wmask, 0x04, 0x0146, 2);	/* memory, master, parity, SERR */
	pci->hb_wmask[0x0d] = 0xff;
}

u32 pci_config_read(struct pci_bus *pci, u8 bus, u8 devfn, u8 reg, u8 size)
{
	u32 val = 0;
	unsigned int i;

	if (bus != 0 || devfn != 0 || (reg & (size - 1)))
		return 0xffffffffU;	/* no device: master abort */
	for (i = 0; i < size; i++)
		val |= (u32)pci->hb_cfg[reg + i] << (8 * i);
	return val;
}

void pci_config_write(struct pci_bus *pci, u8 bus, u8 devfn, u8 reg, u8 size, u32 val)
{
	unsigned int i;

	if (bus != 0 || devfn != 0 || (reg & (size - 1)))
		return;
	for (i = 0; i < size; i++) {
		u8 m = pci->hb_wmask[reg + i];
		u8 b = val >> (8 * i);

		pci->hb_cfg[reg + i] = (pci->hb_cfg[reg + i] & ~m) | (b & m);
	}
}

/* The data port offset (0-3) selects the byte within the dword register. */
static bool pci_decode(const struct pci_bus *pci, u16 port, u8 *bus, u8 *devfn, u8 *reg)
{
	if (!(pci->addr & PCI_CONFIG_ENABLE))
		return false;
	*bus = pci->addr >> 16;
	*devfn = pci->addr >> 8;
	*reg = (pci->addr & 0xfc) + (port - PCI_PORT_DATA);
	return true;
}

u32 pci_io_in(void *opaque, u16 port, u8 size)
{
	struct pci_bus *pci = opaque;
	u8 bus, devfn, reg;

	if (port < PCI_PORT_DATA) {
		/* Only a dword access at 0xcf8 is CONFIG_ADDRESS (0xcf9 is not). */
		return port == PCI_PORT_ADDR && size == 4 ? pci->addr : 0xffffffffU;
	}
	if (!pci_decode(pci, port, &bus, &devfn, &reg))
		return 0xffffffffU;
	return pci_config_read(pci, bus, devfn, reg, size);
}

void pci_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct pci_bus *pci = opaque;
	u8 bus, devfn, reg;

	if (port < PCI_PORT_DATA) {
		/* Bits 1:0 and 30:24 are reserved: read back as zero. */
		if (port == PCI_PORT_ADDR && size == 4)
			pci->addr = val & 0x80fffffcU;
		return;
	}
	if (pci_decode(pci, port, &bus, &devfn, &reg))
		pci_config_write(pci, bus, devfn, reg, size, val);
}
