/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local APIC model (SDM vol 3A ch. 11 "Advanced Programmable Interrupt
 * Controller"): xAPIC MMIO page, x2APIC MSRs, IA32_APIC_BASE, priority
 * (TPR/PPR/ISR/IRR), EOI, IPIs through the ICR, and the APIC timer in
 * one-shot, periodic and TSC-deadline modes.
 *
 * Pure C, no allocation, no clock reads of its own:
 *  - Time: cfg->clock.now_ns(). The timer input clock ticks every
 *    cfg->bus_cycle_ns ns (default 1, i.e. 1 GHz like KVM) before the
 *    divide-configuration divider; the host must report the same rate in
 *    CPUID 0x15/0x16 if it reports one.
 *  - TSC-deadline: the model takes the guest TSC frequency (cfg->tsc_khz)
 *    and reads the guest TSC through cfg->read_tsc (if NULL, the guest TSC
 *    is now_ns * tsc_khz / 10^6). IA32_TSC_DEADLINE is converted to a
 *    nanosecond deadline at write time. tsc_khz == 0 disables the mode.
 *  - Timers: the host arms its own timer at lapic_next_deadline_ns() and
 *    calls lapic_timer_expired() when it fires (calling it early is safe).
 *  - Output: the host injects lapic_pending_vector() and then calls
 *    lapic_ack(); ICR writes go to cfg->send_ipi, which fans them out by
 *    calling lapic_ipi_targets() and lapic_deliver() on each vCPU's LAPIC;
 *    EOI of a level-triggered vector calls cfg->eoi (-> ioapic_eoi()).
 *
 * Not a full hardware LAPIC: no SMI, no lowest-priority arbitration (the
 * host picks one target), no LINT0/LINT1 pins, no CMCI LVT (the version
 * register says 6 LVT entries), no directed EOI (version bit 24 clear).
 */
#ifndef _VTX_LAPIC_H
#define _VTX_LAPIC_H

#include "ktypes.h"
#include "irq/irq.h"
#include "irq/lapic_regs.h"

#define LAPIC_VERSION		0x00050014u	/* version 0x14, max LVT entry 5 */
#define LAPIC_LVT_COUNT	6	/* timer, thermal, perf, LINT0, LINT1, error */

enum lapic_shorthand {
	LAPIC_SH_NONE		= 0,
	LAPIC_SH_SELF		= 1,
	LAPIC_SH_ALL_INCL	= 2,
	LAPIC_SH_ALL_EXCL	= 3,
};

/* One IPI produced by an ICR (or x2APIC SELF IPI) write. */
struct lapic_ipi {
	u32 dest;		/* xAPIC: 8 bits, x2APIC: 32 bits; unused with a shorthand */
	u32 src_id;		/* sender's initial APIC ID, for SELF and ALL_EXCL */
	u8 vector;
	u8 delivery_mode;	/* enum irq_delivery_mode */
	u8 dest_mode;		/* enum irq_dest_mode */
	u8 shorthand;		/* enum lapic_shorthand */
	bool level_trig;	/* trigger mode bit */
	bool x2apic;		/* sender was in x2APIC mode: dest is 32 bits */
};

/* What the vCPU owning a LAPIC must do after lapic_deliver(). */
enum lapic_action {
	LAPIC_ACT_NONE = 0,	/* nothing (dropped or ignored) */
	LAPIC_ACT_IRQ,		/* a vector went into IRR: re-check lapic_pending_vector() */
	LAPIC_ACT_NMI,		/* inject an NMI */
	LAPIC_ACT_INIT,		/* INIT: BSP restarts at reset vector, AP waits for SIPI */
	LAPIC_ACT_SIPI,		/* leave wait-for-SIPI and start at *start_addr (vector << 12) */
	LAPIC_ACT_EXTINT,	/* ExtINT: take the vector from the PIC */
};

struct lapic_config {
	u32 apic_id;		/* initial APIC ID (= x2APIC ID); xAPIC uses its low 8 bits */
	bool bsp;
	u32 bus_cycle_ns;	/* timer input period before the divider; 0 -> 1 ns */
	u32 tsc_khz;		/* guest TSC frequency for TSC-deadline mode; 0 -> not supported */
	u8 phys_addr_bits;	/* MAXPHYADDR: APIC base bits above it are reserved; 0 -> 52 */
	struct irq_clock clock;
	u64 (*read_tsc)(void *ctx);	/* guest TSC now; NULL -> derived from clock */
	void (*send_ipi)(void *ctx, const struct lapic_ipi *ipi);
	void (*eoi)(void *ctx, int vector);	/* EOI of a level-triggered vector */
	void *ctx;		/* for read_tsc, send_ipi and eoi */
};

struct lapic {
	struct lapic_config cfg;
	u64 apic_base;
	u32 id;			/* APIC ID, unshifted (xAPIC: 8 bits, x2APIC: initial ID) */
	u32 tpr;
	u32 ldr;		/* xAPIC only; x2APIC LDR is derived from the ID */
	u32 dfr;
	u32 svr;
	u32 isr[8], tmr[8], irr[8];
	u32 esr;		/* value software reads */
	u32 esr_pending;	/* errors since the last ESR write */
	u32 lvt[LAPIC_LVT_COUNT];
	u32 icr_lo, icr_hi;
	u32 tmict;
	u32 tdcr;
	bool timer_armed;
	u64 timer_deadline_ns;	/* next expiry (valid if timer_armed) */
	u64 timer_period_ns;	/* tmict * tick, one-shot/periodic modes */
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE as written, 0 = disarmed */
	bool sipi_wait;		/* AP after INIT: only a SIPI starts it */
};

void lapic_init(struct lapic *l, const struct lapic_config *cfg);

/* xAPIC MMIO at offset 0..0xfff of the APIC page. 0: handled, -1: APIC page not decoded
 * (APIC disabled or in x2APIC mode; the access goes to memory/nowhere).
 */
int lapic_mmio_read(struct lapic *l, u32 offset, u32 *val);
int lapic_mmio_write(struct lapic *l, u32 offset, u32 val);

/* IA32_APIC_BASE, IA32_TSC_DEADLINE and x2APIC MSRs. 0: done, -1: inject #GP. */
bool lapic_owns_msr(u32 msr);
int lapic_msr_read(struct lapic *l, u32 msr, u64 *val);
int lapic_msr_write(struct lapic *l, u32 msr, u64 val);

/* Interrupt input and output. */
void lapic_set_irq(struct lapic *l, int vector, bool level_trig);
int lapic_pending_vector(const struct lapic *l);
void lapic_ack(struct lapic *l, int vector);
u32 lapic_ppr(const struct lapic *l);
u32 lapic_get_tpr(const struct lapic *l);
void lapic_set_tpr(struct lapic *l, u32 tpr);	/* MOV to CR8 sets tpr = cr8 << 4 */

/* IPI fan-out helpers for the host. */
bool lapic_enabled(const struct lapic *l);
bool lapic_x2apic_mode(const struct lapic *l);
bool lapic_match_dest(const struct lapic *l, u32 dest, int dest_mode, bool x2apic);
bool lapic_ipi_targets(const struct lapic *l, const struct lapic_ipi *ipi);
enum lapic_action lapic_deliver(struct lapic *l, const struct lapic_ipi *ipi, u64 *start_addr);

/* Timer. */
/*
 * Latest deadline lapic_next_deadline_ns() returns: the largest expiry an
 * hrtimer takes (KTIME_MAX, a signed 64-bit ns count). A guest's far-future
 * deadline (IA32_TSC_DEADLINE = ~0) saturates the model's u64 and is
 * clamped here, so it never becomes a negative (= past) expiry.
 */
#define LAPIC_DEADLINE_NS_MAX	0x7fffffffffffffffULL
u64 lapic_next_deadline_ns(const struct lapic *l);
void lapic_timer_expired(struct lapic *l, u64 now_ns);

/* lapic_timer.c internals used by lapic.c. */
u32 lapic_timer_current(const struct lapic *l);
void lapic_timer_write_lvt(struct lapic *l, u32 val);
void lapic_timer_write_tmict(struct lapic *l, u32 val);
void lapic_timer_write_tdcr(struct lapic *l, u32 val);
u64 lapic_tsc_deadline_read(const struct lapic *l);
void lapic_tsc_deadline_write(struct lapic *l, u64 val);
void lapic_timer_reset(struct lapic *l);

/* lapic.c / lapic_ipi.c internals. */
void lapic_reset_regs(struct lapic *l);
void lapic_error(struct lapic *l, u32 bits);
bool lapic_test(const u32 *bits, int vector);
u32 lapic_x2apic_ldr(const struct lapic *l);
void lapic_send_icr(struct lapic *l, u32 icr_lo, u32 dest);

#endif /* _VTX_LAPIC_H */
