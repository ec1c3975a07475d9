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

#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_ICR		0x830
#define MSR_X2APIC_SELF_IPI	0x83f
#define APIC_BASE_BSP		(1u << 8)
#define APIC_BASE_EXTD		(1u << 10)
#define APIC_BASE_EN		(1u << 11)
#define APIC_PHYS		0xfee00000u

#define APIC_ID			0x020
#define APIC_VER		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ISR		0x100
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

#define APIC_SVR_ENABLE		(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_TSC_DEADLINE	(2u << 17)
#define APIC_TDCR_DIV16		0x3
#define APIC_DM_FIXED		(0u << 8)
#define APIC_DM_NMI		(4u << 8)
#define APIC_DM_INIT		(5u << 8)
#define APIC_DM_STARTUP		(6u << 8)
#define APIC_DM_EXTINT		(7u << 8)
#define APIC_ICR_BUSY		(1u << 12)
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_SH_SELF		(1u << 18)
#define APIC_SH_ALL_EXCL	(3u << 18)

extern int apic_x2;

static inline u32 apic_read(u32 reg)
{
	u32 v;

	if (apic_x2)
		return (u32)rdmsr(0x800 + (reg >> 4));
	asm volatile("movl (%1), %0" : "=r"(v) : "r"(APIC_PHYS + reg) : "memory");
	return v;
}

static inline void apic_write(u32 reg, u32 v)
{
	if (apic_x2)
		wrmsr(0x800 + (reg >> 4), v);
	else
		asm volatile("movl %0, (%1)" : : "r"(v), "r"(APIC_PHYS + reg) : "memory");
}

static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

static inline u32 apic_id(void)
{
	return apic_x2 ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

/* Is @vector set in the ISR (or IRR: @base = APIC_IRR)? 8 registers of 32 bits. */
static inline int apic_vector_bit(u32 base, u8 vector)
{
	return (apic_read(base + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

/* ICR write: xAPIC writes the destination first, the low half sends (SDM 11.6.1). */
static inline int apic_send_ipi(u32 dest, u32 icr_lo)
{
	u32 n;

	if (apic_x2) {
		wrmsr(MSR_X2APIC_ICR, (u64)dest << 32 | icr_lo);
		return 1;
	}
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, icr_lo);
	for (n = 0; n < 1000000; n++)
		if (!(apic_read(APIC_ICR_LO) & APIC_ICR_BUSY))
			return 1;
	return 0;	/* delivery status stuck at "send pending" */
}

/* Software-enable the LAPIC with spurious vector @spurious. */
static inline void apic_sw_enable(u8 spurious)
{
	apic_write(APIC_SVR, APIC_SVR_ENABLE | spurious);
}

#endif /* _GUEST_APIC_H */
