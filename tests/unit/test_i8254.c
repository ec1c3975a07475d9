// SPDX-License-Identifier: GPL-2.0
/* unit-sources: kmod/irq/i8254.c */
/* i8254 PIT: mode timelines on a fake clock, latch/read-back, access modes, port 0x61, IRQ 0. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "kmod/irq/i8254.h"

static struct pit pit;
static u64 now;			/* the fake clock */
static int irq_rises;		/* rising edges an edge-triggered PIC would latch */
static bool irq_level;

static u64 fake_now(void *ctx)
{
	return *(u64 *)ctx;
}

static void host_irq0(void *ctx, bool level)
{
	assert_ptr_equal(ctx, &irq_rises);
	assert_int_not_equal(level, irq_level);	/* only real transitions */
	if (level)
		irq_rises++;
	irq_level = level;
}

/* First ns at which tick d has elapsed: ceil(d * 1e9 / 1193182), independently. */
static u64 tns(u64 d)
{
	return (u64)(((unsigned __int128)d * 1000000000u + 1193181u) / 1193182u);
}

static int setup(void **state)
{
	struct irq_clock clock = { .now_ns = fake_now, .ctx = &now };

	(void)state;
	now = 5000;	/* an arbitrary origin */
	irq_rises = 0;
	irq_level = false;
	pit_init(&pit, &clock, host_irq0, &irq_rises);
	return 0;
}

static void wr(u16 port, u8 val)
{
	pit_io_write(&pit, port, val);
}

static u8 rd(u16 port)
{
	return pit_io_read(&pit, port);
}

static u16 rd16(u16 port)
{
	u8 lo = rd(port);

	return lo | rd(port) << 8;
}

/* Program channel ch: control word then a LSB/MSB count, at time t0. */
static void program(int ch, u8 ctrl, u16 count, u64 t0)
{
	now = t0;
	wr(0x43, ctrl);
	wr(0x40 + ch, count & 0xff);
	wr(0x40 + ch, count >> 8);
}

static void test_idle(void **state)
{
	(void)state;
	assert_int_equal(pit_next_event_ns(&pit), PIT_NO_EVENT);
	pit_tick(&pit, 1000000000);
	assert_int_equal(irq_rises, 0);
	assert_false(pit_output(&pit, 0, now));
	assert_false(pit_output(&pit, 3, now));
	assert_int_equal(rd(0x43), 0xff);
	assert_int_equal(rd(0x44), 0xff);
}

static void test_mode2_periodic_linux_hz100(void **state)
{
	u64 t0 = 1000, t;
	int k;

	(void)state;
	now = t0;
	wr(0x43, 0x34);		/* ch0, LSB/MSB, mode 2: OUT goes high (a real edge) */
	assert_int_equal(irq_rises, 1);
	wr(0x40, 11932 & 0xff);
	wr(0x40, 11932 >> 8);
	assert_int_equal(pit_next_event_ns(&pit), t0 + 10000151);
	pit_tick(&pit, t0 + 10000150);
	assert_int_equal(irq_rises, 1);
	pit_tick(&pit, t0 + 10000151);
	assert_int_equal(irq_rises, 2);
	assert_int_equal(pit.irq0_edges, 1);
	assert_true(irq_level);
	/* a host timer loop: exactly one edge per period, no drift */
	for (k = 2; k <= 1000; k++) {
		t = pit_next_event_ns(&pit);
		assert_int_equal(t, t0 + tns((u64)k * 11932));
		pit_tick(&pit, t);
		assert_int_equal(irq_rises, k + 1);
	}
	assert_int_equal(pit.irq0_coalesced, 0);
	/* a late host: 10 periods pass, one edge delivered, 9 counted as coalesced */
	pit_tick(&pit, t0 + tns(1010ULL * 11932) + 17);
	assert_int_equal(irq_rises, 1002);
	assert_int_equal(pit.irq0_edges, 1001);
	assert_int_equal(pit.irq0_coalesced, 9);
	assert_int_equal(pit_next_event_ns(&pit), t0 + tns(1011ULL * 11932));
	/* OUT is low only during the last tick of a period */
	assert_false(pit_output(&pit, 0, t0 + tns(1011ULL * 11932 - 1)));
	assert_true(pit_output(&pit, 0, t0 + tns(1011ULL * 11932 - 2)));
	/* counter: n - (d % n) */
	now = t0 + tns(1010ULL * 11932 + 100);
	wr(0x43, 0x00);
	assert_int_equal(rd16(0x40), 11932 - 100);
	/* a control word without a count stops the channel; a due edge still comes first */
	now = t0 + tns(1011ULL * 11932 + 5);
	wr(0x43, 0x34);
	assert_int_equal(irq_rises, 1003);
	assert_int_equal(pit.irq0_edges, 1002);
	assert_int_equal(pit_next_event_ns(&pit), PIT_NO_EVENT);
	pit_tick(&pit, t0 + tns(1020ULL * 11932));
	assert_int_equal(irq_rises, 1003);
}

static void test_mode0_one_shot(void **state)
{
	u64 t0 = 777;

	(void)state;
	program(0, 0x30, 1000, t0);
	assert_false(pit_output(&pit, 0, t0));
	assert_int_equal(pit_next_event_ns(&pit), t0 + 838096);
	now = t0 + tns(100);
	assert_int_equal(rd16(0x40), 900);
	pit_tick(&pit, t0 + tns(1000) - 1);
	assert_int_equal(irq_rises, 0);
	assert_false(irq_level);
	pit_tick(&pit, t0 + tns(1000));
	assert_int_equal(irq_rises, 1);
	assert_true(irq_level);
	assert_int_equal(pit_next_event_ns(&pit), PIT_NO_EVENT);
	/* OUT stays high, the counter wraps and keeps counting */
	pit_tick(&pit, t0 + tns(70000));
	assert_int_equal(irq_rises, 1);
	now = t0 + tns(1005);
	assert_int_equal(rd16(0x40), 65531);
	/* a new count drops OUT at the first byte and stops counting */
	now = t0 + tns(2000);
	wr(0x40, 50);
	assert_false(irq_level);
	now = t0 + tns(2100);
	assert_int_equal(rd16(0x40), (u16)(1000 - 2000));
	wr(0x40, 0);
	pit_tick(&pit, t0 + tns(2100) + tns(49));
	assert_int_equal(irq_rises, 1);
	pit_tick(&pit, t0 + tns(2100) + tns(50));
	assert_int_equal(irq_rises, 2);
}

static void test_mode3_square_wave(void **state)
{
	u64 t0 = 0;
	int d;

	(void)state;
	/* even count 10: high 5 ticks, low 5; counter steps by two */
	program(0, 0x36, 10, t0);
	for (d = 0; d < 30; d++)
		assert_int_equal(pit_output(&pit, 0, t0 + tns(d)), d % 10 < 5);
	now = tns(2);
	assert_int_equal(rd16(0x40), 6);
	now = tns(7);
	assert_int_equal(rd16(0x40), 6);
	assert_int_equal(pit_next_event_ns(&pit), tns(10));
	pit_tick(&pit, tns(10));
	pit_tick(&pit, tns(20));
	pit_tick(&pit, tns(25));	/* no edge, OUT low now */
	assert_false(irq_level);
	assert_int_equal(irq_rises, 2 + 1);	/* +1: the control word edge */
	/* odd count 11: high 6 ticks, low 5 */
	program(0, 0x36, 11, 1000000);
	for (d = 0; d < 33; d++)
		assert_int_equal(pit_output(&pit, 0, 1000000 + tns(d)), d % 11 < 6);
	/* count 0 means 65536 */
	program(0, 0x36, 0, 0);
	assert_int_equal(pit_next_event_ns(&pit), tns(65536));
	/* mode 7 is mode 3 */
	program(0, 0x3e, 10, 0);
	assert_true(pit_output(&pit, 0, tns(3)));
	assert_false(pit_output(&pit, 0, tns(5)));
	assert_int_equal(pit_next_event_ns(&pit), tns(10));
}

static void test_mode4_strobe(void **state)
{
	(void)state;
	program(0, 0x38, 5, 0);
	assert_true(irq_level);
	assert_true(pit_output(&pit, 0, tns(4)));
	assert_false(pit_output(&pit, 0, tns(5)));
	assert_true(pit_output(&pit, 0, tns(6)));
	assert_int_equal(pit_next_event_ns(&pit), tns(6));
	pit_tick(&pit, tns(5));
	assert_false(irq_level);
	assert_int_equal(pit.irq0_edges, 0);	/* OUT fell; it rises one tick later */
	assert_int_equal(irq_rises, 1);		/* the control word edge only */
	pit_tick(&pit, tns(6));
	assert_true(irq_level);
	assert_int_equal(pit_next_event_ns(&pit), PIT_NO_EVENT);
	assert_int_equal(pit.irq0_edges, 1);
}

static void test_ch2_gate_and_port61(void **state)
{
	(void)state;
	/* Linux pit_calibrate_tsc(): gate on, speaker off, ch2 mode 0 */
	now = 0;
	wr(0x61, (rd(0x61) & ~0x02) | 0x01);
	program(2, 0xb0, 300, 0);
	assert_int_equal(rd(0x61) & 0x20, 0);
	now = tns(299);
	assert_int_equal(rd(0x61) & 0x20, 0);
	now = tns(300);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	assert_int_equal(irq_rises, 0);		/* channel 2 is not IRQ 0 */
	/* gate low pauses mode 0 */
	program(2, 0xb0, 300, 0);
	now = tns(100);
	wr(0x61, 0x00);
	now = tns(5000);
	assert_int_equal(rd16(0x42), 200);
	assert_int_equal(rd(0x61) & 0x21, 0);
	wr(0x61, 0x01);
	now = tns(5000) + tns(199);
	assert_int_equal(rd(0x61) & 0x20, 0);
	now = tns(5000) + tns(200);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	/* mode 1: the gate rising edge triggers a one-shot low pulse */
	wr(0x61, 0x00);
	program(2, 0xb2, 100, tns(10000));
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	wr(0x61, 0x01);
	assert_int_equal(rd(0x61) & 0x20, 0);
	now = tns(10000) + tns(99);
	assert_int_equal(rd(0x61) & 0x20, 0);
	now = tns(10000) + tns(100);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	/* mode 2 with gate low: OUT high, no counting until the gate rises */
	wr(0x61, 0x00);
	program(2, 0xb4, 4, tns(20000));
	now = tns(20003);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	wr(0x61, 0x01);
	now = tns(20003) + tns(3);
	assert_int_equal(rd(0x61) & 0x20, 0);
	/* mode 3 running: gate low forces OUT high and stops; gate high restarts */
	program(2, 0xb6, 10, tns(30000));
	now = tns(30000) + tns(7);
	assert_int_equal(rd(0x61) & 0x20, 0);
	wr(0x61, 0x00);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	now = tns(30000) + tns(15);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	wr(0x61, 0x01);
	now = tns(30000) + tns(15) + tns(4);
	assert_int_equal(rd(0x61) & 0x20, 0x20);
	now = tns(30000) + tns(15) + tns(5);
	assert_int_equal(rd(0x61) & 0x20, 0);
	/* speaker and enable bits are stored; refresh toggles every 15.085 us */
	now = 0;
	wr(0x61, 0x0e);
	assert_int_equal(rd(0x61) & 0x1f, 0x0e);
	now = 15085;
	assert_int_equal(rd(0x61) & 0x1f, 0x1e);
	now = 2 * 15085;
	assert_int_equal(rd(0x61) & 0x10, 0);
}

static void test_latch_and_readback(void **state)
{
	(void)state;
	program(0, 0x34, 1000, 0);
	now = tns(10);
	wr(0x43, 0x00);			/* counter latch ch0 */
	now = tns(20);
	wr(0x43, 0x00);			/* ignored: latch not yet read */
	assert_int_equal(rd16(0x40), 990);
	assert_int_equal(rd16(0x40), 980);	/* live again */
	/* a half-read latch keeps its MSB */
	wr(0x43, 0x00);
	assert_int_equal(rd(0x40), 980 & 0xff);
	now = tns(600);
	assert_int_equal(rd(0x40), 980 >> 8);
	/* read-back: status of ch0 and ch2, count of ch0; status comes first */
	program(2, 0xb0, 300, tns(1000));	/* ch2 gate is low */
	now = tns(1000);
	wr(0x43, 0xc0 | 0x02 | 0x08);
	assert_int_equal(rd(0x40), 0x80 | 0x34);	/* OUT high, mode 2 LSB/MSB */
	assert_int_equal(rd16(0x40), 1000);
	assert_int_equal(rd(0x42), 0x40 | 0x30);	/* OUT low, null count (just loaded) */
	assert_int_equal(rd16(0x42), 300);		/* latched; the gate is low anyway */
	/* status only, after a tick has passed: null count is clear */
	now = tns(1001);
	wr(0x43, 0xe2);
	assert_int_equal(rd(0x40), 0x80 | 0x34);
	assert_int_equal(rd16(0x40), 999);
	/* count only */
	wr(0x43, 0xd2);
	now = tns(1100);
	assert_int_equal(rd16(0x40), 999);
	/* null count after a control word with no count yet; mode 1 waits for trigger */
	wr(0x43, 0x72);			/* ch1 mode 1 */
	wr(0x43, 0xe4);
	assert_int_equal(rd(0x41), 0x80 | 0x40 | 0x32);
	wr(0x41, 5);
	wr(0x41, 0);
	wr(0x43, 0xe4);
	assert_int_equal(rd(0x41), 0x80 | 0x40 | 0x32);
}

static void test_access_modes_and_bcd(void **state)
{
	(void)state;
	/* LSB only: one byte loads the count */
	now = 0;
	wr(0x43, 0x10);
	wr(0x40, 200);
	assert_int_equal(pit_next_event_ns(&pit), tns(200));
	now = tns(50);
	assert_int_equal(rd(0x40), 150);
	assert_int_equal(rd(0x40), 150);
	/* MSB only: count = val << 8, reads give the MSB */
	now = 0;
	wr(0x43, 0x20);
	wr(0x40, 0x02);
	assert_int_equal(pit_next_event_ns(&pit), tns(0x200));
	now = tns(0x101);
	assert_int_equal(rd(0x40), 0x00);
	wr(0x43, 0x00);			/* latch in MSB mode: one byte */
	assert_int_equal(rd(0x40), 0x00);
	now = tns(0x80);
	assert_int_equal(rd(0x40), 0x01);
	/* LSB/MSB live reads alternate */
	program(0, 0x30, 0x1234, 0);
	assert_int_equal(rd(0x40), 0x34);
	assert_int_equal(rd(0x40), 0x12);
	assert_int_equal(rd(0x40), 0x34);
	/* BCD: 1000 in BCD, counts 0999 after one tick */
	program(0, 0x31, 0x1000, 0);
	assert_int_equal(pit_next_event_ns(&pit), tns(1000));
	now = tns(1);
	assert_int_equal(rd16(0x40), 0x0999);
	now = tns(1001);
	assert_int_equal(rd16(0x40), 0x9999);	/* wrapped modulo 10000 */
	program(0, 0x35, 0x0000, 0);		/* BCD 0 = 10000 */
	assert_int_equal(pit_next_event_ns(&pit), tns(10000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_idle, setup),
		cmocka_unit_test_setup(test_mode2_periodic_linux_hz100, setup),
		cmocka_unit_test_setup(test_mode0_one_shot, setup),
		cmocka_unit_test_setup(test_mode3_square_wave, setup),
		cmocka_unit_test_setup(test_mode4_strobe, setup),
		cmocka_unit_test_setup(test_ch2_gate_and_port61, setup),
		cmocka_unit_test_setup(test_latch_and_readback, setup),
		cmocka_unit_test_setup(test_access_modes_and_bcd, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
