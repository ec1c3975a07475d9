// SPDX-License-Identifier: GPL-2.0
/*
 * LAPIC interrupt messages: ICR writes become struct lapic_ipi for the host,
 * destination matching (SDM vol 3A 11.6.2) and delivery of a message to one
 * LAPIC (fixed, NMI, INIT, SIPI, ExtINT).
 */
#include "ktypes.h"
#include "irq/lapic.h"

#define LAPIC_X2APIC_BCAST	0xffffffffu
#define LAPIC_XAPIC_BCAST	0xffu

void lapic_send_icr(struct lapic *l, u32 icr_lo, u32 dest)
{
	struct lapic_ipi ipi = {
		.dest		= dest,
		.src_id		= l->cfg.apic_id,
		.vector		= icr_lo & 0xff,
		.delivery_mode	= (icr_lo >> LAPIC_ICR_DM_SHIFT) & 7,
		.dest_mode	= icr_lo & LAPIC_ICR_LOGICAL ? IRQ_DEST_LOGICAL : IRQ_DEST_PHYSICAL,
		.shorthand	= (icr_lo >> LAPIC_ICR_SH_SHIFT) & 3,
		.level_trig	= icr_lo & LAPIC_ICR_TRIG_LEVEL,
		.x2apic		= lapic_x2apic_mode(l),
	};

	switch (ipi.delivery_mode) {
	case IRQ_DM_FIXED:
	case IRQ_DM_LOWPRI:
		if (ipi.vector < 16) {
			lapic_error(l, LAPIC_ESR_SEND_ILLEGAL);
			return;
		}
		break;
	case IRQ_DM_INIT:
		/* INIT level de-assert only resynchronised P6 arbitration IDs (SDM 11.6.1). */
		if (!(icr_lo & LAPIC_ICR_LEVEL_ASSERT) && ipi.level_trig)
			return;
		break;
	case IRQ_DM_SMI:
	case IRQ_DM_NMI:
	case IRQ_DM_SIPI:
		break;
	default:		/* 3 and ExtINT are reserved in the ICR */
		return;
	}
	/* The self shorthand is defined for fixed delivery only (SDM table 11-3 note). */
	if (ipi.shorthand == LAPIC_SH_SELF && ipi.delivery_mode != IRQ_DM_FIXED)
		return;
	if (l->cfg.send_ipi)
		l->cfg.send_ipi(l->cfg.ctx, &ipi);
}

/* SDM 11.6.2: physical, logical flat/cluster and x2APIC cluster destinations. An xAPIC
 * format broadcast (0xff) also reaches x2APIC-mode targets, as in KVM.
 */
bool lapic_match_dest(const struct lapic *l, u32 dest, int dest_mode, bool x2apic)
{
	bool x2 = lapic_x2apic_mode(l);
	u32 logical;

	if (!lapic_enabled(l))
		return false;
	if (!x2apic && dest == LAPIC_XAPIC_BCAST && x2)
		dest = LAPIC_X2APIC_BCAST;
	if (dest == (x2 ? LAPIC_X2APIC_BCAST : LAPIC_XAPIC_BCAST))
		return true;
	if (dest_mode == IRQ_DEST_PHYSICAL)
		return x2 ? dest == l->id : dest == (l->id & 0xff);
	if (x2) {
		logical = lapic_x2apic_ldr(l);
		return (dest >> 16) == (logical >> 16) && (dest & logical & 0xffff);
	}
	logical = l->ldr >> 24;
	if ((l->dfr >> 28) == 0xf)		/* flat model */
		return logical & dest;
	return (dest >> 4) == (logical >> 4) && (dest & logical & 0xf);	/* cluster */
}

bool lapic_ipi_targets(const struct lapic *l, const struct lapic_ipi *ipi)
{
	switch (ipi->shorthand) {
	case LAPIC_SH_SELF:
		return lapic_enabled(l) && l->cfg.apic_id == ipi->src_id;
	case LAPIC_SH_ALL_INCL:
		return lapic_enabled(l);
	case LAPIC_SH_ALL_EXCL:
		return lapic_enabled(l) && l->cfg.apic_id != ipi->src_id;
	default:
		return lapic_match_dest(l, ipi->dest, ipi->dest_mode, ipi->x2apic);
	}
}

enum lapic_action lapic_deliver(struct lapic *l, const struct lapic_ipi *ipi, u64 *start_addr)
{
	if (!lapic_enabled(l))
		return LAPIC_ACT_NONE;
	switch (ipi->delivery_mode) {
	case IRQ_DM_FIXED:
	case IRQ_DM_LOWPRI:
		lapic_set_irq(l, ipi->vector, ipi->level_trig);
		return ipi->vector >= 16 && lapic_test(l->irr, ipi->vector) ?
		       LAPIC_ACT_IRQ : LAPIC_ACT_NONE;
	case IRQ_DM_NMI:
		return LAPIC_ACT_NMI;
	case IRQ_DM_INIT:
		/* INIT keeps the APIC ID and IA32_APIC_BASE (SDM 11.4.7.3). */
		lapic_reset_regs(l);
		l->sipi_wait = !(l->apic_base & LAPIC_BASE_BSP);
		return LAPIC_ACT_INIT;
	case IRQ_DM_SIPI:
		/* A SIPI outside wait-for-SIPI is ignored (SDM 9.4.4). */
		if (!l->sipi_wait)
			return LAPIC_ACT_NONE;
		l->sipi_wait = false;
		*start_addr = (u64)ipi->vector << 12;
		return LAPIC_ACT_SIPI;
	case IRQ_DM_EXTINT:
		return LAPIC_ACT_EXTINT;
	default:		/* SMI is not modelled */
		return LAPIC_ACT_NONE;
	}
}
