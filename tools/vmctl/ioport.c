// SPDX-License-Identifier: GPL-2.0
/* Port I/O dispatch through a table of port ranges (kvmtool/bhyve style). */
#include <string.h>
#include "ioport.h"

void ioport_bus_init(struct ioport_bus *bus, FILE *log)
{
	memset(bus, 0, sizeof(*bus));
	bus->log = log;
}

int ioport_register(struct ioport_bus *bus, const struct ioport_dev *dev)
{
	unsigned int i;
	u32 end = (u32)dev->base + dev->len;

	if (!dev->len || end > 0x10000 || !dev->in || !dev->out)
		return -EINVAL;
	for (i = 0; i < bus->nr_devs; i++) {
		const struct ioport_dev *d = &bus->devs[i];

		if (dev->base < (u32)d->base + d->len && d->base < end)
			return -EEXIST;
	}
	if (bus->nr_devs == IOPORT_MAX_DEVS)
		return -ENOSPC;
	bus->devs[bus->nr_devs++] = *dev;
	return 0;
}

static struct ioport_dev *ioport_find(struct ioport_bus *bus, u16 port)
{
	unsigned int i;

	for (i = 0; i < bus->nr_devs; i++)
		if (port >= bus->devs[i].base && port - bus->devs[i].base < bus->devs[i].len)
			return &bus->devs[i];
	return NULL;
}

static void ioport_unclaimed(struct ioport_bus *bus, u16 port, const char *what)
{
	u64 bit = 1ULL << (port % 64);

	bus->nr_unclaimed++;
	if (bus->reported[port / 64] & bit)
		return;
	bus->reported[port / 64] |= bit;
	if (bus->log)
		fprintf(bus->log,
			"vmctl: guest %s unclaimed I/O port 0x%x (reads all ones, writes ignored; reported once)\n",
			what, port);
}

static u32 ioport_mask(u8 size)
{
	return size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

u32 ioport_in(struct ioport_bus *bus, u16 port, u8 size)
{
	struct ioport_dev *d = ioport_find(bus, port);

	if (!d) {
		ioport_unclaimed(bus, port, "read");
		return ioport_mask(size);
	}
	return d->in(d->opaque, port, size) & ioport_mask(size);
}

void ioport_out(struct ioport_bus *bus, u16 port, u8 size, u32 val)
{
	struct ioport_dev *d = ioport_find(bus, port);

	if (!d) {
		ioport_unclaimed(bus, port, "wrote");
		return;
	}
	d->out(d->opaque, port, size, val & ioport_mask(size));
}

int ioport_handle(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u32 count, u8 *data)
{
	u32 i, val;

	if ((size != 1 && size != 2 && size != 4) || count == 0 ||
	    (u64)count * size > VTX_RUN_IO_DATA_SIZE || dir > VTX_IO_OUT)
		return -EINVAL;
	for (i = 0; i < count; i++, data += size) {
		if (dir == VTX_IO_IN) {
			val = ioport_in(bus, port, size);
			memcpy(data, &val, size);	/* little endian, like x86 */
		} else {
			val = 0;
			memcpy(&val, data, size);
			ioport_out(bus, port, size, val);
		}
	}
	return 0;
}
