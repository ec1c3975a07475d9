/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debug exit port (like QEMU's isa-debug-exit): a write of v (1, 2 or 4
 * bytes) to port 0xf4 ends the VM and vmctl exits with (v << 1) | 1. The
 * OS keeps the low 8 bits of an exit status, so only v < 128 is distinct.
 */
#ifndef _VMCTL_DEBUG_EXIT_H
#define _VMCTL_DEBUG_EXIT_H

#include "vmctl.h"

#define DEBUG_EXIT_PORT		0xf4

struct debug_exit {
	struct vmctl_stop *stop;
	bool written;
	u32 value;
};

int debug_exit_status(u32 v);
void debug_exit_init(struct debug_exit *d, struct vmctl_stop *stop);
u32 debug_exit_io_in(void *opaque, u16 port, u8 size);
void debug_exit_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_DEBUG_EXIT_H */
