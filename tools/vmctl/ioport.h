/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port I/O bus: device models register {base, len, in, out}; the run
 * loop hands every VTX_EXIT_IO to ioport_handle(). Unclaimed ports read as
 * all ones and ignore writes, as on a PC's ISA bus; each one is reported
 * once on the log stream.
 */
#ifndef _VMCTL_IOPORT_H
#define _VMCTL_IOPORT_H

#include "vmctl.h"

#define IOPORT_MAX_DEVS		16

struct ioport_dev {
	const char *name;
	u16 base;
	u16 len;
	void *opaque;
	/* @size is 1, 2 or 4; @port is absolute. */
	u32 (*in)(void *opaque, u16 port, u8 size);
	void (*out)(void *opaque, u16 port, u8 size, u32 val);
};

struct ioport_bus {
	struct ioport_dev devs[IOPORT_MAX_DEVS];
	unsigned int nr_devs;
	FILE *log;
	u64 reported[65536 / 64];	/* unclaimed ports already reported */
	unsigned long nr_unclaimed;
};

void ioport_bus_init(struct ioport_bus *bus, FILE *log);
/* -EINVAL bad range, -EEXIST overlaps a device, -ENOSPC table full. */
int ioport_register(struct ioport_bus *bus, const struct ioport_dev *dev);
u32 ioport_in(struct ioport_bus *bus, u16 port, u8 size);
void ioport_out(struct ioport_bus *bus, u16 port, u8 size, u32 val);
/*
 * One VTX_EXIT_IO: @count items of @size bytes at @data (REP INS/OUTS
 * when count > 1). -EINVAL if the exit is malformed.
 */
int ioport_handle(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u32 count, u8 *data);

#endif /* _VMCTL_IOPORT_H */
