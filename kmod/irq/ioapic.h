/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O APIC model (Intel 82093AA datasheet): IOREGSEL/IOWIN at +0x00/+0x10,
 * ID, version, arbitration and 24 redirection entries.
 *
 * ioapic_set_irq() takes the logical line state (1 = asserted); the polarity
 * bit is stored and read back but not applied, as in KVM and bhyve: device
 * models say "asserted", the guest's polarity setting only matters on real
 * wires. Edge pins deliver on a 0->1 transition; level pins deliver while
 * asserted and set remote IRR, which blocks re-delivery until the LAPIC's
 * EOI broadcast reaches ioapic_eoi(). Delivery goes to cfg->deliver; the
 * host routes it to LAPICs (lapic_match_dest() + lapic_deliver()).
 */
#ifndef _VTX_IOAPIC_H
#define _VTX_IOAPIC_H

#include "ktypes.h"
#include "irq/irq.h"
#include "irq/ioapic_regs.h"

#define IOAPIC_NUM_PINS		24
#define IOAPIC_VERSION		0x00170011u	/* max redirection entry 23, version 0x11 */

struct ioapic_config {
	/* One interrupt message; dest is the 8-bit destination field. */
	void (*deliver)(void *ctx, u32 dest, int dest_mode, int delivery_mode, int vector,
			bool level_trig);
	void *ctx;
};

struct ioapic {
	struct ioapic_config cfg;
	u32 ioregsel;
	u32 id;			/* register 0 value (bits 27:24) */
	u32 line;		/* asserted pins, bit per pin */
	u64 rte[IOAPIC_NUM_PINS];
};

void ioapic_init(struct ioapic *io, const struct ioapic_config *cfg);

/* 32-bit accesses at offset 0..0xfff of the IOAPIC page; other offsets read 0. */
void ioapic_mmio_read(struct ioapic *io, u32 offset, u32 *val);
void ioapic_mmio_write(struct ioapic *io, u32 offset, u32 val);

/* Indirect register access (what IOWIN does for the register IOREGSEL selects). */
u32 ioapic_reg_read(const struct ioapic *io, u32 reg);
void ioapic_reg_write(struct ioapic *io, u32 reg, u32 val);

void ioapic_set_irq(struct ioapic *io, int pin, int level);
void ioapic_eoi(struct ioapic *io, int vector);

#endif /* _VTX_IOAPIC_H */
