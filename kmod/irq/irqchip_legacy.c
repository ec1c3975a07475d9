// SPDX-License-Identifier: GPL-2.0
/*
 * The per-VM interrupt hardware of a PC in the kernel: 8259 pair (+ ELCR),
 * 8254 PIT (+ port 0x61) with its hrtimer, and the IOAPIC, all under
 * ic->lock (irqchip_int.h). Interrupt lines are wired as on a PC with the
 * MADT vmctl builds: ISA IRQ n goes to PIC input n and IOAPIC pin n, except
 * IRQ 0 (PIT), which is IOAPIC pin 2 (interrupt source override); GSIs
 * 16-23 are IOAPIC-only. The PIC's INTR goes to the BSP (irqchip_lapic.c
 * decides whether the BSP takes it: LINT0 ExtINT or APIC disabled).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include "irq/irqchip_int.h"

#define IRQCHIP_NR_GSI		IOAPIC_NUM_PINS
#define IRQCHIP_NR_ISA		16
#define IRQCHIP_PIT_PIN		2	/* ISA IRQ 0 on the IOAPIC (MADT override) */

static u64 irqchip_legacy_clock_ns(void *ctx)
{
	return ktime_get_ns();
}

/* Drive GSI @gsi to the OR of its sources (VTX_IRQ_LINE and, for IRQ 0, the PIT). */
static void irqchip_route(struct irqchip *ic, u32 gsi)
{
	int level = !!(ic->user_lines & BIT(gsi));

	if (gsi == 0)
		level |= ic->pit_out;
	if (gsi < IRQCHIP_NR_ISA && gsi != PIC_CASCADE_IRQ)
		pic_set_irq(&ic->pic, gsi, level);
	ioapic_set_irq(&ic->ioapic, gsi == 0 ? IRQCHIP_PIT_PIN : gsi, level);
}

/* PIT channel 0 OUT changed (under ic->lock, from pit_io_write() or pit_tick()). */
static void irqchip_pit_irq0(void *ctx, bool level)
{
	struct irqchip *ic = ctx;

	ic->pit_out = level;
	irqchip_route(ic, 0);
}

/* The master 8259's INT line: wake the BSP, which decides whether it takes it. */
static void irqchip_pic_output(void *ctx, bool level)
{
	struct irqchip *ic = ctx;

	if (level && ic->lapics[0])
		vtx_vcpu_request(ic->lapics[0]->vcpu, VTX_REQ_EVENT);
}

/* One IOAPIC redirection entry fired: an interrupt message to the LAPICs. */
static void irqchip_ioapic_deliver(void *ctx, u32 dest, int dest_mode, int delivery_mode,
				   int vector, bool level_trig)
{
	struct irqchip *ic = ctx;
	struct lapic_ipi ipi = {
		.dest		= dest,
		.src_id		= ~0u,
		.vector		= vector,
		.delivery_mode	= delivery_mode,
		.dest_mode	= dest_mode,
		.shorthand	= LAPIC_SH_NONE,
		.level_trig	= level_trig,
	};

	irqchip_lapic_send(ic, &ipi);
}

/* Make the PIT hrtimer match the model's next IRQ 0 edge; ic->lock held. */
static void irqchip_pit_sync_timer(struct irqchip *ic)
{
	u64 next = ic->dead ? PIT_NO_EVENT : pit_next_event_ns(&ic->pit);

	/* Always rate-bound: the PIT coalesces the edges in between. */
	irqchip_timer_sync(&ic->pit_timer, next == PIT_NO_EVENT ? 0 : next, true);
}

static enum hrtimer_restart irqchip_pit_timer_fn(struct hrtimer *t)
{
	struct irqchip *ic = container_of(t, struct irqchip, pit_timer.hrtimer);
	unsigned long flags;
	u64 now;

	spin_lock_irqsave(&ic->lock, flags);
	now = irqchip_timer_fired(&ic->pit_timer);
	if (!ic->dead) {
		pit_tick(&ic->pit, now);
		irqchip_pit_sync_timer(ic);
	}
	spin_unlock_irqrestore(&ic->lock, flags);
	return HRTIMER_NORESTART;
}

void irqchip_legacy_init(struct irqchip *ic)
{
	struct ioapic_config io_cfg = {
		.deliver	= irqchip_ioapic_deliver,
		.ctx		= ic,
	};
	struct irq_clock clock = { .now_ns = irqchip_legacy_clock_ns };

	pic_init(&ic->pic, irqchip_pic_output, ic);
	pit_init(&ic->pit, &clock, irqchip_pit_irq0, ic);
	ioapic_init(&ic->ioapic, &io_cfg);
	irqchip_timer_init(&ic->pit_timer, irqchip_pit_timer_fn);
}

/* No vCPU is left (each holds a VM reference): only the PIT timer can still run. */
void irqchip_legacy_destroy(struct irqchip *ic)
{
	unsigned long flags;

	spin_lock_irqsave(&ic->lock, flags);
	ic->dead = true;
	spin_unlock_irqrestore(&ic->lock, flags);
	hrtimer_cancel(&ic->pit_timer.hrtimer);
}

/* VTX_IRQ_LINE: GSI 2 is not an ISA line (cascade); ISA IRQ 0 reaches pin 2 as GSI 0. */
int irqchip_set_irq(struct vtx_vm *vm, u32 irq, int level)
{
	struct irqchip *ic = vm->irqchip;
	unsigned long flags;

	if (irq >= IRQCHIP_NR_GSI || irq == PIC_CASCADE_IRQ || (level != 0 && level != 1))
		return -EINVAL;
	spin_lock_irqsave(&ic->lock, flags);
	if (level)
		ic->user_lines |= BIT(irq);
	else
		ic->user_lines &= ~BIT(irq);
	irqchip_route(ic, irq);
	spin_unlock_irqrestore(&ic->lock, flags);
	return 0;
}

enum irqchip_port_dev {
	IRQCHIP_PORT_NONE,
	IRQCHIP_PORT_PIC,
	IRQCHIP_PORT_PIT,
};

static enum irqchip_port_dev irqchip_port_dev(u16 port)
{
	switch (port) {
	case PIC_MASTER_CMD:
	case PIC_MASTER_DATA:
	case PIC_SLAVE_CMD:
	case PIC_SLAVE_DATA:
	case PIC_ELCR_MASTER:
	case PIC_ELCR_SLAVE:
		return IRQCHIP_PORT_PIC;
	case PIT_PORT_CH0 ... PIT_PORT_CTRL:
	case PIT_PORT_B:
		return IRQCHIP_PORT_PIT;
	default:
		return IRQCHIP_PORT_NONE;
	}
}

/*
 * The devices are byte-wide: a word or dword access is one byte access per
 * port (OUTW to 0x4d0 sets both ELCRs), bytes of other ports read 0xff.
 */
enum irqchip_access irqchip_pio(struct vtx_vcpu *vcpu, u16 port, bool in, u32 size,
				u32 *val)
{
	struct irqchip *ic = vcpu->vm->irqchip;
	unsigned long flags;
	u32 i, in_val = 0;

	if (irqchip_port_dev(port) == IRQCHIP_PORT_NONE)
		return IRQCHIP_NOT_MINE;
	if (size != 1 && size != 2 && size != 4)
		return IRQCHIP_NOT_MINE;
	spin_lock_irqsave(&ic->lock, flags);
	for (i = 0; i < size; i++) {
		u16 p = port + i;
		enum irqchip_port_dev dev = irqchip_port_dev(p);
		u8 b = 0xff;

		if (!in) {
			b = *val >> (8 * i);
			if (dev == IRQCHIP_PORT_PIC)
				pic_io_write(&ic->pic, p, b);
			else if (dev == IRQCHIP_PORT_PIT)
				pit_io_write(&ic->pit, p, b);
			continue;
		}
		if (dev == IRQCHIP_PORT_PIC)
			b = pic_io_read(&ic->pic, p);
		else if (dev == IRQCHIP_PORT_PIT)
			b = pit_io_read(&ic->pit, p);
		in_val |= (u32)b << (8 * i);
	}
	irqchip_pit_sync_timer(ic);
	spin_unlock_irqrestore(&ic->lock, flags);
	if (in)
		*val = in_val;
	return IRQCHIP_HANDLED;
}

/* IOREGSEL/IOWIN are dwords; narrower reads return the addressed bytes, odd writes are dropped. */
enum irqchip_access irqchip_ioapic_mmio(struct irqchip *ic, u32 offset, bool write,
					u32 len, u64 *val)
{
	unsigned long flags;
	u32 v = 0;

	spin_lock_irqsave(&ic->lock, flags);
	if (write) {
		if (len == 4 && !(offset & 3))
			ioapic_mmio_write(&ic->ioapic, offset, (u32)*val);
	} else {
		ioapic_mmio_read(&ic->ioapic, offset & ~3u, &v);
		*val = irqchip_mmio_read_bytes(v, offset, len);
	}
	spin_unlock_irqrestore(&ic->lock, flags);
	return IRQCHIP_HANDLED;
}
