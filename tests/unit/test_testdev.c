// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/testdev.c tools/vmctl/platform.c tools/vmctl/ioport.c */
/* unit-sources: tools/vmctl/uart16550.c tools/vmctl/debug_exit.c tools/vmctl/fw_cfg.c */
/* unit-sources: tools/vmctl/pci.c tools/vmctl/acpi.c tools/vmctl/acpi_pm.c tools/vmctl/rtc.c */
/*
 * QEMU's pc-testdev as vmctl --testdev gives it (testdev.h): the scratch
 * register at 0xe0 and its bytewise alias at 0xe8, the flush-page no-op,
 * the IRQ line ports 0x2000 + n and the MMIO memory at 0xff000000, through
 * the platform's port bus and MMIO hook; and absent without --testdev.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/platform.h"

struct ctx {
	struct ioport_bus bus;
	struct platform plat;
	struct vmctl_stop stop;
	struct platform_config cfg;
	/* The lines the testdev drove, in order: gsi << 1 | level. */
	unsigned int lines[64];
	unsigned int nlines;
};

static void fake_tx(void *host, u8 c)
{
	(void)host;
	(void)c;
}

static int fake_rx(void *host)
{
	(void)host;
	return -1;
}

static void fake_irq_line(void *ctx, unsigned int gsi, int level)
{
	struct ctx *x = ctx;

	assert_true(level == 0 || level == 1);
	assert_true(x->nlines < 64);
	x->lines[x->nlines++] = gsi << 1 | level;
}

static struct ctx *make(bool testdev)
{
	struct ctx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->cfg = (struct platform_config){
		.ram_size = 128 << 20, .nr_cpus = 1, .stop = &x->stop,
		.uart_tx = fake_tx, .uart_rx_poll = fake_rx, .uart_host = x,
		.testdev = testdev, .irq_line = fake_irq_line, .irq_line_ctx = x,
	};
	ioport_bus_init(&x->bus, NULL);
	assert_int_equal(platform_init(&x->plat, &x->bus, &x->cfg, stderr), 0);
	return x;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static u32 in(struct ctx *x, u16 port, u8 size)
{
	return ioport_in(&x->bus, port, size);
}

static void out(struct ctx *x, u16 port, u8 size, u32 val)
{
	ioport_out(&x->bus, port, size, val);
}

static void test_absent_without_option(void **state)
{
	struct ctx *x = make(false);
	u8 data[4] = { 1, 2, 3, 4 };

	*state = x;
	assert_int_equal(x->bus.nr_devs, 6);
	assert_true(in(x, 0xe0, 4) == 0xffffffff);	/* unclaimed: all ones */
	out(x, 0x2004, 1, 1);
	assert_int_equal(x->nlines, 0);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE, false, 4, data), 1);
}

static void test_scratch_register(void **state)
{
	struct ctx *x = make(true);

	*state = x;
	assert_int_equal(x->bus.nr_devs, 8);
	assert_true(in(x, 0xe0, 4) == 0);
	out(x, 0xe0, 4, 0x12345678);
	assert_true(in(x, 0xe0, 4) == 0x12345678);
	assert_true(in(x, 0xe0, 1) == 0x78);
	assert_true(in(x, 0xe1, 1) == 0x56);
	assert_true(in(x, 0xe2, 2) == 0x1234);
	assert_true(in(x, 0xe1, 2) == 0x3456);
	assert_true(in(x, 0xe3, 4) == 0x12);		/* bytes past 0xe3 are not it */
	out(x, 0xe1, 1, 0xab);
	assert_true(in(x, 0xe0, 4) == 0x1234ab78);
	out(x, 0xe2, 2, 0xcdef);
	assert_true(in(x, 0xe0, 4) == 0xcdefab78);
	/* 0xe8-0xeb is the same register, byte by byte */
	assert_true(in(x, 0xe8, 4) == 0xcdefab78);
	assert_true(in(x, 0xea, 2) == 0xcdef);
	out(x, 0xe8, 2, 0x1122);
	assert_true(in(x, 0xe0, 4) == 0xcdef1122);
	out(x, 0xe8, 4, 0xdeadbeef);
	assert_true(in(x, 0xe0, 4) == 0xdeadbeef);
}

static void test_flush_page(void **state)
{
	struct ctx *x = make(true);

	*state = x;
	out(x, 0xe0, 4, 0x55aa55aa);
	out(x, 0xe4, 4, 0x00123000);		/* a page address: harmless */
	assert_true(in(x, 0xe4, 4) == 0);
	assert_true(in(x, 0xe0, 4) == 0x55aa55aa);
	assert_int_equal(x->nlines, 0);
}

static void test_irq_lines(void **state)
{
	struct ctx *x = make(true);

	*state = x;
	out(x, 0x2000 + 14, 1, 1);
	out(x, 0x2000 + 14, 1, 0);
	out(x, 0x2000 + 15, 1, 0x80);		/* any nonzero byte raises */
	out(x, 0x2000 + 23, 1, 1);
	out(x, 0x2000 + 0, 1, 1);
	out(x, 0x2000 + 4, 4, 1);		/* only byte writes, as QEMU */
	out(x, 0x2000 + 4, 2, 1);
	assert_int_equal(x->nlines, 5);
	assert_int_equal(x->lines[0], 14 << 1 | 1);
	assert_int_equal(x->lines[1], 14 << 1 | 0);
	assert_int_equal(x->lines[2], 15 << 1 | 1);
	assert_int_equal(x->lines[3], 23 << 1 | 1);
	assert_int_equal(x->lines[4], 0 << 1 | 1);
	assert_true(in(x, 0x2000 + 14, 1) == 0);
	/* 0x2018 is past the 24 lines */
	out(x, 0x2018, 1, 1);
	assert_int_equal(x->nlines, 5);
}

static void test_mmio(void **state)
{
	struct ctx *x = make(true);
	u8 d[8];

	*state = x;
	memcpy(d, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x100, true, 8, d), 0);
	memset(d, 0, 8);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x102, false, 2, d), 0);
	assert_memory_equal(d, "\x33\x44", 2);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x100, false, 8, d), 0);
	assert_memory_equal(d, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	d[0] = 0x99;
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x104, true, 1, d), 0);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x100, false, 8, d), 0);
	assert_memory_equal(d, "\x11\x22\x33\x44\x99\x66\x77\x88", 8);
	/* the last bytes; an access running past the end reads 0 there */
	memset(d, 0xee, 8);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0xfffc, true, 4, d), 0);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0xfffc, false, 8, d), 0);
	assert_memory_equal(d, "\xee\xee\xee\xee\0\0\0\0", 8);
	/* outside the 64 KiB */
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE + 0x10000, false, 4, d), 1);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE - 4, false, 4, d), 1);
	assert_int_equal(platform_mmio(&x->plat, 0xfee00000, false, 4, d), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_absent_without_option, teardown),
		cmocka_unit_test_teardown(test_scratch_register, teardown),
		cmocka_unit_test_teardown(test_flush_page, teardown),
		cmocka_unit_test_teardown(test_irq_lines, teardown),
		cmocka_unit_test_teardown(test_mmio, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
