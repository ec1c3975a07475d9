/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to kmod/irq/irqchip*.c: the kernel-side wrappers around the pure
 * C models beside them (locks, hrtimers, vCPU wake-ups).
 *
 * Locking (never sleep under either; both are taken with irqsave because
 * the hrtimer callbacks run in hard interrupt context):
 *  - irqchip.lock (one per VM): PIC pair, PIT, IOAPIC, the line levels and
 *    the lapics[] table, i.e. who may be a target of an interrupt message;
 *  - irqchip_lapic.lock (one per vCPU): that vCPU's LAPIC model and timer.
 * Order: irqchip.lock -> irqchip_lapic.lock. The LAPIC model's outputs that
 * need other objects (ICR -> send_ipi, level EOI -> IOAPIC) are therefore
 * queued under the LAPIC lock and carried out after it is dropped
 * (irqchip_lapic_flush()). vtx_vcpu_request() is lock-free (set_bit, wake_up,
 * IPI) and may be called under irqchip.lock: a vCPU is kicked only while
 * it is in lapics[] (or from its own timer, cancelled before it is freed),
 * so it cannot be freed under the kicker.
 */
#ifndef _VTX_IRQCHIP_INT_H
#define _VTX_IRQCHIP_INT_H

#include <linux/spinlock.h>
#include <linux/hrtimer.h>
#include <linux/atomic.h>
#include "vtx.h"
#include "irq/irqchip.h"
#include "irq/lapic.h"
#include "irq/ioapic.h"
#include "irq/i8259.h"
#include "irq/i8254.h"

/*
 * Shortest interval between two expiries of a periodic guest timer (LAPIC
 * periodic mode, PIT): a guest may program a 1 ns LAPIC or 838 ns PIT
 * period, which would flood the host with hrtimer interrupts. The models
 * coalesce the missed periods into one interrupt, so the guest sees at most
 * one tick per 50 us, like KVM's min_timer_period_us.
 */
#define IRQCHIP_MIN_PERIOD_NS	50000ULL

/* The hrtimer of a guest timer (LAPIC timer, PIT), under its owner's lock. */
struct irqchip_timer {
	struct hrtimer hrtimer;
	u64 armed_ns;		/* expiry the hrtimer is armed for, 0: none */
	u64 fired_ns;		/* last expiry, for IRQCHIP_MIN_PERIOD_NS */
};

struct irqchip_lapic;

struct irqchip {
	spinlock_t lock;
	struct vtx_vm *vm;
	struct pic pic;
	struct pit pit;
	struct ioapic ioapic;
	struct irqchip_timer pit_timer;
	bool dead;		/* being destroyed: do not re-arm */
	bool pit_out;		/* PIT channel 0 OUT -> ISA IRQ 0 */
	u32 user_lines;		/* VTX_IRQ_LINE levels, bit per GSI */
	struct irqchip_lapic *lapics[VTX_MAX_VCPUS];	/* by vCPU id = APIC ID */
};

struct irqchip_lapic {
	spinlock_t lock;
	struct lapic lapic;
	struct irqchip *ic;
	struct vtx_vcpu *vcpu;
	struct irqchip_timer timer;
	bool dead;
	/* Outputs queued under lock, done by irqchip_lapic_flush(). */
	bool ipi_queued;
	struct lapic_ipi ipi;
	int eoi_vector;		/* level-triggered EOI for the IOAPIC, -1: none */
	/* Under lock: an ExtINT message (IOAPIC) is waiting for the PIC's vector. */
	bool extint;
	/* Source of the vector irqchip_pending() returned last (vCPU thread only). */
	bool pending_from_pic;
	atomic_t nmi;		/* an NMI is pending (latched, as in hardware) */
};

/* irqchip.c: guest timers (owner's lock held, except init). */
void irqchip_timer_init(struct irqchip_timer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
/*
 * Arm for the model's next deadline @next (0: none). @bound: the model is
 * in a periodic mode with a period below IRQCHIP_MIN_PERIOD_NS, so the
 * expiry is put off to at least that long after the last one (the model
 * coalesces the periods in between into one interrupt).
 */
void irqchip_timer_sync(struct irqchip_timer *t, u64 next, bool bound);
/* In the hrtimer callback: the timer is no longer armed; returns now. */
u64 irqchip_timer_fired(struct irqchip_timer *t);

/* irqchip_lapic.c: deliver one interrupt message to every LAPIC it targets (ic->lock held). */
void irqchip_lapic_send(struct irqchip *ic, const struct lapic_ipi *ipi);
enum irqchip_access irqchip_lapic_mmio(struct vtx_vcpu *vcpu, u32 offset, bool write,
				       u32 len, u64 *val);

/* irqchip_legacy.c */
void irqchip_legacy_init(struct irqchip *ic);
void irqchip_legacy_destroy(struct irqchip *ic);
enum irqchip_access irqchip_ioapic_mmio(struct irqchip *ic, u32 offset, bool write,
					u32 len, u64 *val);

/*
 * A read of @len bytes at @offset from a register file of aligned dwords,
 * @reg being the dword's value: the addressed bytes; 0 for an access that
 * is wider than or straddles the dword.
 */
static inline u32 irqchip_mmio_read_bytes(u32 reg, u32 offset, u32 len)
{
	if (!len || len > 4 || (offset & 3) + len > 4)
		return 0;
	return len == 4 ? reg : (reg >> ((offset & 3) * 8)) & (BIT(len * 8) - 1);
}

#endif /* _VTX_IRQCHIP_INT_H */
