// SPDX-License-Identifier: GPL-2.0
/*
 * I/O APIC model after the Intel 82093AA datasheet (sections 3.1-3.2):
 * indirect registers behind IOREGSEL/IOWIN, 24 redirection entries with
 * edge and level triggering and remote IRR.
 */
#include "ktypes.h"
#include "irq/ioapic.h"

/* Writable RTE bits: vector, delivery mode, dest mode, polarity, trigger, mask, dest. */
#define IOAPIC_RTE_WRITABLE	(0xff000000000000ffULL | 0x700ULL | IOAPIC_RTE_LOGICAL | \
				 IOAPIC_RTE_ACTIVE_LOW | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED)

void ioapic_init(struct ioapic *io, const struct ioapic_config *cfg)
{
	int i;

	memset(io, 0, sizeof(*io));
	io->cfg = *cfg;
	/* Reset: every entry masked, the rest zero (datasheet 3.2.4). */
	for (i = 0; i < IOAPIC_NUM_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
}

/* Send the pin's message; a level-triggered one sets remote IRR until the EOI. */
static void ioapic_service(struct ioapic *io, int pin)
{
	u64 e = io->rte[pin];
	bool level = e & IOAPIC_RTE_LEVEL;

	if (e & IOAPIC_RTE_MASKED)
		return;
	if (level) {
		if (e & IOAPIC_RTE_REMOTE_IRR)
			return;
		io->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
	}
	if (io->cfg.deliver)
		io->cfg.deliver(io->cfg.ctx, (u32)(e >> IOAPIC_RTE_DEST_SHIFT),
				e & IOAPIC_RTE_LOGICAL ? IRQ_DEST_LOGICAL : IRQ_DEST_PHYSICAL,
				(e >> IOAPIC_RTE_DM_SHIFT) & 7, e & 0xff, level);
}

void ioapic_set_irq(struct ioapic *io, int pin, int level)
{
	u32 bit;
	bool was;

	if (pin < 0 || pin >= IOAPIC_NUM_PINS)
		return;
	/* Spectre v1: no speculative io->rte[] read past the check. */
	pin = array_index_nospec(pin, IOAPIC_NUM_PINS);
	bit = BIT(pin);
	was = io->line & bit;
	if (!level) {
		io->line &= ~bit;
		return;
	}
	io->line |= bit;
	/* Edge: only the rising edge counts. Level: every assertion while remote IRR is clear. */
	if (!(io->rte[pin] & IOAPIC_RTE_LEVEL) && was)
		return;
	ioapic_service(io, pin);
}

void ioapic_eoi(struct ioapic *io, int vector)
{
	int pin;

	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		u64 e = io->rte[pin];

		if ((e & 0xff) != (u64)vector || !(e & IOAPIC_RTE_LEVEL) ||
		    !(e & IOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
		/* A line still asserted interrupts again. */
		if (io->line & BIT(pin))
			ioapic_service(io, pin);
	}
}

u32 ioapic_reg_read(const struct ioapic *io, u32 reg)
{
	int pin;

	switch (reg) {
	case IOAPIC_REG_ID:
		return io->id;
	case IOAPIC_REG_VER:
		return IOAPIC_VERSION;
	case IOAPIC_REG_ARB:
		return io->id;	/* arbitration ID is loaded from the ID */
	}
	if (reg < IOAPIC_REG_REDTBL || reg >= IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS)
		return 0xffffffff;
	pin = array_index_nospec((reg - IOAPIC_REG_REDTBL) / 2, IOAPIC_NUM_PINS);
	return reg & 1 ? (u32)(io->rte[pin] >> 32) : (u32)io->rte[pin];
}

void ioapic_reg_write(struct ioapic *io, u32 reg, u32 val)
{
	u64 e, w;
	int pin;

	if (reg == IOAPIC_REG_ID) {
		io->id = val & 0x0f000000;
		return;
	}
	if (reg < IOAPIC_REG_REDTBL || reg >= IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS)
		return;		/* version, arbitration, unimplemented: read-only */
	/* The guest chose reg: no speculative io->rte[] access past the check (Spectre v1). */
	pin = array_index_nospec((reg - IOAPIC_REG_REDTBL) / 2, IOAPIC_NUM_PINS);
	e = io->rte[pin];
	w = reg & 1 ? (e & 0xffffffffULL) | (u64)val << 32 : (e & ~0xffffffffULL) | val;
	/* Delivery status and remote IRR stay as they are. */
	e = (w & IOAPIC_RTE_WRITABLE) | (e & IOAPIC_RTE_REMOTE_IRR);
	/* An edge entry has no remote IRR (as in KVM). */
	if (!(e & IOAPIC_RTE_LEVEL))
		e &= ~IOAPIC_RTE_REMOTE_IRR;
	io->rte[pin] = e;
	/* Unmasking an asserted level line delivers it now. */
	if ((e & IOAPIC_RTE_LEVEL) && (io->line & BIT(pin)))
		ioapic_service(io, pin);
}

void ioapic_mmio_read(struct ioapic *io, u32 offset, u32 *val)
{
	switch (offset) {
	case IOAPIC_IOREGSEL:
		*val = io->ioregsel;
		break;
	case IOAPIC_IOWIN:
		*val = ioapic_reg_read(io, io->ioregsel);
		break;
	default:
		*val = 0;
		break;
	}
}

void ioapic_mmio_write(struct ioapic *io, u32 offset, u32 val)
{
	if (offset == IOAPIC_IOREGSEL)
		io->ioregsel = val & 0xff;
	else if (offset == IOAPIC_IOWIN)
		ioapic_reg_write(io, io->ioregsel, val);
}
