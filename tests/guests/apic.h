/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local APIC access for the test guests (SDM vol. 3A ch. 11): the xAPIC
 * page at 0xfee00000 (paging is off, so physical = linear) or, once
 * apic_x2 is set, the x2APIC MSRs 0x800 + (offset >> 4) (SDM 11.12.1).
 * MMIO goes through plain 32-bit MOVs, the form a hypervisor's MMIO
 * decoder must handle.
 */
#ifndef _GUEST_APIC_H
#define _GUEST_APIC_H

#include "mb_lib.h"
#include "irq/lapic_regs.h"

extern int apic_x2;

static inline u32 apic_read(u32 reg)
{
	u32 v;

	if (apic_x2)
		return (u32)rdmsr(LAPIC_X2APIC_MSR(reg));
	asm volatile("movl (%1), %0" : "=r"(v) : "r"((unsigned long)(LAPIC_BASE_DEFAULT + reg))
		     : "memory");
	return v;
}

static inline void apic_write(u32 reg, u32 v)
{
	if (apic_x2)
		wrmsr(LAPIC_X2APIC_MSR(reg), v);
	else
		asm volatile("movl %0, (%1)"
			     : : "r"(v), "r"((unsigned long)(LAPIC_BASE_DEFAULT + reg)) : "memory");
}

static inline void apic_eoi(void)
{
	apic_write(LAPIC_EOI, 0);
}

static inline u32 apic_id(void)
{
	return apic_x2 ? apic_read(LAPIC_ID) : apic_read(LAPIC_ID) >> 24;
}

/* Is @vector set in the ISR (or IRR: @base = LAPIC_IRR)? 8 registers of 32 bits. */
static inline int apic_vector_bit(u32 base, u8 vector)
{
	return (apic_read(base + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

/* ICR write: xAPIC writes the destination first, the low half sends (SDM 11.6.1). */
static inline int apic_send_ipi(u32 dest, u32 icr_lo)
{
	u32 n;

	if (apic_x2) {
		wrmsr(LAPIC_X2APIC_MSR(LAPIC_ICR_LO), (u64)dest << 32 | icr_lo);
		return 1;
	}
	apic_write(LAPIC_ICR_HI, dest << 24);
	apic_write(LAPIC_ICR_LO, icr_lo);
	for (n = 0; n < 1000000; n++)
		if (!(apic_read(LAPIC_ICR_LO) & LAPIC_ICR_BUSY))
			return 1;
	return 0;	/* delivery status stuck at "send pending" */
}

/* Software-enable the LAPIC with spurious vector @spurious. */
static inline void apic_sw_enable(u8 spurious)
{
	apic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | spurious);
}

#endif /* _GUEST_APIC_H */
