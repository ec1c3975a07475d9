// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/irq/lapic.c kmod/irq/lapic_timer.c kmod/irq/lapic_ipi.c */
/*
 * LAPIC timer (kmod/irq/lapic_timer.c, SDM vol 3A 11.5.4) with a fake clock: one-shot,
 * periodic, all 8 divide encodings, current count, masking, TSC-deadline via
 * IA32_TSC_DEADLINE, mode switches, the x2APIC view of the timer registers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lapic_ctx.h"

static u64 tsc;

static u64 fake_tsc(void *ctx)
{
	(void)ctx;
	return tsc;
}

static void make(u32 bus_cycle_ns, u32 tsc_khz, bool with_tsc_cb)
{
	struct lapic_config cfg = {
		.apic_id = 0, .bsp = true, .bus_cycle_ns = bus_cycle_ns, .tsc_khz = tsc_khz,
		.clock = { .now_ns = fake_now },
		.read_tsc = with_tsc_cb ? fake_tsc : NULL,
	};

	lapic_init(&l, &cfg);
	l.svr |= LAPIC_SVR_ENABLE;
}

static int setup(void **state)
{
	(void)state;
	now = 1000;
	tsc = 0;
	make(0, 0, false);
	return 0;
}

static void test_oneshot(void **state)
{
	(void)state;
	wr(LAPIC_TDCR, 0xb);		/* divide by 1: one count per ns */
	wr(LAPIC_LVT_TIMER, 0x30);
	wr(LAPIC_TMICT, 500);
	assert_int_equal(lapic_next_deadline_ns(&l), 1500);
	assert_int_equal(rd(LAPIC_TMCCT), 500);
	now = 1200;
	assert_int_equal(rd(LAPIC_TMCCT), 300);
	assert_int_equal(rd(LAPIC_TMICT), 500);
	lapic_timer_expired(&l, 1499);	/* early host timer: nothing happens */
	assert_int_equal(lapic_pending_vector(&l), -1);
	assert_int_equal(lapic_next_deadline_ns(&l), 1500);
	now = 1500;
	assert_int_equal(rd(LAPIC_TMCCT), 0);
	lapic_timer_expired(&l, 1500);
	assert_int_equal(lapic_pending_vector(&l), 0x30);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	lapic_ack(&l, 0x30);
	wr(LAPIC_EOI, 0);
	lapic_timer_expired(&l, 5000);	/* one-shot fires once */
	assert_int_equal(lapic_pending_vector(&l), -1);
	/* Re-arm, then stop with initial count 0. */
	wr(LAPIC_TMICT, 10);
	assert_int_equal(lapic_next_deadline_ns(&l), 1510);
	wr(LAPIC_TMICT, 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	assert_int_equal(rd(LAPIC_TMCCT), 0);
}

static void test_divide_encodings(void **state)
{
	static const struct { u32 tdcr, div; } enc[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};
	unsigned int i;

	(void)state;
	make(3, 0, false);		/* 3 ns bus cycle */
	wr(LAPIC_LVT_TIMER, 0x30);
	for (i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		now = 1000;
		wr(LAPIC_TDCR, enc[i].tdcr);
		wr(LAPIC_TMICT, 100);
		assert_int_equal(lapic_next_deadline_ns(&l), 1000 + 100 * 3 * enc[i].div);
		/* Elapsed ticks are whole: 7 ticks and a bit = count 93. */
		now = 1000 + 7 * 3 * enc[i].div + 1;
		assert_int_equal(rd(LAPIC_TMCCT), 93);
	}
}

static void test_periodic(void **state)
{
	(void)state;
	wr(LAPIC_TDCR, 0);		/* divide by 2 */
	wr(LAPIC_LVT_TIMER, (LAPIC_TIMER_PERIODIC << LAPIC_LVT_TIMER_SHIFT) | 0x40);
	assert_int_equal(rd(LAPIC_LVT_TIMER), 0x20040);
	wr(LAPIC_TMICT, 100);		/* period 200 ns */
	assert_int_equal(lapic_next_deadline_ns(&l), 1200);
	lapic_timer_expired(&l, 1200);
	assert_int_equal(lapic_pending_vector(&l), 0x40);
	assert_int_equal(lapic_next_deadline_ns(&l), 1400);
	now = 1250;
	assert_int_equal(rd(LAPIC_TMCCT), 75);
	/* Host late by several periods: one interrupt, next deadline on the period grid. */
	lapic_ack(&l, 0x40);
	wr(LAPIC_EOI, 0);
	now = 2050;
	assert_int_equal(rd(LAPIC_TMCCT), 75);	/* reload already happened at 2000 */
	lapic_timer_expired(&l, 2050);
	assert_int_equal(lapic_pending_vector(&l), 0x40);
	assert_int_equal(lapic_next_deadline_ns(&l), 2200);
	assert_int_equal(rd(LAPIC_TMCCT), 75);
	/* Periodic -> one-shot: the running count finishes, then the timer stops. */
	wr(LAPIC_LVT_TIMER, 0x40);
	assert_int_equal(lapic_next_deadline_ns(&l), 2200);
	lapic_timer_expired(&l, 2200);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
}

static void test_masked_timer_counts(void **state)
{
	(void)state;
	wr(LAPIC_TDCR, 0xb);
	wr(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | 0x30);
	wr(LAPIC_TMICT, 50);
	now = 1020;
	assert_int_equal(rd(LAPIC_TMCCT), 30);
	lapic_timer_expired(&l, 1050);
	assert_int_equal(lapic_pending_vector(&l), -1);
	assert_int_equal(rd(LAPIC_IRR + 0x10), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
}

static void test_divide_change_mid_count(void **state)
{
	(void)state;
	wr(LAPIC_TDCR, 0xb);
	wr(LAPIC_LVT_TIMER, 0x30);
	wr(LAPIC_TMICT, 1000);
	now = 1400;			/* 600 counts left */
	wr(LAPIC_TDCR, 0x1);		/* divide by 4 from here */
	assert_int_equal(rd(LAPIC_TMCCT), 600);
	assert_int_equal(rd(LAPIC_TDCR), 1);
	assert_int_equal(lapic_next_deadline_ns(&l), 1400 + 600 * 4);
	now = 1400 + 40;
	assert_int_equal(rd(LAPIC_TMCCT), 590);
}

static void test_tsc_deadline(void **state)
{
	u64 v;

	(void)state;
	make(0, 2000000, true);		/* 2 GHz guest TSC: 2 cycles per ns */
	tsc = 1000000;
	wr(LAPIC_LVT_TIMER, (LAPIC_TIMER_TSC_DEADLINE << LAPIC_LVT_TIMER_SHIFT) | 0x50);
	assert_int_equal(rd(LAPIC_LVT_TIMER), 0x40050);
	wr(LAPIC_TMICT, 100);		/* ignored in TSC-deadline mode */
	assert_int_equal(rd(LAPIC_TMICT), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 1002001), 0);
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_TSC_DEADLINE, &v), 0);
	assert_int_equal(v, 1002001);
	/* 2001 cycles = 1000.5 ns: rounded up so it never fires early. */
	assert_int_equal(lapic_next_deadline_ns(&l), 1000 + 1001);
	assert_int_equal(rd(LAPIC_TMCCT), 0);
	lapic_timer_expired(&l, 2000);
	assert_int_equal(lapic_pending_vector(&l), -1);
	lapic_timer_expired(&l, 2001);
	assert_int_equal(lapic_pending_vector(&l), 0x50);
	/* Firing disarms and clears the MSR. */
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_TSC_DEADLINE, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	lapic_ack(&l, 0x50);
	wr(LAPIC_EOI, 0);
	/* A deadline in the past fires immediately; 0 disarms. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 5), 0);
	assert_int_equal(lapic_pending_vector(&l), 0x50);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	lapic_ack(&l, 0x50);
	wr(LAPIC_EOI, 0);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 2000000), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 1000 + 500000);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 0), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	/* Leaving TSC-deadline mode disarms; then the MSR reads 0 and ignores writes. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 2000000), 0);
	wr(LAPIC_LVT_TIMER, 0x50);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	assert_int_equal(lapic_msr_read(&l, LAPIC_MSR_TSC_DEADLINE, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 3000000), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	/* Entering TSC-deadline mode stops a running one-shot count. */
	wr(LAPIC_TMICT, 100);
	assert_int_equal(lapic_next_deadline_ns(&l), 1200);
	wr(LAPIC_LVT_TIMER, (LAPIC_TIMER_TSC_DEADLINE << LAPIC_LVT_TIMER_SHIFT) | 0x50);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	assert_int_equal(rd(LAPIC_TMICT), 0);
	/* Mode 3 is reserved: it stops the count and arms nothing. */
	wr(LAPIC_LVT_TIMER, 0x50);
	wr(LAPIC_TMICT, 100);
	wr(LAPIC_LVT_TIMER, (3 << LAPIC_LVT_TIMER_SHIFT) | 0x50);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	wr(LAPIC_TMICT, 100);
	assert_int_equal(lapic_next_deadline_ns(&l), 0);
	assert_int_equal(rd(LAPIC_TMCCT), 0);
}

static void test_tsc_from_clock(void **state)
{
	(void)state;
	/* No TSC callback: guest TSC = now_ns * tsc_khz / 10^6 (1.5 GHz here). */
	make(0, 1500000, false);
	now = 2000;			/* TSC 3000 */
	wr(LAPIC_LVT_TIMER, (LAPIC_TIMER_TSC_DEADLINE << LAPIC_LVT_TIMER_SHIFT) | 0x50);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 4500), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 3000);
	/* Huge deadlines saturate instead of wrapping. */
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, ~0ULL), 0);
	assert_true(lapic_next_deadline_ns(&l) > 1000000000000000000ULL);
	/* ... and stay a valid hrtimer expiry: never negative as a ktime_t. */
	assert_true(lapic_next_deadline_ns(&l) <= (u64)INT64_MAX);
	assert_true((int64_t)lapic_next_deadline_ns(&l) > 0);
	/* A slow TSC makes the same deadline even farther away in ns. */
	make(0, 1, false);
	wr(LAPIC_LVT_TIMER, (LAPIC_TIMER_TSC_DEADLINE << LAPIC_LVT_TIMER_SHIFT) | 0x50);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, ~0ULL), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), INT64_MAX);
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_TSC_DEADLINE, 1ULL << 62), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), INT64_MAX);
	/* The model itself does not fire early. */
	lapic_timer_expired(&l, INT64_MAX - 1);
	assert_int_equal(lapic_pending_vector(&l), -1);
}

static void test_x2apic_timer_msrs(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(lapic_msr_write(&l, LAPIC_MSR_APICBASE, LAPIC_BASE_DEFAULT |
					 LAPIC_BASE_EN | LAPIC_BASE_EXTD | LAPIC_BASE_BSP), 0);
	assert_int_equal(lapic_msr_write(&l, 0x83e, 0x3), 0);	/* divide by 16 */
	assert_int_equal(lapic_msr_write(&l, 0x832, 0x30), 0);
	assert_int_equal(lapic_msr_write(&l, 0x838, 10), 0);
	assert_int_equal(lapic_next_deadline_ns(&l), 1000 + 160);
	now = 1000 + 33;
	assert_int_equal(lapic_msr_read(&l, 0x839, &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(lapic_msr_read(&l, 0x838, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(lapic_msr_read(&l, 0x83e, &v), 0);
	assert_int_equal(v, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_oneshot, setup),
		cmocka_unit_test_setup(test_divide_encodings, setup),
		cmocka_unit_test_setup(test_periodic, setup),
		cmocka_unit_test_setup(test_masked_timer_counts, setup),
		cmocka_unit_test_setup(test_divide_change_mid_count, setup),
		cmocka_unit_test_setup(test_tsc_deadline, setup),
		cmocka_unit_test_setup(test_tsc_from_clock, setup),
		cmocka_unit_test_setup(test_x2apic_timer_msrs, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
