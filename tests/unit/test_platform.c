// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/platform.c tools/vmctl/ioport.c tools/vmctl/uart16550.c */
/* unit-sources: tools/vmctl/testdev.c */
/* unit-sources: tools/vmctl/debug_exit.c tools/vmctl/fw_cfg.c tools/vmctl/pci.c */
/* unit-sources: tools/vmctl/acpi.c tools/vmctl/acpi_pm.c tools/vmctl/rtc.c */
/*
 * The PC platform through the port I/O bus, as a guest sees it: the
 * device list registers every device, and fw_cfg, PCI configuration
 * mechanism #1, the CMOS RTC, the debug exit port and the table writer
 * behave as documented; and QEMU's pc-testdev as vmctl --testdev gives it
 * (testdev.h): the scratch register at 0xe0 and its bytewise alias at 0xe8,
 * the flush-page no-op, the IRQ line ports 0x2000 + n and the MMIO memory at
 * 0xff000000, through the port bus and the MMIO hook; absent without it.
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
	char tx[64];
	unsigned int ntx;
	time_t now;
	/* The lines the testdev drove, in order: gsi << 1 | level. */
	unsigned int lines[64];
	unsigned int nlines;
};

static void fake_tx(void *host, u8 c)
{
	struct ctx *x = host;

	if (x->ntx < sizeof(x->tx) - 1)
		x->tx[x->ntx++] = c;
}

static int fake_rx(void *host)
{
	(void)host;
	return -1;
}

static time_t fake_now(void *ctx)
{
	return ((struct ctx *)ctx)->now;
}

static void fake_irq_line(void *ctx, unsigned int gsi, int level)
{
	struct ctx *x = ctx;

	assert_true(level == 0 || level == 1);
	assert_true(x->nlines < 64);
	x->lines[x->nlines++] = gsi << 1 | level;
}

static struct ctx *make_with(u64 ram, unsigned int cpus, bool testdev)
{
	struct ctx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->cfg = (struct platform_config){
		.ram_size = ram, .nr_cpus = cpus, .stop = &x->stop,
		.uart_tx = fake_tx, .uart_rx_poll = fake_rx, .uart_host = x,
		.rtc_now = fake_now, .clock_ctx = x,
		.testdev = testdev, .irq_line = fake_irq_line, .irq_line_ctx = x,
	};
	x->now = 1700000000;	/* 2023-11-14 22:13:20 UTC, a Tuesday */
	ioport_bus_init(&x->bus, NULL);
	assert_int_equal(platform_init(&x->plat, &x->bus, &x->cfg, stderr), 0);
	return x;
}

static struct ctx *make(u64 ram, unsigned int cpus)
{
	return make_with(ram, cpus, false);
}

static struct ctx *make_testdev(bool testdev)
{
	return make_with(128 << 20, 1, testdev);
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

/* ---- device list ---- */

static void test_device_list(void **state)
{
	struct ctx *x = make(64 << 20, 1);
	static const u16 claimed[] = { 0x70, 0x71, 0xf4, 0x3f8, 0x3ff, 0x510, 0x511, 0x600,
				       0x608, 0x60b, 0xcf8, 0xcfc, 0xcff };
	unsigned int i;

	*state = x;
	assert_int_equal(x->bus.nr_devs, 10);
	for (i = 0; i < sizeof(claimed) / sizeof(claimed[0]); i++) {
		unsigned int j;
		bool found = false;

		for (j = 0; j < x->bus.nr_devs; j++)
			if (claimed[i] >= x->bus.devs[j].base &&
			    claimed[i] < x->bus.devs[j].base + x->bus.devs[j].len)
				found = true;
		assert_true(found);
	}
	/* ports Linux pokes on every boot: all ones, and no "unclaimed" report */
	assert_true(in(x, 0x80, 1) == 0xff && in(x, 0x2f9, 1) == 0xff);
	assert_true(in(x, 0x3ed, 1) == 0xff && in(x, 0x2ef, 1) == 0xff);
	out(x, 0x80, 1, 0x55);
	assert_int_equal(x->bus.nr_unclaimed, 0);
	/* COM1 and the debug exit port work through the list too */
	out(x, 0x3f8, 1, 'A');
	assert_string_equal(x->tx, "A");
	out(x, 0xf4, 1, 3);
	assert_true(x->stop.requested && x->stop.code == 7);
	/* a second registration of the same ports fails cleanly */
	{
		struct platform p2;
		FILE *null = fopen("/dev/null", "w");

		assert_int_equal(platform_init(&p2, &x->bus, &x->cfg, null), -EEXIST);
		fclose(null);
	}
}

static void test_bad_cpus(void **state)
{
	struct platform_config cfg = { .ram_size = 64 << 20, .nr_cpus = 17 };
	struct ioport_bus bus;
	struct platform *p = malloc(sizeof(*p));
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	ioport_bus_init(&bus, NULL);
	assert_int_equal(platform_init(p, &bus, &cfg, null), -EINVAL);
	cfg.nr_cpus = 0;
	assert_int_equal(platform_init(p, &bus, &cfg, null), -EINVAL);
	assert_int_equal(bus.nr_devs, 0);
	fclose(null);
	free(p);
}

/* ---- fw_cfg ---- */

static void fw_select(struct ctx *x, u16 key)
{
	out(x, FW_CFG_PORT_SEL, 2, key);
}

static u64 fw_read(struct ctx *x, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)in(x, FW_CFG_PORT_DATA, 1) << (8 * i);
	return v;
}

static void test_fw_cfg(void **state)
{
	struct ctx *x = make(96ULL << 20, 3);
	char sig[5] = { 0 };
	unsigned int i;

	*state = x;
	fw_select(x, FW_CFG_SIGNATURE);
	for (i = 0; i < 4; i++)
		sig[i] = in(x, FW_CFG_PORT_DATA, 1);
	assert_string_equal(sig, "QEMU");
	assert_int_equal(fw_read(x, 1), 0);		/* past the end: zeros */
	fw_select(x, FW_CFG_NB_CPUS);
	assert_int_equal(fw_read(x, 2), 3);
	fw_select(x, FW_CFG_RAM_SIZE);
	assert_true(fw_read(x, 8) == 96ULL << 20);
	/* the selector write rewinds */
	fw_select(x, FW_CFG_RAM_SIZE);
	assert_int_equal(fw_read(x, 1), 0);
	fw_select(x, FW_CFG_RAM_SIZE);
	fw_read(x, 3);
	fw_select(x, FW_CFG_RAM_SIZE);
	assert_true(fw_read(x, 4) == 96ULL << 20);
	fw_select(x, FW_CFG_ID);
	assert_int_equal(fw_read(x, 4), 1);
	fw_select(x, 0x1234);				/* unknown key */
	assert_true(fw_read(x, 8) == 0);
	/* a wide read of the data port returns consecutive bytes */
	fw_select(x, FW_CFG_SIGNATURE);
	assert_int_equal(in(x, FW_CFG_PORT_DATA, 2), 'Q' | 'E' << 8);
}

static void test_fw_cfg_big_ram(void **state)
{
	struct ctx *x = make(6ULL << 30, 16);

	*state = x;
	fw_select(x, FW_CFG_RAM_SIZE);
	assert_true(fw_read(x, 8) == 6ULL << 30);
	fw_select(x, FW_CFG_NB_CPUS);
	assert_int_equal(fw_read(x, 2), 16);
}

/* ---- PCI ---- */

static u32 cfg_addr(u8 bus, u8 dev, u8 fn, u8 reg)
{
	return PCI_CONFIG_ENABLE | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc);
}

static void test_pci_host_bridge(void **state)
{
	struct ctx *x = make(64 << 20, 1);

	*state = x;
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0));
	assert_int_equal(in(x, 0xcf8, 4), cfg_addr(0, 0, 0, 0));
	assert_int_equal(in(x, 0xcfc, 4), 0x12378086);
	assert_int_equal(in(x, 0xcfc, 2), 0x8086);
	assert_int_equal(in(x, 0xcfe, 2), 0x1237);
	assert_int_equal(in(x, 0xcfd, 1), 0x80);
	assert_int_equal(in(x, 0xcff, 1), 0x12);
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0x08));
	assert_int_equal(in(x, 0xcfc, 4) >> 8, 0x060000);	/* class code */
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0x0c));
	assert_int_equal(in(x, 0xcfe, 1), 0);			/* header type 0 */
	/* vendor ID is read-only; the command register takes writes */
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0));
	out(x, 0xcfc, 2, 0xffff);
	assert_int_equal(in(x, 0xcfc, 2), 0x8086);
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 4));
	out(x, 0xcfc, 2, 0x0002);
	assert_int_equal(in(x, 0xcfc, 2), 0x0002);
	/* unaligned data access: no such access, all ones */
	assert_int_equal(in(x, 0xcfd, 2), 0xffff);
}

static void test_pci_empty(void **state)
{
	struct ctx *x = make(64 << 20, 1);

	*state = x;
	out(x, 0xcf8, 4, cfg_addr(0, 1, 0, 0));
	assert_int_equal(in(x, 0xcfc, 4), 0xffffffff);
	out(x, 0xcf8, 4, cfg_addr(0, 31, 0, 0));
	assert_int_equal(in(x, 0xcfc, 2), 0xffff);
	out(x, 0xcf8, 4, cfg_addr(0, 0, 1, 0));		/* single function */
	assert_int_equal(in(x, 0xcfc, 4), 0xffffffff);
	out(x, 0xcf8, 4, cfg_addr(1, 0, 0, 0));		/* no bus 1 */
	assert_int_equal(in(x, 0xcfc, 4), 0xffffffff);
	/* enable bit clear: no configuration cycle */
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0) & ~PCI_CONFIG_ENABLE);
	assert_int_equal(in(x, 0xcfc, 4), 0xffffffff);
	assert_int_equal(in(x, 0xcfc, 1), 0xff);
	/* byte access to 0xcf8-0xcfb is not CONFIG_ADDRESS */
	out(x, 0xcf8, 4, cfg_addr(0, 0, 0, 0));
	out(x, 0xcf8, 1, 0);
	assert_int_equal(in(x, 0xcf8, 4), cfg_addr(0, 0, 0, 0));
	assert_int_equal(in(x, 0xcf9, 1), 0xff);
	/* reserved address bits read back as zero */
	out(x, 0xcf8, 4, 0xffffffff);
	assert_int_equal(in(x, 0xcf8, 4), 0x80fffffc);
}

/* ---- RTC ---- */

static u8 cmos(struct ctx *x, u8 reg)
{
	out(x, RTC_PORT_INDEX, 1, reg);
	return in(x, RTC_PORT_DATA, 1);
}

static void cmos_write(struct ctx *x, u8 reg, u8 val)
{
	out(x, RTC_PORT_INDEX, 1, reg);
	out(x, RTC_PORT_DATA, 1, val);
}

static void test_rtc_time(void **state)
{
	struct ctx *x = make(64 << 20, 1);

	*state = x;
	/* 2023-11-14 22:13:20 UTC, BCD, 24h by default */
	assert_int_equal(cmos(x, RTC_SECONDS), 0x20);
	assert_int_equal(cmos(x, RTC_MINUTES), 0x13);
	assert_int_equal(cmos(x, RTC_HOURS), 0x22);
	assert_int_equal(cmos(x, RTC_DAY_OF_WEEK), 3);		/* Tuesday */
	assert_int_equal(cmos(x, RTC_DAY_OF_MONTH), 0x14);
	assert_int_equal(cmos(x, RTC_MONTH), 0x11);
	assert_int_equal(cmos(x, RTC_YEAR), 0x23);
	assert_int_equal(cmos(x, RTC_CENTURY), 0x20);
	/* the clock follows the host */
	x->now += 61;
	assert_int_equal(cmos(x, RTC_SECONDS), 0x21);
	assert_int_equal(cmos(x, RTC_MINUTES), 0x14);
	/* binary mode (status B bit 2) */
	cmos_write(x, RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	assert_int_equal(cmos(x, RTC_REG_B), RTC_B_24H | RTC_B_DM_BINARY);
	assert_int_equal(cmos(x, RTC_MINUTES), 14);
	assert_int_equal(cmos(x, RTC_YEAR), 23);
	assert_int_equal(cmos(x, RTC_HOURS), 22);
	/* 12-hour mode: 22h is 10 PM (bit 7); binary and BCD */
	cmos_write(x, RTC_REG_B, RTC_B_DM_BINARY);
	assert_int_equal(cmos(x, RTC_HOURS), 0x80 | 10);
	cmos_write(x, RTC_REG_B, 0);
	assert_int_equal(cmos(x, RTC_HOURS), 0x80 | 0x10);
	x->now = 1700000000 - 22 * 3600;			/* 00:13: 12 AM */
	assert_int_equal(cmos(x, RTC_HOURS), 0x12);
	/* time writes do not stick: the host clock rules */
	cmos_write(x, RTC_YEAR, 0x99);
	assert_int_equal(cmos(x, RTC_YEAR), 0x23);
}

static void test_rtc_status(void **state)
{
	struct ctx *x = make(64 << 20, 1);

	*state = x;
	assert_int_equal(cmos(x, RTC_REG_A) & RTC_A_UIP, 0);
	cmos_write(x, RTC_REG_A, 0xa6);				/* UIP is read-only */
	assert_int_equal(cmos(x, RTC_REG_A), 0x26);
	assert_true(cmos(x, RTC_REG_B) & RTC_B_24H);
	assert_int_equal(cmos(x, RTC_REG_C), 0);
	assert_int_equal(cmos(x, RTC_REG_D), RTC_D_VRT);
	cmos_write(x, RTC_REG_D, 0);
	assert_int_equal(cmos(x, RTC_REG_D), RTC_D_VRT);
	/* bit 7 of the index is the NMI mask, not part of the index */
	out(x, RTC_PORT_INDEX, 1, 0x80 | RTC_REG_D);
	assert_int_equal(in(x, RTC_PORT_DATA, 1), RTC_D_VRT);
	/* NVRAM bytes keep what is written */
	cmos_write(x, 0x40, 0x5a);
	cmos_write(x, 0x7f, 0xa5);
	assert_int_equal(cmos(x, 0x40), 0x5a);
	assert_int_equal(cmos(x, 0x80 | 0x7f), 0xa5);
}

static u32 cmos16(struct ctx *x, u8 reg)
{
	return cmos(x, reg) | cmos(x, reg + 1) << 8;
}

static void test_rtc_memory(void **state)
{
	struct ctx *x = make(64 << 20, 1);

	*state = x;
	assert_int_equal(cmos16(x, RTC_BASE_MEM_LO), 640);
	assert_int_equal(cmos16(x, RTC_EXT_MEM_LO), 63 * 1024);
	assert_int_equal(cmos16(x, RTC_EXT_MEM2_LO), 63 * 1024);
	assert_int_equal(cmos16(x, RTC_MEM_16M_LO), (48 << 20) >> 16);
	assert_int_equal(cmos(x, RTC_MEM_4G_LO), 0);
	free(x);
	/*
	 * Big RAM: the KiB fields saturate; 64 KiB units from 16 MiB up to the
	 * APIC window at 0xfec00000, and above 4 GiB.
	 */
	x = make(6ULL << 30, 1);
	*state = x;
	assert_int_equal(cmos16(x, RTC_EXT_MEM_LO), 0xffff);
	assert_int_equal(cmos16(x, RTC_MEM_16M_LO), (0xfec00000 - (16 << 20)) >> 16);
	assert_int_equal(cmos(x, RTC_MEM_4G_LO) | cmos(x, RTC_MEM_4G_LO + 1) << 8 |
			 cmos(x, RTC_MEM_4G_LO + 2) << 16, (2ULL << 30) >> 16);
}

/* ---- firmware tables ---- */

static void test_write_tables(void **state)
{
	u64 ram_size = 2 << 20;
	u8 *ram = calloc(1, ram_size);

	(void)state;
	assert_int_equal(platform_write_tables(ram, ram_size, 2, 0x100000, 0x200000), 1);
	assert_memory_equal(ram + ACPI_RSDP_ADDR, "RSD PTR ", 8);
	memset(ram, 0, ram_size);
	/* an image owning the BIOS area keeps it */
	assert_int_equal(platform_write_tables(ram, ram_size, 2, 0x80000, 0xe0001), 0);
	assert_int_equal(platform_write_tables(ram, ram_size, 2, 0xfffff, 0x100010), 0);
	assert_int_equal(ram[ACPI_RSDP_ADDR], 0);
	assert_int_equal(platform_write_tables(ram, ram_size, 2, 0x7c00, 0x7e00), 1);
	assert_int_equal(platform_write_tables(ram, 0xe0000, 2, 0x7c00, 0x7e00), 0);
	assert_int_equal(platform_write_tables(ram, ram_size, 0, 0x7c00, 0x7e00), -EINVAL);
	free(ram);
}

/* ---- --testdev (QEMU's pc-testdev) ---- */

static void test_absent_without_option(void **state)
{
	struct ctx *x = make_testdev(false);
	u8 data[4] = { 1, 2, 3, 4 };

	*state = x;
	assert_int_equal(x->bus.nr_devs, 10);
	assert_true(in(x, 0xe0, 4) == 0xffffffff);	/* unclaimed: all ones */
	out(x, 0x2004, 1, 1);
	assert_int_equal(x->nlines, 0);
	assert_int_equal(platform_mmio(&x->plat, TESTDEV_MMIO_BASE, false, 4, data), 1);
}

static void test_scratch_register(void **state)
{
	struct ctx *x = make_testdev(true);

	*state = x;
	assert_int_equal(x->bus.nr_devs, 12);
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
	struct ctx *x = make_testdev(true);

	*state = x;
	out(x, 0xe0, 4, 0x55aa55aa);
	out(x, 0xe4, 4, 0x00123000);		/* a page address: harmless */
	assert_true(in(x, 0xe4, 4) == 0);
	assert_true(in(x, 0xe0, 4) == 0x55aa55aa);
	assert_int_equal(x->nlines, 0);
}

static void test_irq_lines(void **state)
{
	struct ctx *x = make_testdev(true);

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
	struct ctx *x = make_testdev(true);
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
		cmocka_unit_test_teardown(test_device_list, teardown),
		cmocka_unit_test(test_bad_cpus),
		cmocka_unit_test_teardown(test_fw_cfg, teardown),
		cmocka_unit_test_teardown(test_fw_cfg_big_ram, teardown),
		cmocka_unit_test_teardown(test_pci_host_bridge, teardown),
		cmocka_unit_test_teardown(test_pci_empty, teardown),
		cmocka_unit_test_teardown(test_rtc_time, teardown),
		cmocka_unit_test_teardown(test_rtc_status, teardown),
		cmocka_unit_test_teardown(test_rtc_memory, teardown),
		cmocka_unit_test(test_write_tables),
		cmocka_unit_test_teardown(test_absent_without_option, teardown),
		cmocka_unit_test_teardown(test_scratch_register, teardown),
		cmocka_unit_test_teardown(test_flush_page, teardown),
		cmocka_unit_test_teardown(test_irq_lines, teardown),
		cmocka_unit_test_teardown(test_mmio, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
