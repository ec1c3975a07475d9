/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local APIC architectural constants (SDM vol 3A ch. 11): MSRs, register
 * offsets and bits. Plain #defines with no includes, so that one copy
 * serves the LAPIC model (lapic.h, kernel and unit tests), the selftest
 * library and the freestanding test guests.
 */
#ifndef _VTX_LAPIC_REGS_H
#define _VTX_LAPIC_REGS_H

/* IA32_APIC_BASE (SDM 11.4.4): the reset base is the PC's xAPIC page. */
#define LAPIC_MSR_APICBASE	0x0000001bu
#define LAPIC_BASE_DEFAULT	0xfee00000ULL
#define LAPIC_BASE_BSP		(1ULL << 8)
#define LAPIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define LAPIC_BASE_EN		(1ULL << 11)	/* APIC global enable */
#define LAPIC_MSR_TSC_DEADLINE	0x000006e0u
/* x2APIC (SDM 11.12.1.2): register at xAPIC offset @reg is MSR 0x800 + (reg >> 4). */
#define LAPIC_MSR_X2APIC_FIRST	0x00000800u
#define LAPIC_MSR_X2APIC_LAST	0x000008ffu
#define LAPIC_X2APIC_MSR(reg)	(LAPIC_MSR_X2APIC_FIRST + ((reg) >> 4))

/* xAPIC register offsets (SDM table 11-1). */
#define LAPIC_ID	0x020
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080
#define LAPIC_APR	0x090
#define LAPIC_PPR	0x0a0
#define LAPIC_EOI	0x0b0
#define LAPIC_RRD	0x0c0
#define LAPIC_LDR	0x0d0
#define LAPIC_DFR	0x0e0
#define LAPIC_SVR	0x0f0
#define LAPIC_ISR	0x100	/* 8 registers, 0x10 apart */
#define LAPIC_TMR	0x180
#define LAPIC_IRR	0x200
#define LAPIC_ESR	0x280
#define LAPIC_LVT_CMCI	0x2f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_THERM	0x330
#define LAPIC_LVT_PERF	0x340
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERR	0x370
#define LAPIC_TMICT	0x380
#define LAPIC_TMCCT	0x390
#define LAPIC_TDCR	0x3e0
#define LAPIC_SELF_IPI	0x3f0	/* x2APIC only */

/* SVR, LVT and ESR bits (SDM 11.5.1, 11.5.3, 11.9). */
#define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_SVR_FOCUS_OFF	(1u << 9)
#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_LVT_TIMER_SHIFT	17	/* timer mode, values LAPIC_TIMER_* */
#define LAPIC_TIMER_ONESHOT	0
#define LAPIC_TIMER_PERIODIC	1
#define LAPIC_TIMER_TSC_DEADLINE 2
#define LAPIC_LVT_TIMER_PERIODIC	(LAPIC_TIMER_PERIODIC << LAPIC_LVT_TIMER_SHIFT)
#define LAPIC_LVT_TIMER_TSC_DEADLINE	(LAPIC_TIMER_TSC_DEADLINE << LAPIC_LVT_TIMER_SHIFT)
#define LAPIC_ESR_SEND_ILLEGAL	(1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL	(1u << 6)
#define LAPIC_ESR_ILLEGAL_REG	(1u << 7)
/* Divide configuration (SDM figure 11-10). */
#define LAPIC_TDCR_DIV1		0xb
#define LAPIC_TDCR_DIV16	0x3

/* ICR and LVT delivery mode, bits 10:8 (SDM 11.6.1). */
#define LAPIC_ICR_DM_SHIFT	8
#define LAPIC_DM_MASK		(7u << 8)
#define LAPIC_DM_FIXED		(0u << 8)
#define LAPIC_DM_NMI		(4u << 8)
#define LAPIC_DM_INIT		(5u << 8)
#define LAPIC_DM_STARTUP	(6u << 8)
#define LAPIC_DM_EXTINT		(7u << 8)
/* Other ICR fields. */
#define LAPIC_ICR_LOGICAL	(1u << 11)
#define LAPIC_ICR_BUSY		(1u << 12)	/* delivery status: send pending */
#define LAPIC_ICR_LEVEL_ASSERT	(1u << 14)
#define LAPIC_ICR_TRIG_LEVEL	(1u << 15)
#define LAPIC_ICR_SH_SHIFT	18	/* destination shorthand, enum lapic_shorthand */
#define LAPIC_ICR_SH_SELF	(1u << 18)
#define LAPIC_ICR_SH_ALL_INCL	(2u << 18)
#define LAPIC_ICR_SH_ALL_EXCL	(3u << 18)

#endif /* _VTX_LAPIC_REGS_H */
