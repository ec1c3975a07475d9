/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the interrupt-controller and timer models (LAPIC, IOAPIC,
 * i8259 PIC, i8254 PIT). The models are pure C: they include only
 * "ktypes.h" and their own headers, so the same file builds into vtx.ko
 * and into vmctl/cmocka tests. They never read a clock themselves: time
 * comes from the host through struct irq_clock, in nanoseconds of a
 * monotonic clock whose origin is the host's choice.
 */
#ifndef _VTX_IRQ_H
#define _VTX_IRQ_H

#include "ktypes.h"

struct irq_clock {
	u64 (*now_ns)(void *ctx);
	void *ctx;
};

static inline u64 irq_clock_now(const struct irq_clock *clock)
{
	return clock->now_ns(clock->ctx);
}

/* Interrupt delivery modes, shared by LAPIC LVT/ICR and IOAPIC entries (SDM 11.6.1). */
enum irq_delivery_mode {
	IRQ_DM_FIXED	= 0,
	IRQ_DM_LOWPRI	= 1,
	IRQ_DM_SMI	= 2,
	IRQ_DM_NMI	= 4,
	IRQ_DM_INIT	= 5,
	IRQ_DM_SIPI	= 6,	/* ICR only */
	IRQ_DM_EXTINT	= 7,	/* LVT LINT0/1 and IOAPIC only: vector comes from the PIC */
};

/* Destination mode of an IPI or IOAPIC entry. */
enum irq_dest_mode {
	IRQ_DEST_PHYSICAL	= 0,
	IRQ_DEST_LOGICAL	= 1,
};

#endif /* _VTX_IRQ_H */
