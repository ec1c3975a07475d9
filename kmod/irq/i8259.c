// SPDX-License-Identifier: GPL-2.0
/*
 * i8259A PIC pair with ELCR. Behaviour follows the Intel 8259A datasheet
 * (ICW/OCW formats, priority resolution, rotation, special mask, poll) and
 * the PIIX/ICH datasheets (ELCR; ICW1.LTIM is ignored there, the ELCR
 * selects edge/level per line, so that is what this model does).
 *
 * Priorities: priority_add is the IR number with the highest priority;
 * priority p (0 = highest) belongs to IR (p + priority_add) & 7.
 */
#include "ktypes.h"
#include "i8259.h"

#define PIC_NO_IRQ	8	/* "no priority" result of chip_highest() */

/* Highest-priority priority index set in mask, PIC_NO_IRQ if none. */
static int chip_highest(const struct pic_chip *c, u8 mask)
{
	int p;

	for (p = 0; p < 8; p++)
		if (mask & BIT((p + c->priority_add) & 7))
			return p;
	return PIC_NO_IRQ;
}

/*
 * IR the chip would present on INTA, or -1. A request wins if no in-service
 * level of equal or higher priority blocks it. Special mask mode lets
 * masked in-service levels stop blocking; special fully nested mode lets
 * the master take another request from the slave while IR2 is in service.
 */
static int chip_get_irq(const struct pic_chip *c)
{
	int req = chip_highest(c, c->irr & ~c->imr);
	u8 blocking = c->isr;

	if (req == PIC_NO_IRQ)
		return -1;
	if (c->special_mask)
		blocking &= ~c->imr;
	if (c->sfnm && c->is_master)
		blocking &= ~BIT(PIC_CASCADE_IRQ);
	if (req < chip_highest(c, blocking))
		return (req + c->priority_add) & 7;
	return -1;
}

static void chip_intack(struct pic_chip *c, int irq)
{
	if (c->aeoi) {
		if (c->rotate_aeoi)
			c->priority_add = (irq + 1) & 7;
	} else {
		c->isr |= BIT(irq);
	}
	/* A level line keeps requesting while asserted: IRR follows the line. */
	if (!(c->elcr & BIT(irq)))
		c->irr &= ~BIT(irq);
}

/*
 * The slave's INT output is the master's IR2 input. It is mirrored as a
 * level (IRR2 = slave output) rather than edge-detected, so a slave that
 * keeps a request pending (e.g. in AEOI mode) is never lost.
 */
static void pic_update(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[0];
	bool out;

	if (chip_get_irq(&pic->chip[1]) >= 0) {
		m->irr |= BIT(PIC_CASCADE_IRQ);
		m->lines |= BIT(PIC_CASCADE_IRQ);
	} else {
		m->irr &= ~BIT(PIC_CASCADE_IRQ);
		m->lines &= ~BIT(PIC_CASCADE_IRQ);
	}
	out = chip_get_irq(m) >= 0;
	if (out != pic->output) {
		pic->output = out;
		if (pic->set_output)
			pic->set_output(pic->ctx, out);
	}
}

/* ICW1: starts the initialization sequence (8259A datasheet, "ICW1"). */
static void chip_write_icw1(struct pic_chip *c, u8 val)
{
	/* The edge-sense latches reset: only asserted level lines still request. */
	c->irr = c->lines & c->elcr;
	c->isr = 0;
	c->imr = 0;
	c->priority_add = 0;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->aeoi = false;
	c->rotate_aeoi = false;
	c->sfnm = false;
	c->x86_mode = false;
	c->icw4_needed = val & PIC_ICW1_IC4;
	c->single = val & PIC_ICW1_SNGL;
	c->ltim = val & PIC_ICW1_LTIM;
	c->init_step = 2;
}

static void chip_write_ocw2(struct pic_chip *c, u8 val)
{
	int irq = val & 7;
	int p;

	switch (val & 0xe0) {
	case PIC_OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_aeoi = false;
		break;
	case PIC_OCW2_ROTATE_AEOI_SET:
		c->rotate_aeoi = true;
		break;
	case PIC_OCW2_EOI:
	case PIC_OCW2_ROTATE_EOI:
		p = chip_highest(c, c->isr);
		if (p == PIC_NO_IRQ)
			break;
		irq = (p + c->priority_add) & 7;
		c->isr &= ~BIT(irq);
		if ((val & 0xe0) == PIC_OCW2_ROTATE_EOI)
			c->priority_add = (irq + 1) & 7;
		break;
	case PIC_OCW2_SPECIFIC_EOI:
		c->isr &= ~BIT(irq);
		break;
	case PIC_OCW2_ROTATE_SPECIFIC_EOI:
		c->isr &= ~BIT(irq);
		c->priority_add = (irq + 1) & 7;
		break;
	case PIC_OCW2_SET_PRIORITY:
		c->priority_add = (irq + 1) & 7;
		break;
	default:	/* PIC_OCW2_NOP */
		break;
	}
}

static void chip_write_ocw3(struct pic_chip *c, u8 val)
{
	if (val & PIC_OCW3_ESMM)
		c->special_mask = val & PIC_OCW3_SMM;
	if (val & PIC_OCW3_POLL)
		c->poll = true;
	if (val & PIC_OCW3_RR)
		c->read_isr = val & PIC_OCW3_RIS;
}

static void chip_write_cmd(struct pic_chip *c, u8 val)
{
	if (val & PIC_ICW1)
		chip_write_icw1(c, val);
	else if (val & PIC_OCW3)
		chip_write_ocw3(c, val);
	else
		chip_write_ocw2(c, val);
}

/* Data port: ICW2-ICW4 during initialization, OCW1 (the IMR) otherwise. */
static void chip_write_data(struct pic_chip *c, u8 val)
{
	switch (c->init_step) {
	case 2:
		c->vector_base = val & 0xf8;
		if (!c->single)
			c->init_step = 3;
		else
			c->init_step = c->icw4_needed ? 4 : 0;
		break;
	case 3:
		c->icw3 = val;
		c->init_step = c->icw4_needed ? 4 : 0;
		break;
	case 4:
		c->x86_mode = val & PIC_ICW4_8086;
		c->aeoi = val & PIC_ICW4_AEOI;
		c->sfnm = val & PIC_ICW4_SFNM;
		c->init_step = 0;
		break;
	default:
		c->imr = val;
		break;
	}
}

/* Poll command (OCW3.P): this read is an INTA; 0x80 | IR, or 0 if none. */
static u8 chip_poll_read(struct pic_chip *c)
{
	int irq = chip_get_irq(c);

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_intack(c, irq);
	return 0x80 | irq;
}

static void chip_write_elcr(struct pic_chip *c, u8 val)
{
	c->elcr = val & c->elcr_mask;
	/* Lines that became level triggered request exactly while asserted. */
	c->irr = (c->irr & ~c->elcr) | (c->lines & c->elcr);
}

void pic_io_write(struct pic *pic, u16 port, u8 val)
{
	switch (port) {
	case PIC_MASTER_CMD:
	case PIC_SLAVE_CMD:
		chip_write_cmd(&pic->chip[port == PIC_SLAVE_CMD], val);
		break;
	case PIC_MASTER_DATA:
	case PIC_SLAVE_DATA:
		chip_write_data(&pic->chip[port == PIC_SLAVE_DATA], val);
		break;
	case PIC_ELCR_MASTER:
	case PIC_ELCR_SLAVE:
		chip_write_elcr(&pic->chip[port == PIC_ELCR_SLAVE], val);
		break;
	default:
		return;
	}
	pic_update(pic);
}

u8 pic_io_read(struct pic *pic, u16 port)
{
	struct pic_chip *c;
	u8 val;

	switch (port) {
	case PIC_MASTER_CMD:
	case PIC_SLAVE_CMD:
		c = &pic->chip[port == PIC_SLAVE_CMD];
		if (!c->poll)
			return c->read_isr ? c->isr : c->irr;
		val = chip_poll_read(c);
		pic_update(pic);
		return val;
	case PIC_MASTER_DATA:
	case PIC_SLAVE_DATA:
		return pic->chip[port == PIC_SLAVE_DATA].imr;
	case PIC_ELCR_MASTER:
	case PIC_ELCR_SLAVE:
		return pic->chip[port == PIC_ELCR_SLAVE].elcr;
	default:
		return 0xff;
	}
}

int pic_set_irq(struct pic *pic, int irq, int level)
{
	struct pic_chip *c;
	u8 bit;

	if (irq < 0 || irq >= PIC_NR_IRQS || irq == PIC_CASCADE_IRQ)
		return -EINVAL;
	c = &pic->chip[array_index_nospec(irq, PIC_NR_IRQS) >> 3];
	bit = BIT(irq & 7);
	if (c->elcr & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;		/* rising edge */
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
	pic_update(pic);
	return 0;
}

bool pic_output(const struct pic *pic)
{
	return pic->output;
}

int pic_pending_vector(const struct pic *pic)
{
	const struct pic_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int irq = chip_get_irq(m);

	if (irq < 0)
		return -1;
	if (irq != PIC_CASCADE_IRQ)
		return m->vector_base + irq;
	irq = chip_get_irq(s);
	return s->vector_base + (irq < 0 ? 7 : irq);
}

int pic_ack(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int irq = chip_get_irq(m);
	int slave_irq, vector;

	if (irq < 0)
		return m->vector_base + 7;	/* spurious IRQ7: no ISR bit */
	if (irq == PIC_CASCADE_IRQ) {
		/* The slave supplies the vector; spurious IRQ15 if it lost it. */
		slave_irq = chip_get_irq(s);
		if (slave_irq >= 0)
			chip_intack(s, slave_irq);
		else
			slave_irq = 7;
		vector = s->vector_base + slave_irq;
	} else {
		vector = m->vector_base + irq;
	}
	chip_intack(m, irq);
	pic_update(pic);
	return vector;
}

static void pic_bios_init(struct pic *pic, u16 cmd, u8 base, u8 icw3)
{
	pic_io_write(pic, cmd, PIC_ICW1 | PIC_ICW1_IC4);
	pic_io_write(pic, cmd + 1, base);
	pic_io_write(pic, cmd + 1, icw3);
	pic_io_write(pic, cmd + 1, PIC_ICW4_8086);
	pic_io_write(pic, cmd + 1, 0xff);
}

void pic_init(struct pic *pic, void (*set_output)(void *ctx, bool level), void *ctx)
{
	memset(pic, 0, sizeof(*pic));
	pic->chip[0].is_master = true;
	/* IRQ 0, 1, 2 (master) and 8, 13 (slave) are wired edge-only in the PIIX. */
	pic->chip[0].elcr_mask = 0xf8;
	pic->chip[1].elcr_mask = 0xde;
	pic_bios_init(pic, PIC_MASTER_CMD, 0x08, BIT(PIC_CASCADE_IRQ));
	pic_bios_init(pic, PIC_SLAVE_CMD, 0x70, PIC_CASCADE_IRQ);
	pic->set_output = set_output;
	pic->ctx = ctx;
}
