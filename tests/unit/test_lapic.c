// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/irq/lapic.c kmod/irq/lapic_timer.c kmod/irq/lapic_ipi.c */
/*
 * LAPIC model (kmod/irq/lapic.c) against SDM vol 3A ch. 11: register reset values and
 * write masks, ESR, SVR, TPR/PPR/IRR/ISR priority, EOI, ICR IPIs, INIT/SIPI, destination
 * matching, x2APIC MSRs and their #GP cases, IA32_APIC_BASE transitions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lapic_ctx.h"

static struct lapic_ipi ipis[8];
static int nipi;
static int eois[8];
static int neoi;

static void fake_send_ipi(void *ctx, const struct lapic_ipi *ipi)
{
	(void)ctx;
	ipis[nipi++] = *ipi;
}

static void fake_eoi(void *ctx, int vector)
{
	(void)ctx;
	eois[neoi++] = vector;
}

static void make(struct lapic *x, u32 id, bool bsp, u8 phys_bits)
{
	struct lapic_config cfg = {
		.apic_id = id, .bsp = bsp, .phys_addr_bits = phys_bits,
		.clock = { .now_ns = fake_now },
		.send_ipi = fake_send_ipi, .eoi = fake_eoi,
	};

	lapic_init(x, &cfg);
}

static int setup(void **state)
{
	(void)state;
	now = 0;
	nipi = 0;
	neoi = 0;
	memset(ipis, 0, sizeof(ipis));
	make(&l, 0x123, true, 39);
	return 0;
}

static u32 read_esr(void)
{
	wr(LAPIC_ESR, 0);
	return rd(LAPIC_ESR);
}

static void enable_sw(void)
{
	wr(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
}

static void to_x2apic(void)
{
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, LAPIC_BASE_DEFAULT |
					 LAPIC_BASE_EN | LAPIC_BASE_EXTD | LAPIC_BASE_BSP), 0);
}

static void test_reset_values(void **state)
{
	u64 v;
	u32 off;

	(void)state;
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_APICBASE, &v), 0);
	assert_int_equal(v, 0xfee00900ULL);
	assert_int_equal(rd(LAPIC_ID), 0x23000000);	/* xAPIC keeps 8 ID bits */
	assert_int_equal(rd(LAPIC_VER), 0x00050014);
	assert_int_equal(rd(LAPIC_TPR), 0);
	assert_int_equal(rd(LAPIC_PPR), 0);
	assert_int_equal(rd(LAPIC_LDR), 0);
	assert_int_equal(rd(LAPIC_DFR), 0xffffffff);
	assert_int_equal(rd(LAPIC_SVR), 0xff);
	for (off = LAPIC_LVT_TIMER; off <= LAPIC_LVT_ERR; off += 0x10)
		assert_int_equal(rd(off), LAPIC_LVT_MASKED);
	for (off = LAPIC_ISR; off < LAPIC_ESR; off += 0x10)
		assert_int_equal(rd(off), 0);
	assert_int_equal(rd(LAPIC_TMICT), 0);
	assert_int_equal(rd(LAPIC_TMCCT), 0);
	assert_int_equal(rd(LAPIC_TDCR), 0);
	assert_int_equal(rd(LAPIC_ICR_LO), 0);
	make(&l, 1, false, 0);
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_APICBASE, &v), 0);
	assert_int_equal(v, 0xfee00800ULL);
}

static void test_register_masks(void **state)
{
	(void)state;
	wr(LAPIC_ID, 0x07ffffff);
	assert_int_equal(rd(LAPIC_ID), 0x07000000);
	wr(LAPIC_TPR, 0xffffff5a);
	assert_int_equal(rd(LAPIC_TPR), 0x5a);
	wr(LAPIC_LDR, 0x12345678);
	assert_int_equal(rd(LAPIC_LDR), 0x12000000);
	wr(LAPIC_DFR, 0x01234567);
	assert_int_equal(rd(LAPIC_DFR), 0x0fffffff);
	wr(LAPIC_SVR, 0xffffffff);
	assert_int_equal(rd(LAPIC_SVR), 0x3ff);	/* bit 12 reserved: no EOI suppression */
	wr(LAPIC_ICR_HI, 0xffffffff);
	assert_int_equal(rd(LAPIC_ICR_HI), 0xff000000);
	wr(LAPIC_TDCR, 0xffffffff);
	assert_int_equal(rd(LAPIC_TDCR), 0xb);
	/* LVTs: delivery status, remote IRR and reserved bits stay 0. */
	wr(LAPIC_LVT_LINT0, 0xffffffff);
	assert_int_equal(rd(LAPIC_LVT_LINT0), 0x1a7ff);
	wr(LAPIC_LVT_THERM, 0xffffffff);
	assert_int_equal(rd(LAPIC_LVT_THERM), 0x107ff);
	wr(LAPIC_LVT_ERR, 0xffffffff);
	assert_int_equal(rd(LAPIC_LVT_ERR), 0x100ff);
	/* No TSC rate configured: timer mode bit 18 is reserved. */
	wr(LAPIC_LVT_TIMER, 0xffffffff);
	assert_int_equal(rd(LAPIC_LVT_TIMER), 0x300ff);
	/* Read-only registers ignore writes. */
	wr(LAPIC_VER, 0);
	assert_int_equal(rd(LAPIC_VER), 0x00050014);
	wr(LAPIC_PPR, 0xff);
	assert_int_equal(rd(LAPIC_PPR), 0x5a);
	wr(LAPIC_IRR, 0xffffffff);
	assert_int_equal(rd(LAPIC_IRR), 0);
	assert_int_equal(read_esr(), 0);
}

static void test_reserved_and_esr(void **state)
{
	(void)state;
	enable_sw();
	/* Reserved registers read 0 and log "illegal register address". */
	assert_int_equal(rd(LAPIC_LVT_CMCI), 0);	/* only 6 LVTs */
	assert_int_equal(read_esr(), LAPIC_ESR_ILLEGAL_REG);
	wr(LAPIC_SELF_IPI, 0x40);			/* x2APIC only */
	assert_int_equal(nipi, 0);
	assert_int_equal(read_esr(), LAPIC_ESR_ILLEGAL_REG);
	assert_int_equal(read_esr(), 0);
	/* The other dwords of a register slot and unaligned offsets: ignored, no error. */
	assert_int_equal(rd(LAPIC_SVR + 4), 0);
	assert_int_equal(rd(LAPIC_SVR + 1), 0);
	assert_int_equal(read_esr(), 0);
	/* ESR shows nothing until written, then exactly the errors since the last write. */
	lapic_set_irq(&l, 5, false);
	assert_int_equal(rd(LAPIC_ESR), 0);
	assert_int_equal(read_esr(), LAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(rd(LAPIC_ESR), LAPIC_ESR_RECV_ILLEGAL);
	assert_int_equal(lapic_pending_vector(&l), -1);
	/* Sending an illegal vector; the error LVT raises its vector once unmasked. */
	wr(LAPIC_LVT_ERR, 0xfe);
	wr(LAPIC_ICR_LO, 0x0f);
	assert_int_equal(nipi, 0);
	assert_int_equal(read_esr(), LAPIC_ESR_SEND_ILLEGAL);
	assert_int_equal(lapic_pending_vector(&l), 0xfe);
}

static void test_svr_software_disable(void **state)
{
	(void)state;
	/* Disabled after reset: LVT mask bit cannot be cleared, fixed interrupts dropped. */
	wr(LAPIC_LVT_LINT1, 0x0400);
	assert_int_equal(rd(LAPIC_LVT_LINT1), 0x10400);
	lapic_set_irq(&l, 0x40, false);
	assert_int_equal(rd(LAPIC_IRR + 0x20), 0);
	enable_sw();
	wr(LAPIC_LVT_LINT1, 0x0400);
	assert_int_equal(rd(LAPIC_LVT_LINT1), 0x0400);
	wr(LAPIC_LVT_PERF, 0x0050);
	lapic_set_irq(&l, 0x40, false);
	assert_int_equal(rd(LAPIC_IRR + 0x20), 1);
	/* Disabling masks every LVT; IRR stays pending. */
	wr(LAPIC_SVR, 0xff);
	assert_int_equal(rd(LAPIC_LVT_LINT1), 0x10400);
	assert_int_equal(rd(LAPIC_LVT_PERF), 0x10050);
	assert_int_equal(lapic_pending_vector(&l), 0x40);
}

static void test_priority_and_ppr(void **state)
{
	(void)state;
	enable_sw();
	lapic_set_irq(&l, 0x31, false);
	lapic_set_irq(&l, 0x52, false);
	assert_int_equal(rd(LAPIC_IRR + 0x10), BIT(0x31 - 32));
	assert_int_equal(rd(LAPIC_IRR + 0x20), BIT(0x52 - 64));
	assert_int_equal(lapic_pending_vector(&l), 0x52);
	/* TPR class 5 blocks class 5 and below; the low nibble of TPR does not count. */
	wr(LAPIC_TPR, 0x50);
	assert_int_equal(lapic_pending_vector(&l), -1);
	wr(LAPIC_TPR, 0x4f);
	assert_int_equal(rd(LAPIC_PPR), 0x4f);
	assert_int_equal(lapic_pending_vector(&l), 0x52);
	wr(LAPIC_TPR, 0);
	lapic_ack(&l, 0x52);
	assert_int_equal(rd(LAPIC_ISR + 0x20), BIT(0x52 - 64));
	assert_int_equal(rd(LAPIC_IRR + 0x20), 0);
	/* PPR = ISRV class when it beats TPR; = TPR when TPR's class is >= ISRV's. */
	assert_int_equal(rd(LAPIC_PPR), 0x50);
	wr(LAPIC_TPR, 0x53);
	assert_int_equal(rd(LAPIC_PPR), 0x53);
	wr(LAPIC_TPR, 0x72);
	assert_int_equal(rd(LAPIC_PPR), 0x72);
	wr(LAPIC_TPR, 0x20);
	assert_int_equal(rd(LAPIC_PPR), 0x50);
	/* 0x31 stays blocked by the in-service 0x52; a higher class nests. */
	assert_int_equal(lapic_pending_vector(&l), -1);
	lapic_set_irq(&l, 0x61, false);
	assert_int_equal(lapic_pending_vector(&l), 0x61);
	lapic_ack(&l, 0x61);
	assert_int_equal(rd(LAPIC_PPR), 0x60);
	assert_int_equal(lapic_pending_vector(&l), -1);
	/* EOI retires the highest ISR bit first. */
	wr(LAPIC_EOI, 0);
	assert_int_equal(rd(LAPIC_ISR + 0x60), 0);
	assert_int_equal(rd(LAPIC_ISR + 0x20), BIT(0x52 - 64));
	assert_int_equal(rd(LAPIC_PPR), 0x50);
	wr(LAPIC_EOI, 0);
	assert_int_equal(rd(LAPIC_ISR + 0x20), 0);
	assert_int_equal(rd(LAPIC_PPR), 0x20);
	assert_int_equal(lapic_pending_vector(&l), 0x31);
	/* EOI with nothing in service changes nothing. */
	wr(LAPIC_EOI, 0);
	assert_int_equal(lapic_pending_vector(&l), 0x31);
	assert_int_equal(neoi, 0);
	/* CR8 view of TPR. */
	lapic_set_tpr(&l, 0x3 << 4);
	assert_int_equal(lapic_get_tpr(&l), 0x30);
	assert_int_equal(lapic_pending_vector(&l), -1);
}

static void test_level_eoi_callback(void **state)
{
	(void)state;
	enable_sw();
	lapic_set_irq(&l, 0x40, true);
	lapic_set_irq(&l, 0x80, false);
	assert_int_equal(rd(LAPIC_TMR + 0x20), 1);
	assert_int_equal(rd(LAPIC_TMR + 0x40), 0);
	lapic_ack(&l, 0x80);
	wr(LAPIC_EOI, 0);		/* edge: no broadcast */
	assert_int_equal(neoi, 0);
	lapic_ack(&l, 0x40);
	wr(LAPIC_EOI, 0);
	assert_int_equal(neoi, 1);
	assert_int_equal(eois[0], 0x40);
	/* Re-accepting the vector as edge clears its TMR bit. */
	lapic_set_irq(&l, 0x40, false);
	assert_int_equal(rd(LAPIC_TMR + 0x20), 0);
}

static void test_icr_xapic(void **state)
{
	(void)state;
	enable_sw();
	wr(LAPIC_ICR_HI, 0x03000000);
	wr(LAPIC_ICR_LO, 0x40);
	assert_int_equal(nipi, 1);
	assert_int_equal(ipis[0].dest, 3);
	assert_int_equal(ipis[0].vector, 0x40);
	assert_int_equal(ipis[0].delivery_mode, IRQ_DM_FIXED);
	assert_int_equal(ipis[0].dest_mode, IRQ_DEST_PHYSICAL);
	assert_int_equal(ipis[0].shorthand, LAPIC_SH_NONE);
	assert_int_equal(ipis[0].src_id, 0x123);
	assert_false(ipis[0].x2apic);
	assert_false(ipis[0].level_trig);
	/* Delivery status (bit 12) reads idle, reserved bits 0. */
	wr(LAPIC_ICR_LO, 0xfffff841);
	assert_int_equal(rd(LAPIC_ICR_LO), 0x000cc841);
	assert_true(ipis[1].level_trig);
	assert_int_equal(ipis[1].dest_mode, IRQ_DEST_LOGICAL);
	assert_int_equal(ipis[1].shorthand, LAPIC_SH_ALL_EXCL);
	assert_int_equal(ipis[1].vector, 0x41);
	/* NMI, INIT assert, SIPI, self, all-including. */
	wr(LAPIC_ICR_LO, 0x400);
	assert_int_equal(ipis[2].delivery_mode, IRQ_DM_NMI);
	wr(LAPIC_ICR_LO, 0xc500);
	assert_int_equal(ipis[3].delivery_mode, IRQ_DM_INIT);
	assert_true(ipis[3].level_trig);
	wr(LAPIC_ICR_LO, 0x69a);
	assert_int_equal(ipis[4].delivery_mode, IRQ_DM_SIPI);
	assert_int_equal(ipis[4].vector, 0x9a);
	wr(LAPIC_ICR_LO, 0x40042);
	assert_int_equal(ipis[5].shorthand, LAPIC_SH_SELF);
	wr(LAPIC_ICR_LO, 0x80043);
	assert_int_equal(ipis[6].shorthand, LAPIC_SH_ALL_INCL);
	assert_int_equal(nipi, 7);
	/* Not sent: INIT level de-assert, NMI with self shorthand, reserved mode 3 and ExtINT. */
	wr(LAPIC_ICR_LO, 0x8500);
	wr(LAPIC_ICR_LO, 0x40400);
	wr(LAPIC_ICR_LO, 0x340);
	wr(LAPIC_ICR_LO, 0x740);
	assert_int_equal(nipi, 7);
}

static void test_deliver_init_sipi(void **state)
{
	struct lapic ap;
	struct lapic_ipi ipi = { .delivery_mode = IRQ_DM_INIT };
	u64 start = 0;

	(void)state;
	make(&ap, 2, false, 0);
	assert_true(ap.sipi_wait);
	ap.svr |= LAPIC_SVR_ENABLE;
	ap.tpr = 0x40;
	ap.id = 9;
	ap.lvt[3] = 0x700;
	assert_int_equal(lapic_deliver(&ap, &ipi, &start), LAPIC_ACT_INIT);
	/* INIT resets everything but the APIC ID and APIC base. */
	assert_int_equal(ap.tpr, 0);
	assert_int_equal(ap.svr, 0xff);
	assert_int_equal(ap.lvt[3], LAPIC_LVT_MASKED);
	assert_int_equal(ap.id, 9);
	assert_int_equal(ap.apic_base, 0xfee00800ULL);
	ipi.delivery_mode = IRQ_DM_SIPI;
	ipi.vector = 0x9a;
	assert_int_equal(lapic_deliver(&ap, &ipi, &start), LAPIC_ACT_SIPI);
	assert_int_equal(start, 0x9a000);
	start = 0;
	assert_int_equal(lapic_deliver(&ap, &ipi, &start), LAPIC_ACT_NONE);	/* already running */
	assert_int_equal(start, 0);
	/* The BSP restarts at the reset vector: a later SIPI is ignored. */
	ipi.delivery_mode = IRQ_DM_INIT;
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_INIT);
	ipi.delivery_mode = IRQ_DM_SIPI;
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_NONE);
	ipi.delivery_mode = IRQ_DM_NMI;
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_NMI);
	ipi.delivery_mode = IRQ_DM_EXTINT;
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_EXTINT);
	/* Fixed: accepted only while software-enabled. */
	ipi.delivery_mode = IRQ_DM_FIXED;
	ipi.vector = 0x55;
	ipi.level_trig = true;
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_NONE);
	enable_sw();
	assert_int_equal(lapic_deliver(&l, &ipi, &start), LAPIC_ACT_IRQ);
	assert_int_equal(lapic_pending_vector(&l), 0x55);
	assert_int_equal(rd(LAPIC_TMR + 0x20), BIT(0x55 - 64));
}

static void test_dest_matching(void **state)
{
	struct lapic_ipi ipi = { .src_id = 0x123 };
	struct lapic other;

	(void)state;
	make(&other, 7, false, 0);
	/* Physical: low 8 bits of the xAPIC ID, 0xff broadcast. */
	assert_true(lapic_match_dest(&l, 0x23, IRQ_DEST_PHYSICAL, false));
	assert_false(lapic_match_dest(&l, 0x24, IRQ_DEST_PHYSICAL, false));
	assert_true(lapic_match_dest(&l, 0xff, IRQ_DEST_PHYSICAL, false));
	/* Logical flat: LDR bitmap AND dest. */
	wr(LAPIC_LDR, 0x04000000);
	assert_true(lapic_match_dest(&l, 0x0c, IRQ_DEST_LOGICAL, false));
	assert_false(lapic_match_dest(&l, 0x0b, IRQ_DEST_LOGICAL, false));
	/* Logical cluster: cluster nibble equal and member bits intersect. */
	wr(LAPIC_DFR, 0x0fffffff);
	wr(LAPIC_LDR, 0x32000000);
	assert_true(lapic_match_dest(&l, 0x36, IRQ_DEST_LOGICAL, false));
	assert_false(lapic_match_dest(&l, 0x26, IRQ_DEST_LOGICAL, false));
	assert_false(lapic_match_dest(&l, 0x35, IRQ_DEST_LOGICAL, false));
	assert_true(lapic_match_dest(&l, 0xff, IRQ_DEST_LOGICAL, false));
	/* Shorthands decide by sender identity. */
	ipi.shorthand = LAPIC_SH_SELF;
	assert_true(lapic_ipi_targets(&l, &ipi));
	assert_false(lapic_ipi_targets(&other, &ipi));
	ipi.shorthand = LAPIC_SH_ALL_INCL;
	assert_true(lapic_ipi_targets(&l, &ipi));
	assert_true(lapic_ipi_targets(&other, &ipi));
	ipi.shorthand = LAPIC_SH_ALL_EXCL;
	assert_false(lapic_ipi_targets(&l, &ipi));
	assert_true(lapic_ipi_targets(&other, &ipi));
	ipi.shorthand = LAPIC_SH_NONE;
	ipi.dest = 7;
	assert_false(lapic_ipi_targets(&l, &ipi));
	assert_true(lapic_ipi_targets(&other, &ipi));
	/* x2APIC: 32-bit physical ID, cluster LDR, both broadcast encodings. */
	to_x2apic();
	assert_true(lapic_match_dest(&l, 0x123, IRQ_DEST_PHYSICAL, true));
	assert_false(lapic_match_dest(&l, 0x23, IRQ_DEST_PHYSICAL, true));
	assert_true(lapic_match_dest(&l, 0xffffffff, IRQ_DEST_PHYSICAL, true));
	assert_true(lapic_match_dest(&l, 0xff, IRQ_DEST_PHYSICAL, false));
	assert_true(lapic_match_dest(&l, 0x0012000c, IRQ_DEST_LOGICAL, true));
	assert_false(lapic_match_dest(&l, 0x00120004, IRQ_DEST_LOGICAL, true));
	assert_false(lapic_match_dest(&l, 0x0013000c, IRQ_DEST_LOGICAL, true));
	/* A hardware-disabled APIC matches nothing. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, LAPIC_BASE_DEFAULT), 0);
	assert_false(lapic_match_dest(&l, 0xff, IRQ_DEST_PHYSICAL, false));
	ipi.shorthand = LAPIC_SH_ALL_INCL;
	assert_false(lapic_ipi_targets(&l, &ipi));
}

static void test_x2apic_msrs(void **state)
{
	u64 v;
	u32 dummy;

	(void)state;
	/* x2APIC MSRs #GP while in xAPIC mode. */
	assert_int_equal(lapic_msr_read(&l, 0x802, &v), -1);
	assert_int_equal(lapic_msr_write(&l, 0x808, 0), -1);
	to_x2apic();
	assert_int_equal(lapic_mmio_read(&l, LAPIC_ID, &dummy), -1);
	assert_int_equal(lapic_mmio_write(&l, LAPIC_TPR, 0), -1);
	assert_int_equal(lapic_msr_read(&l, 0x802, &v), 0);
	assert_int_equal(v, 0x123);
	assert_int_equal(lapic_msr_read(&l, 0x803, &v), 0);
	assert_int_equal(v, 0x50014);
	assert_int_equal(lapic_msr_read(&l, 0x80d, &v), 0);
	assert_int_equal(v, 0x00120008);	/* cluster 0x12, bit 3 */
	assert_int_equal(lapic_msr_write(&l, 0x808, 0x44), 0);
	assert_int_equal(lapic_msr_read(&l, 0x808, &v), 0);
	assert_int_equal(v, 0x44);
	assert_int_equal(lapic_msr_write(&l, 0x80f, 0x1ff), 0);
	/* #GP: writes to read-only, reads of write-only, reserved MSRs, reserved bits. */
	assert_int_equal(lapic_msr_write(&l, 0x802, 0), -1);
	assert_int_equal(lapic_msr_write(&l, 0x803, 0), -1);
	assert_int_equal(lapic_msr_write(&l, 0x80a, 0), -1);
	assert_int_equal(lapic_msr_write(&l, 0x80d, 0), -1);
	assert_int_equal(lapic_msr_write(&l, 0x839, 0), -1);
	assert_int_equal(lapic_msr_write(&l, 0x810, 0), -1);
	assert_int_equal(lapic_msr_read(&l, 0x80b, &v), -1);
	assert_int_equal(lapic_msr_read(&l, 0x83f, &v), -1);
	assert_int_equal(lapic_msr_read(&l, 0x809, &v), -1);	/* APR */
	assert_int_equal(lapic_msr_read(&l, 0x80c, &v), -1);	/* RRD */
	assert_int_equal(lapic_msr_read(&l, 0x80e, &v), -1);	/* DFR */
	assert_int_equal(lapic_msr_read(&l, 0x82f, &v), -1);	/* CMCI */
	assert_int_equal(lapic_msr_read(&l, 0x831, &v), -1);	/* ICR high */
	assert_int_equal(lapic_msr_write(&l, 0x831, 0), -1);
	assert_int_equal(lapic_msr_read(&l, 0x840, &v), -1);
	assert_int_equal(lapic_msr_read(&l, 0x8ff, &v), -1);
	assert_int_equal(lapic_msr_write(&l, 0x808, 1ULL << 32), -1);
	assert_int_equal(lapic_msr_write(&l, 0x80b, 1), -1);	/* EOI must be 0 */
	assert_int_equal(lapic_msr_write(&l, 0x828, 1), -1);	/* ESR must be 0 */
	assert_int_equal(lapic_msr_write(&l, 0x83f, 0x100), -1);
	assert_int_equal(lapic_msr_read(&l, 0x7ff, &v), -1);
	assert_int_equal(lapic_msr_read(&l, 0x808, &v), 0);
	assert_int_equal(v, 0x44);
	/* ESR/EOI with 0 work. */
	lapic_set_irq(&l, 3, false);
	assert_int_equal(lapic_msr_write(&l, 0x828, 0), 0);
	assert_int_equal(lapic_msr_read(&l, 0x828, &v), 0);
	assert_int_equal(v, LAPIC_ESR_RECV_ILLEGAL);
	lapic_set_irq(&l, 0x90, true);
	lapic_ack(&l, 0x90);
	assert_int_equal(lapic_msr_read(&l, 0x814, &v), 0);	/* ISR 0x80-0x9f */
	assert_int_equal(v, BIT(0x10));
	assert_int_equal(lapic_msr_write(&l, 0x80b, 0), 0);
	assert_int_equal(neoi, 1);
	assert_int_equal(eois[0], 0x90);
	/* 64-bit ICR: 32-bit destination, sends on write, reads back. */
	assert_int_equal(lapic_msr_write(&l, 0x830, 0x0000012300004051ULL), 0);
	assert_int_equal(nipi, 1);
	assert_int_equal(ipis[0].dest, 0x123);
	assert_int_equal(ipis[0].vector, 0x51);
	assert_true(ipis[0].x2apic);
	assert_int_equal(lapic_msr_read(&l, 0x830, &v), 0);
	assert_int_equal(v, 0x0000012300004051ULL);
	/* SELF IPI: fixed, self shorthand. */
	assert_int_equal(lapic_msr_write(&l, 0x83f, 0x44), 0);
	assert_int_equal(nipi, 2);
	assert_int_equal(ipis[1].shorthand, LAPIC_SH_SELF);
	assert_int_equal(ipis[1].vector, 0x44);
	assert_int_equal(ipis[1].delivery_mode, IRQ_DM_FIXED);
	assert_true(lapic_owns_msr(0x1b) && lapic_owns_msr(0x6e0) && lapic_owns_msr(0x8ff));
	assert_false(lapic_owns_msr(0x7ff) || lapic_owns_msr(0x900));
}

static void test_apic_base_transitions(void **state)
{
	const u64 base = LAPIC_BASE_DEFAULT | LAPIC_BASE_BSP;
	const u64 xapic = base | LAPIC_BASE_EN, x2 = xapic | LAPIC_BASE_EXTD;
	u64 v;
	u32 r;

	(void)state;
	/* Invalid state EN=0/EXTD=1 and reserved bits (0-7, 9, above MAXPHYADDR 39). */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, base | LAPIC_BASE_EXTD), -1);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic | BIT(9)), -1);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic | 1), -1);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic | BIT_ULL(39)), -1);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic | BIT_ULL(38)), 0);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic), 0);
	/* xAPIC -> x2APIC keeps state, x2APIC -> xAPIC is illegal. */
	enable_sw();
	wr(LAPIC_TPR, 0x20);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, x2), 0);
	assert_int_equal(lapic_msr_read(&l, 0x808, &v), 0);
	assert_int_equal(v, 0x20);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, xapic), -1);
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_APICBASE, &v), 0);
	assert_int_equal(v, x2);
	/* x2APIC -> disabled resets state; disabled -> x2APIC is illegal. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, base), 0);
	assert_int_equal(lapic_mmio_read(&l, LAPIC_TPR, &r), -1);
	lapic_set_irq(&l, 0x40, false);
	assert_int_equal(lapic_pending_vector(&l), -1);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, x2), -1);
	/* disabled -> xAPIC: power-up state, relocated base, BSP bit as written. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, 0xfed00800ULL), 0);
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_APICBASE, &v), 0);
	assert_int_equal(v, 0xfed00800ULL);
	assert_int_equal(rd(LAPIC_TPR), 0);
	assert_int_equal(rd(LAPIC_SVR), 0xff);
	assert_int_equal(rd(LAPIC_ID), 0x23000000);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, x2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_register_masks, setup),
		cmocka_unit_test_setup(test_reserved_and_esr, setup),
		cmocka_unit_test_setup(test_svr_software_disable, setup),
		cmocka_unit_test_setup(test_priority_and_ppr, setup),
		cmocka_unit_test_setup(test_level_eoi_callback, setup),
		cmocka_unit_test_setup(test_icr_xapic, setup),
		cmocka_unit_test_setup(test_deliver_init_sipi, setup),
		cmocka_unit_test_setup(test_dest_matching, setup),
		cmocka_unit_test_setup(test_x2apic_msrs, setup),
		cmocka_unit_test_setup(test_apic_base_transitions, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
