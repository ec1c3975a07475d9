/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fw_cfg, QEMU's firmware configuration interface (legacy I/O form, no
 * DMA): a 16-bit write to the selector port 0x510 picks an item and
 * rewinds it; byte reads from the data port 0x511 walk through it. Items
 * past their end and unknown keys read as zeros. Guests that check the
 * "QEMU" signature first (SeaBIOS, kvm-unit-tests) therefore work.
 */
#ifndef _VMCTL_FW_CFG_H
#define _VMCTL_FW_CFG_H

#include "vmctl.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_NR_PORTS		2

/* Keys (QEMU include/standard-headers/linux/qemu_fw_cfg.h). */
#define FW_CFG_SIGNATURE	0x00	/* "QEMU" */
#define FW_CFG_ID		0x01	/* u32 feature bits: bit 0 = traditional I/O */
#define FW_CFG_RAM_SIZE		0x03	/* u64 LE, bytes */
#define FW_CFG_NB_CPUS		0x05	/* u16 LE */
#define FW_CFG_MAX_CPUS		0x0f	/* u16 LE */

#define FW_CFG_ITEM_MAX		8

struct fw_cfg {
	u16 selector;
	u32 offset;		/* next byte of the selected item */
	u8 sig[4], id[4], ram[8], cpus[2];
	struct { u16 key; const u8 *data; u32 len; } items[FW_CFG_ITEM_MAX];
	unsigned int nr_items;
};

void fw_cfg_init(struct fw_cfg *f, u64 ram_size, u16 nr_cpus);
u32 fw_cfg_io_in(void *opaque, u16 port, u8 size);
void fw_cfg_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_FW_CFG_H */
