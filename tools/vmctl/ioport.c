// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O dispatch through a table of port ranges (kvmtool/bhyve style),
 * indexed by a per-port map; the per-exit access path is inline in
 * ioport.h, this file has registration and the rare paths.
 */
#include <string.h>
#include "ioport.h"

_Static_assert(IOPORT_MAX_DEVS < 256, "ioport_bus.map holds u8 indexes");

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
	memset(&bus->map[dev->base], bus->nr_devs, dev->len);
	return 0;
}

/* Cold: keep the report out of the dispatch path's instruction stream. */
__attribute__((cold)) void ioport_unclaimed(struct ioport_bus *bus, u16 port, const char *what)
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

/* REP INS/OUTS, out of line so that a single access needs no stack frame. */
void ioport_string(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u32 count, u8 *data)
{
	u32 i;

	for (i = 0; i < count; i++, data += size) {
		if (dir == VTX_IO_IN)
			ioport_store(data, size, ioport_in(bus, port, size));
		else
			ioport_out(bus, port, size, ioport_load(data, size));
	}
}
