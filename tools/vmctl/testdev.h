/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's pc-testdev (hw/misc/pc-testdev.c), which kvm-unit-tests style
 * kernels drive; vmctl adds it with `vmctl run --testdev`:
 *
 *   0x00e0-0x00e3  a 32-bit scratch register: accesses of 1, 2 or 4 bytes
 *                  at any offset read and write its addressed bytes
 *   0x00e4-0x00e7  "flush page" (QEMU drops the host mapping of a guest
 *                  page): accepted and ignored, reads 0
 *   0x00e8-0x00eb  the same scratch register, one byte at a time
 *   0x2000-0x2017  IRQ lines: a byte write of v to 0x2000 + n drives ISA /
 *                  IOAPIC line n to !!v (1 raises, 0 lowers it; line 0 is
 *                  IOAPIC pin 2, as QEMU and the MADT say); reads 0
 *   0xff000000     64 KiB of MMIO-backed memory (every access is an exit
 *                  to vmctl): reads return what was written
 *
 * Pure: the line callback is vmctl's VTX_IRQ_LINE (a buffer in tests).
 */
#ifndef _VMCTL_TESTDEV_H
#define _VMCTL_TESTDEV_H

#include "vmctl.h"

#define TESTDEV_PORT_BASE	0xe0
#define TESTDEV_PORT_IO		0xe0
#define TESTDEV_PORT_FLUSH	0xe4
#define TESTDEV_PORT_IO_BYTE	0xe8
#define TESTDEV_NR_PORTS	12
#define TESTDEV_IRQ_BASE	0x2000
#define TESTDEV_NR_IRQS		24
#define TESTDEV_MMIO_BASE	0xff000000ULL
#define TESTDEV_MMIO_SIZE	0x10000

struct testdev {
	u32 scratch;
	/* Drive GSI @line to @level (0 or 1). */
	void (*set_irq)(void *ctx, unsigned int line, int level);
	void *irq_ctx;
	u8 iomem[TESTDEV_MMIO_SIZE];
};

void testdev_init(struct testdev *t, void (*set_irq)(void *ctx, unsigned int line, int level),
		  void *irq_ctx);
/* 0xe0-0xeb (ioport_dev callbacks). */
u32 testdev_io_in(void *opaque, u16 port, u8 size);
void testdev_io_out(void *opaque, u16 port, u8 size, u32 val);
/* 0x2000-0x2017. */
u32 testdev_irq_in(void *opaque, u16 port, u8 size);
void testdev_irq_out(void *opaque, u16 port, u8 size, u32 val);
/*
 * One MMIO access of @len (1, 2, 4, 8) bytes at @gpa: 0 if it is the
 * testdev's (@data read or written), 1 if the address is not.
 */
int testdev_mmio(struct testdev *t, u64 gpa, bool is_write, u32 len, u8 *data);

#endif /* _VMCTL_TESTDEV_H */
