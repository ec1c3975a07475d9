// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/irq/ioapic.c kmod/irq/lapic.c kmod/irq/lapic_timer.c kmod/irq/lapic_ipi.c */
/*
 * IOAPIC model (kmod/irq/ioapic.c, 82093AA datasheet): IOREGSEL/IOWIN, ID/version/
 * arbitration, redirection entry masks, edge vs level, remote IRR and EOI, masking;
 * then the level-triggered path IOAPIC -> LAPIC -> EOI -> IOAPIC end to end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktypes.h"
#include "irq/ioapic.h"
#include "irq/lapic.h"

struct msg {
	u32 dest;
	int dest_mode, dm, vector;
	bool level;
};

static struct msg msgs[16];
static int nmsg;
static struct ioapic io;
static struct lapic cpu;
static bool route_to_lapic;

static void fake_deliver(void *ctx, u32 dest, int dest_mode, int dm, int vector, bool level)
{
	struct lapic_ipi ipi = {
		.dest = dest, .dest_mode = dest_mode, .delivery_mode = dm, .vector = vector,
		.level_trig = level,
	};
	u64 start;

	(void)ctx;
	msgs[nmsg++] = (struct msg){ dest, dest_mode, dm, vector, level };
	if (route_to_lapic && lapic_ipi_targets(&cpu, &ipi))
		lapic_deliver(&cpu, &ipi, &start);
}

static void lapic_eoi_to_ioapic(void *ctx, int vector)
{
	(void)ctx;
	ioapic_eoi(&io, vector);
}

static u64 fake_now(void *ctx)
{
	(void)ctx;
	return 0;
}

static int setup(void **state)
{
	struct ioapic_config cfg = { .deliver = fake_deliver };

	(void)state;
	nmsg = 0;
	route_to_lapic = false;
	memset(msgs, 0, sizeof(msgs));
	ioapic_init(&io, &cfg);
	return 0;
}

static u32 reg_rd(u32 reg)
{
	u32 v = 0xdeadbeef;

	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, reg);
	ioapic_mmio_read(&io, IOAPIC_IOWIN, &v);
	return v;
}

static void reg_wr(u32 reg, u32 v)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, reg);
	ioapic_mmio_write(&io, IOAPIC_IOWIN, v);
}

static void rte_wr(int pin, u32 lo, u32 hi)
{
	reg_wr(IOAPIC_REG_REDTBL + 2 * pin + 1, hi);
	reg_wr(IOAPIC_REG_REDTBL + 2 * pin, lo);
}

static void test_reset_and_ids(void **state)
{
	u32 v;
	int pin;

	(void)state;
	assert_int_equal(reg_rd(IOAPIC_REG_VER), 0x00170011);
	assert_int_equal(reg_rd(IOAPIC_REG_ID), 0);
	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 2 * pin), 0x10000);
		assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 2 * pin + 1), 0);
	}
	/* Past entry 23 and unimplemented registers. */
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 48), 0xffffffff);
	assert_int_equal(reg_rd(0x03), 0xffffffff);
	/* ID: bits 27:24 only; arbitration follows it; version is read-only. */
	reg_wr(IOAPIC_REG_ID, 0xffffffff);
	assert_int_equal(reg_rd(IOAPIC_REG_ID), 0x0f000000);
	assert_int_equal(reg_rd(IOAPIC_REG_ARB), 0x0f000000);
	reg_wr(IOAPIC_REG_VER, 0);
	reg_wr(IOAPIC_REG_ARB, 0);
	assert_int_equal(reg_rd(IOAPIC_REG_VER), 0x00170011);
	assert_int_equal(reg_rd(IOAPIC_REG_ARB), 0x0f000000);
	/* IOREGSEL keeps 8 bits; other offsets read 0 and ignore writes. */
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 0x1234);
	ioapic_mmio_read(&io, IOAPIC_IOREGSEL, &v);
	assert_int_equal(v, 0x34);
	ioapic_mmio_write(&io, 0x20, 0x55);
	ioapic_mmio_read(&io, 0x20, &v);
	assert_int_equal(v, 0);
	ioapic_mmio_read(&io, IOAPIC_IOREGSEL, &v);
	assert_int_equal(v, 0x34);
}

static void test_rte_masks(void **state)
{
	(void)state;
	/* Delivery status (12), remote IRR (14) and reserved bits stay 0. */
	rte_wr(5, 0xffffffff, 0xffffffff);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 10), 0x1afff);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 11), 0xff000000);
	/* Low and high halves are independent. */
	reg_wr(IOAPIC_REG_REDTBL + 11, 0x02000000);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 10), 0x1afff);
	reg_wr(IOAPIC_REG_REDTBL + 10, 0x30);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 11), 0x02000000);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 10), 0x30);
	assert_int_equal(nmsg, 0);
}

static void test_edge(void **state)
{
	(void)state;
	/* Pin 2 edge, vector 0x30, physical dest 1. */
	rte_wr(2, 0x30, 0x01000000);
	ioapic_set_irq(&io, 2, 1);
	assert_int_equal(nmsg, 1);
	assert_int_equal(msgs[0].dest, 1);
	assert_int_equal(msgs[0].vector, 0x30);
	assert_int_equal(msgs[0].dm, IRQ_DM_FIXED);
	assert_int_equal(msgs[0].dest_mode, IRQ_DEST_PHYSICAL);
	assert_false(msgs[0].level);
	ioapic_set_irq(&io, 2, 1);	/* no new edge */
	assert_int_equal(nmsg, 1);
	ioapic_set_irq(&io, 2, 0);
	ioapic_set_irq(&io, 2, 1);
	assert_int_equal(nmsg, 2);
	/* Edge entries never set remote IRR and do not care about EOI. */
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 4), 0x30);
	ioapic_eoi(&io, 0x30);
	assert_int_equal(nmsg, 2);
	/* Masked: the edge is lost, unmasking does not replay it. */
	ioapic_set_irq(&io, 2, 0);
	rte_wr(2, 0x10030, 0x01000000);
	ioapic_set_irq(&io, 2, 1);
	assert_int_equal(nmsg, 2);
	rte_wr(2, 0x30, 0x01000000);
	assert_int_equal(nmsg, 2);
	/* Out-of-range pins are ignored. */
	ioapic_set_irq(&io, 24, 1);
	ioapic_set_irq(&io, -1, 1);
	assert_int_equal(nmsg, 2);
}

static void test_level_remote_irr(void **state)
{
	(void)state;
	/* Pin 9 level, active low (stored only), logical dest 0x0c, vector 0x41. */
	rte_wr(9, 0xa841, 0x0c000000);
	ioapic_set_irq(&io, 9, 1);
	assert_int_equal(nmsg, 1);
	assert_true(msgs[0].level);
	assert_int_equal(msgs[0].dest, 0x0c);
	assert_int_equal(msgs[0].dest_mode, IRQ_DEST_LOGICAL);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 18), 0xe841);	/* remote IRR */
	/* Remote IRR blocks re-delivery; it is read-only to software. */
	ioapic_set_irq(&io, 9, 1);
	assert_int_equal(nmsg, 1);
	reg_wr(IOAPIC_REG_REDTBL + 18, 0xa841);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 18), 0xe841);
	assert_int_equal(nmsg, 1);
	/* EOI for another vector does nothing; for ours with the line high: again. */
	ioapic_eoi(&io, 0x42);
	assert_int_equal(nmsg, 1);
	ioapic_eoi(&io, 0x41);
	assert_int_equal(nmsg, 2);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 18), 0xe841);
	/* Line dropped: EOI only clears remote IRR. */
	ioapic_set_irq(&io, 9, 0);
	ioapic_eoi(&io, 0x41);
	assert_int_equal(nmsg, 2);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 18), 0xa841);
	/* Asserted while masked: delivered when unmasked. */
	rte_wr(9, 0x1a841, 0x0c000000);
	ioapic_set_irq(&io, 9, 1);
	assert_int_equal(nmsg, 2);
	reg_wr(IOAPIC_REG_REDTBL + 18, 0xa841);
	assert_int_equal(nmsg, 3);
	/* Switching to edge drops remote IRR. */
	reg_wr(IOAPIC_REG_REDTBL + 18, 0x2841);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 18), 0x2841);
}

/*
 * What kvm-unit-tests' ioapic.c drives through pc-testdev lines (and
 * tests/guests/ioapic_irq.c in vtx): toggles while the interrupt is pending
 * coalesce; masked while in service, the EOI clears remote IRR without a
 * message and unmasking a still-high line sends it again.
 */
static void test_level_coalesce_and_mask(void **state)
{
	(void)state;
	rte_wr(14, 0x8066, 0);
	ioapic_set_irq(&io, 14, 1);
	ioapic_set_irq(&io, 14, 0);
	ioapic_set_irq(&io, 14, 1);
	ioapic_set_irq(&io, 14, 0);
	assert_int_equal(nmsg, 1);
	ioapic_eoi(&io, 0x66);		/* line low: nothing more */
	assert_int_equal(nmsg, 1);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 28), 0x8066);
	/* Sequential: each assertion after an EOI is one message. */
	ioapic_set_irq(&io, 14, 1);
	ioapic_set_irq(&io, 14, 0);
	ioapic_eoi(&io, 0x66);
	ioapic_set_irq(&io, 14, 1);
	ioapic_set_irq(&io, 14, 0);
	ioapic_eoi(&io, 0x66);
	assert_int_equal(nmsg, 3);
	/* Sent, then masked while in service with the line high. */
	ioapic_set_irq(&io, 14, 1);
	assert_int_equal(nmsg, 4);
	reg_wr(IOAPIC_REG_REDTBL + 28, 0x18066);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 28), 0x1c066);	/* IRR kept */
	ioapic_eoi(&io, 0x66);
	assert_int_equal(nmsg, 4);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 28), 0x18066);
	reg_wr(IOAPIC_REG_REDTBL + 28, 0x8066);
	assert_int_equal(nmsg, 5);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 28), 0xc066);
}

static void test_delivery_modes(void **state)
{
	(void)state;
	rte_wr(0, 0x700, 0);		/* ExtINT: the PIC behind pin 0 */
	rte_wr(1, 0x400, 0xff000000);	/* NMI broadcast */
	rte_wr(3, 0x160, 0x03000000);	/* lowest priority */
	ioapic_set_irq(&io, 0, 1);
	ioapic_set_irq(&io, 1, 1);
	ioapic_set_irq(&io, 3, 1);
	assert_int_equal(nmsg, 3);
	assert_int_equal(msgs[0].dm, IRQ_DM_EXTINT);
	assert_int_equal(msgs[1].dm, IRQ_DM_NMI);
	assert_int_equal(msgs[1].dest, 0xff);
	assert_int_equal(msgs[2].dm, IRQ_DM_LOWPRI);
	assert_int_equal(msgs[2].vector, 0x60);
	assert_int_equal(msgs[2].dest, 3);
}

/* Level interrupt through a LAPIC: the guest's EOI reaches the IOAPIC. */
static void test_level_eoi_through_lapic(void **state)
{
	struct lapic_config lc = {
		.apic_id = 1, .bsp = true, .clock = { .now_ns = fake_now },
		.eoi = lapic_eoi_to_ioapic,
	};

	(void)state;
	lapic_init(&cpu, &lc);
	assert_int_equal(lapic_mmio_write(&cpu, LAPIC_SVR, 0x1ff), 0);
	route_to_lapic = true;
	rte_wr(11, 0x8051, 0x01000000);
	ioapic_set_irq(&io, 11, 1);
	assert_int_equal(lapic_pending_vector(&cpu), 0x51);
	lapic_ack(&cpu, 0x51);
	assert_int_equal(lapic_pending_vector(&cpu), -1);
	/* Still asserted: EOI clears remote IRR and the line interrupts again. */
	assert_int_equal(lapic_mmio_write(&cpu, LAPIC_EOI, 0), 0);
	assert_int_equal(nmsg, 2);
	assert_int_equal(lapic_pending_vector(&cpu), 0x51);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 22), 0xc051);
	/* Device deasserts; the second EOI leaves the entry idle. */
	lapic_ack(&cpu, 0x51);
	ioapic_set_irq(&io, 11, 0);
	assert_int_equal(lapic_mmio_write(&cpu, LAPIC_EOI, 0), 0);
	assert_int_equal(nmsg, 2);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 22), 0x8051);
	assert_int_equal(lapic_pending_vector(&cpu), -1);
	/* Two level pins raised together: both pending, the higher vector first. */
	rte_wr(14, 0x8066, 0x01000000);
	rte_wr(15, 0x8077, 0x01000000);
	ioapic_set_irq(&io, 14, 1);
	ioapic_set_irq(&io, 15, 1);
	assert_int_equal(lapic_pending_vector(&cpu), 0x77);
	lapic_ack(&cpu, 0x77);
	ioapic_set_irq(&io, 15, 0);
	assert_int_equal(lapic_mmio_write(&cpu, LAPIC_EOI, 0), 0);
	assert_int_equal(lapic_pending_vector(&cpu), 0x66);
	lapic_ack(&cpu, 0x66);
	ioapic_set_irq(&io, 14, 0);
	assert_int_equal(lapic_mmio_write(&cpu, LAPIC_EOI, 0), 0);
	assert_int_equal(lapic_pending_vector(&cpu), -1);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 28) & 0x4000, 0);
	assert_int_equal(reg_rd(IOAPIC_REG_REDTBL + 30) & 0x4000, 0);
	assert_int_equal(nmsg, 4);
	/* A message for another APIC ID does not reach this LAPIC. */
	rte_wr(12, 0x52, 0x02000000);
	ioapic_set_irq(&io, 12, 1);
	assert_int_equal(nmsg, 5);
	assert_int_equal(lapic_pending_vector(&cpu), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_and_ids, setup),
		cmocka_unit_test_setup(test_rte_masks, setup),
		cmocka_unit_test_setup(test_edge, setup),
		cmocka_unit_test_setup(test_level_remote_irr, setup),
		cmocka_unit_test_setup(test_level_coalesce_and_mask, setup),
		cmocka_unit_test_setup(test_delivery_modes, setup),
		cmocka_unit_test_setup(test_level_eoi_through_lapic, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
