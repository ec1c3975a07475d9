// SPDX-License-Identifier: GPL-2.0
/* fw_cfg legacy I/O interface: a selector and a byte-wide data port. */
#include <string.h>
#include "fw_cfg.h"

static void fw_cfg_put_le(u8 *dst, u64 val, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		dst[i] = val >> (8 * i);
}

static void fw_cfg_add(struct fw_cfg *f, u16 key, const u8 *data, u32 len)
{
	if (f->nr_items < FW_CFG_ITEM_MAX)
		f->items[f->nr_items++] = (typeof(f->items[0])){ key, data, len };
}

void fw_cfg_init(struct fw_cfg *f, u64 ram_size, u16 nr_cpus)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->sig, "QEMU", 4);
	fw_cfg_put_le(f->id, 1, sizeof(f->id));		/* traditional interface, no DMA */
	fw_cfg_put_le(f->ram, ram_size, sizeof(f->ram));
	fw_cfg_put_le(f->cpus, nr_cpus, sizeof(f->cpus));
	fw_cfg_add(f, FW_CFG_SIGNATURE, f->sig, sizeof(f->sig));
	fw_cfg_add(f, FW_CFG_ID, f->id, sizeof(f->id));
	fw_cfg_add(f, FW_CFG_RAM_SIZE, f->ram, sizeof(f->ram));
	fw_cfg_add(f, FW_CFG_NB_CPUS, f->cpus, sizeof(f->cpus));
	fw_cfg_add(f, FW_CFG_MAX_CPUS, f->cpus, sizeof(f->cpus));
}

static u8 fw_cfg_next_byte(struct fw_cfg *f)
{
	unsigned int i;

	for (i = 0; i < f->nr_items; i++) {
		if (f->items[i].key != f->selector)
			continue;
		if (f->offset >= f->items[i].len)
			return 0;
		return f->items[i].data[f->offset++];
	}
	return 0;	/* unknown key: zeros */
}

/*
 * The data port is one byte wide; a wider read returns that many
 * consecutive bytes (little endian), as QEMU does for the I/O form.
 */
u32 fw_cfg_io_in(void *opaque, u16 port, u8 size)
{
	struct fw_cfg *f = opaque;
	u32 val = 0;
	unsigned int i;

	if (port != FW_CFG_PORT_DATA)
		return port == FW_CFG_PORT_SEL ? f->selector : 0xffffffffU;
	for (i = 0; i < size; i++)
		val |= (u32)fw_cfg_next_byte(f) << (8 * i);
	return val;
}

void fw_cfg_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct fw_cfg *f = opaque;

	/* The selector is 16 bits; a byte write sets its low byte only. */
	if (port == FW_CFG_PORT_SEL) {
		f->selector = size == 1 ? (f->selector & 0xff00) | (val & 0xff) : val & 0xffff;
		f->offset = 0;
	}
	/* Data writes are a deprecated QEMU feature: ignored. */
}
