/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port I/O bus: device models register {base, len, in, out}; the run
 * loop hands every VTX_EXIT_IO to ioport_handle(). Unclaimed ports read as
 * all ones and ignore writes, as on a PC's ISA bus; each one is reported
 * once on the log stream.
 */
#ifndef _VMCTL_IOPORT_H
#define _VMCTL_IOPORT_H

#include <string.h>
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
	/*
	 * devs[] index + 1 of every port, 0: unclaimed. One load finds the
	 * device on every exit, where a search of devs[] cost ~60 instructions
	 * per OUT (callgrind): 64 KiB, the price of a constant-time lookup.
	 */
	u8 map[65536];
	FILE *log;
	u64 reported[65536 / 64];	/* unclaimed ports already reported */
	unsigned long nr_unclaimed;
};

void ioport_bus_init(struct ioport_bus *bus, FILE *log);
/* -EINVAL bad range, -EEXIST overlaps a device, -ENOSPC table full. */
int ioport_register(struct ioport_bus *bus, const struct ioport_dev *dev);

/*
 * The access functions below are inline: they are the path of every I/O
 * exit, and exits.c then reaches the device with one map load and one
 * indirect call, no frames in between. The rare paths are in ioport.c.
 */
void ioport_unclaimed(struct ioport_bus *bus, u16 port, const char *what);
void ioport_string(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u32 count, u8 *data);

static inline u32 ioport_mask(u8 size)
{
	return size >= 4 ? 0xffffffffU : (1U << (size * 8)) - 1;
}

/* The device whose range holds @port, the first port of the access. */
static inline struct ioport_dev *ioport_find(struct ioport_bus *bus, u16 port)
{
	unsigned int i = bus->map[port];

	return i ? &bus->devs[i - 1] : NULL;
}

static inline u32 ioport_in(struct ioport_bus *bus, u16 port, u8 size)
{
	struct ioport_dev *d = ioport_find(bus, port);

	if (!d) {
		ioport_unclaimed(bus, port, "read");
		return ioport_mask(size);
	}
	return d->in(d->opaque, port, size) & ioport_mask(size);
}

static inline void ioport_out(struct ioport_bus *bus, u16 port, u8 size, u32 val)
{
	struct ioport_dev *d = ioport_find(bus, port);

	if (!d) {
		ioport_unclaimed(bus, port, "wrote");
		return;
	}
	d->out(d->opaque, port, size, val & ioport_mask(size));
}

/* Little endian, like x86; @size is 1, 2 or 4. */
static inline u32 ioport_load(const u8 *data, u8 size)
{
	u16 w;
	u32 l;

	if (size == 1)
		return *data;
	if (size == 2) {
		memcpy(&w, data, 2);
		return w;
	}
	memcpy(&l, data, 4);
	return l;
}

static inline void ioport_store(u8 *data, u8 size, u32 val)
{
	u16 w = val;

	if (size == 1)
		*data = val;
	else if (size == 2)
		memcpy(data, &w, 2);
	else
		memcpy(data, &val, 4);
}

/*
 * One access of @size bytes at @data, where 4 bytes are readable (the run
 * page's data area): the I/O exit fast path, -EINVAL for a bad size or
 * direction. The data is read as a whole u32 and masked, which keeps the
 * path free of per-size branches for OUT.
 */
static inline int ioport_single(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u8 *data)
{
	struct ioport_dev *d = ioport_find(bus, port);
	u32 val;

	if (size > 4 || !((0x16 >> size) & 1))
		return -EINVAL;
	if (dir == VTX_IO_OUT) {
		memcpy(&val, data, 4);
		val &= ioport_mask(size);
		if (d)
			d->out(d->opaque, port, size, val);
		else
			ioport_unclaimed(bus, port, "wrote");
		return 0;
	}
	if (dir != VTX_IO_IN)
		return -EINVAL;
	if (d)
		val = d->in(d->opaque, port, size) & ioport_mask(size);
	else
		ioport_unclaimed(bus, port, "read"), val = ioport_mask(size);
	ioport_store(data, size, val);
	return 0;
}

/*
 * One VTX_EXIT_IO: @count items of @size bytes at @data (REP INS/OUTS
 * when count > 1). -EINVAL if the exit is malformed. A single access (all
 * but string I/O) goes straight to its device.
 */
static inline int ioport_handle(struct ioport_bus *bus, u8 dir, u16 port, u8 size, u32 count,
				u8 *data)
{
	/* Bit n set: an access of n bytes is valid (1, 2 or 4). */
	if (size > 4 || !((0x16 >> size) & 1) || count == 0 ||
	    (u64)count * size > VTX_RUN_IO_DATA_SIZE || dir > VTX_IO_OUT)
		return -EINVAL;
	if (count > 1)
		ioport_string(bus, dir, port, size, count, data);
	else if (dir == VTX_IO_OUT)
		ioport_out(bus, port, size, ioport_load(data, size));
	else
		ioport_store(data, size, ioport_in(bus, port, size));
	return 0;
}

#endif /* _VMCTL_IOPORT_H */
