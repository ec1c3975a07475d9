// SPDX-License-Identifier: GPL-2.0
/* unit-sources: tools/vmctl/acpi.c tools/vmctl/acpi_pm.c */
/*
 * ACPI tables as a guest OS finds them: RSDP in the BIOS area, every
 * checksum, the RSDP -> RSDT/XSDT -> FADT/MADT chain, MADT entries per
 * vCPU, FADT fixed-hardware fields; and the PM1 block / PM timer device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tools/vmctl/acpi.h"

#define RAM_SIZE	(2ULL << 20)

static u8 *ram;

static int setup(void **state)
{
	(void)state;
	ram = malloc(RAM_SIZE);
	memset(ram, 0xaa, RAM_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

static u32 get32(u64 gpa)
{
	u32 v;

	memcpy(&v, ram + gpa, 4);
	return v;
}

static u64 get64(u64 gpa)
{
	u64 v;

	memcpy(&v, ram + gpa, 8);
	return v;
}

/* As an OS does: scan 0xe0000-0xfffff on 16-byte boundaries. */
static u64 find_rsdp(void)
{
	u64 a;

	for (a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp(ram + a, "RSD PTR ", 8) && !acpi_checksum(ram + a, 20))
			return a;
	return 0;
}

/* A table by signature through an SDT of 4- or 8-byte entries. */
static u64 find_table(u64 sdt, unsigned int width, const char *sig)
{
	u32 len = get32(sdt + 4), off;

	for (off = sizeof(struct acpi_header); off + width <= len; off += width) {
		u64 t = width == 8 ? get64(sdt + off) : get32(sdt + off);

		assert_true(t + sizeof(struct acpi_header) <= RAM_SIZE);
		if (!memcmp(ram + t, sig, 4))
			return t;
	}
	return 0;
}

static void assert_table_ok(u64 t, const char *sig)
{
	u32 len = get32(t + 4);

	assert_memory_equal(ram + t, sig, 4);
	assert_true(len >= sizeof(struct acpi_header) && t + len <= RAM_SIZE);
	assert_int_equal(acpi_checksum(ram + t, len), 0);
	assert_memory_equal(ram + t + 10, "VTX   ", 6);
}

static void test_rsdp_chain(void **state)
{
	u64 rsdp, rsdt, xsdt, fadt, madt;
	struct acpi_rsdp r;

	(void)state;
	assert_int_equal(acpi_build(ram, RAM_SIZE, 2), 0);
	rsdp = find_rsdp();
	assert_true(rsdp >= 0xe0000 && rsdp < 0x100000 && !(rsdp & 15));
	memcpy(&r, ram + rsdp, sizeof(r));
	assert_int_equal(r.revision, 2);
	assert_int_equal(r.length, 36);
	assert_int_equal(acpi_checksum(&r, 20), 0);
	assert_int_equal(acpi_checksum(&r, 36), 0);
	rsdt = r.rsdt_address;
	xsdt = r.xsdt_address;
	assert_table_ok(rsdt, "RSDT");
	assert_table_ok(xsdt, "XSDT");
	assert_int_equal(get32(rsdt + 4), 36 + 2 * 4);
	assert_int_equal(get32(xsdt + 4), 36 + 2 * 8);
	/* both lead to the same FADT and MADT */
	fadt = find_table(xsdt, 8, "FACP");
	madt = find_table(xsdt, 8, "APIC");
	assert_true(fadt && madt);
	assert_true(find_table(rsdt, 4, "FACP") == fadt);
	assert_true(find_table(rsdt, 4, "APIC") == madt);
	assert_table_ok(fadt, "FACP");
	assert_table_ok(madt, "APIC");
	/* nothing outside the area described as ACPI memory */
	assert_true(madt + get32(madt + 4) <= ACPI_AREA_END);
}

static void test_fadt(void **state)
{
	u64 f = ACPI_FADT_ADDR, dsdt, facs;

	(void)state;
	assert_int_equal(acpi_build(ram, RAM_SIZE, 1), 0);
	assert_table_ok(f, "FACP");
	assert_int_equal(ram[f + 8], ACPI_FADT_REVISION);
	assert_true(ram[f + 8] >= 3);
	assert_int_equal(get32(f + 4), 244);
	assert_int_equal(get32(f + FADT_PM_TMR_BLK), 0x608);
	assert_int_equal(ram[f + FADT_PM_TMR_LEN], 4);
	assert_int_equal(get32(f + FADT_PM1A_EVT_BLK), 0x600);
	assert_int_equal(ram[f + FADT_PM1_EVT_LEN], 4);
	assert_int_equal(get32(f + FADT_PM1A_CNT_BLK), 0x604);
	assert_int_equal(ram[f + FADT_PM1_CNT_LEN], 2);
	assert_int_equal(ram[f + FADT_SCI_INT], 9);
	assert_int_equal(get32(f + FADT_SMI_CMD), 0);
	assert_true(get32(f + FADT_FLAGS) & ACPI_FADT_TMR_VAL_EXT);
	assert_int_equal(ram[f + FADT_CENTURY], 0x32);
	/* X_PM_TMR_BLK: System I/O, 32 bits, dword access, port 0x608 */
	assert_int_equal(ram[f + FADT_X_PM_TMR_BLK], 1);
	assert_int_equal(ram[f + FADT_X_PM_TMR_BLK + 1], 32);
	assert_int_equal(ram[f + FADT_X_PM_TMR_BLK + 3], 3);
	assert_true(get64(f + FADT_X_PM_TMR_BLK + 4) == 0x608);
	assert_true(get64(f + FADT_X_PM1A_EVT_BLK + 4) == 0x600);
	assert_true(get64(f + FADT_X_PM1A_CNT_BLK + 4) == 0x604);
	/* DSDT: both pointers agree, valid checksum, AML: Name (_S5, {5, 5, 0, 0}) */
	dsdt = get32(f + FADT_DSDT);
	assert_true(get64(f + FADT_X_DSDT) == dsdt);
	assert_table_ok(dsdt, "DSDT");
	assert_int_equal(get32(dsdt + 4), 36 + 14);
	assert_memory_equal(ram + dsdt + 36, "\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00", 14);
	/* FACS: 64-byte aligned, 64 bytes */
	facs = get32(f + FADT_FIRMWARE_CTRL);
	assert_true(get64(f + FADT_X_FIRMWARE_CTRL) == facs);
	assert_int_equal(facs & 63, 0);
	assert_memory_equal(ram + facs, "FACS", 4);
	assert_int_equal(get32(facs + 4), 64);
}

static void check_madt(unsigned int cpus)
{
	u64 m = ACPI_MADT_ADDR;
	u32 len, off;
	unsigned int lapics = 0, ioapics = 0, isos = 0;
	bool irq0_gsi2 = false;

	assert_int_equal(acpi_build(ram, RAM_SIZE, cpus), 0);
	assert_table_ok(m, "APIC");
	assert_int_equal(get32(m + 36), VTX_LAPIC_GPA);
	len = get32(m + 4);
	for (off = 44; off < len; off += ram[m + off + 1]) {
		const u8 *e = ram + m + off;

		assert_true(e[1] >= 2 && off + e[1] <= len);
		switch (e[0]) {
		case ACPI_MADT_LAPIC:
			assert_int_equal(e[1], 8);
			assert_int_equal(e[3], lapics);		/* APIC IDs 0.. */
			assert_int_equal(get32(m + off + 4) & 1, 1);	/* enabled */
			lapics++;
			break;
		case ACPI_MADT_IOAPIC:
			assert_int_equal(e[1], 12);
			assert_int_equal(e[2], cpus);
			assert_int_equal(get32(m + off + 4), VTX_IOAPIC_GPA);
			assert_int_equal(get32(m + off + 8), 0);
			ioapics++;
			break;
		case ACPI_MADT_ISO:
			assert_int_equal(e[1], 10);
			if (e[3] == 0 && get32(m + off + 4) == 2)
				irq0_gsi2 = true;
			isos++;
			break;
		default:
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
	}
	assert_int_equal(off, len);
	assert_int_equal(lapics, cpus);
	assert_int_equal(ioapics, 1);
	assert_true(irq0_gsi2 && isos >= 1);
}

static void test_madt(void **state)
{
	unsigned int cpus;

	(void)state;
	for (cpus = 1; cpus <= ACPI_MAX_CPUS; cpus++)
		check_madt(cpus);
}

static void test_bad_args(void **state)
{
	(void)state;
	assert_int_equal(acpi_build(ram, RAM_SIZE, 0), -EINVAL);
	assert_int_equal(acpi_build(ram, RAM_SIZE, ACPI_MAX_CPUS + 1), -EINVAL);
	assert_int_equal(acpi_build(ram, 0xe0000, 1), -EFBIG);
}

static u64 fake_ns;

static u64 fake_clock(void *ctx)
{
	(void)ctx;
	return fake_ns;
}

static void test_pm_timer(void **state)
{
	struct acpi_pm pm;
	u32 t0, t1;

	(void)state;
	assert_int_equal(acpi_pm_timer_at(0), 0);
	assert_int_equal(acpi_pm_timer_at(1000000000ULL), 3579545);
	assert_int_equal(acpi_pm_timer_at(1000ULL), 3);	/* 3.58 ticks per us */
	/* wraps at 32 bits: 2^32 ticks take ~1199.86 s */
	assert_int_equal(acpi_pm_timer_at(2000ULL * 1000000000ULL),
			 (u32)(2000ULL * 3579545ULL));
	acpi_pm_init(&pm, fake_clock, NULL);
	fake_ns = 5000000000ULL;
	t0 = acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK, 4);
	assert_int_equal(t0, (u32)(5ULL * 3579545));
	fake_ns += 1000000;					/* 1 ms */
	t1 = acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK, 4);
	assert_int_equal(t1 - t0, 3579);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK + 2, 2), t1 >> 16);
	acpi_pm_io_out(&pm, ACPI_PM_TMR_BLK, 4, 0);		/* read-only */
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK, 4), t1);
}

/* The real clock source advances. */
static void test_pm_timer_monotonic(void **state)
{
	struct acpi_pm pm;
	u32 t0, t1;
	int i;

	(void)state;
	acpi_pm_init(&pm, NULL, NULL);
	t0 = acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK, 4);
	for (i = 0; i < 1000000; i++) {
		t1 = acpi_pm_io_in(&pm, ACPI_PM_TMR_BLK, 4);
		if (t1 != t0)
			break;
	}
	assert_true(t1 != t0 && t1 - t0 < 3579545);
}

static void test_pm1_regs(void **state)
{
	struct acpi_pm pm;

	(void)state;
	acpi_pm_init(&pm, fake_clock, NULL);
	/* ACPI mode is on from the start: SCI_EN set, stays set */
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_CNT_BLK, 2) & 1, 1);
	acpi_pm_io_out(&pm, ACPI_PM1_CNT_BLK, 2, 0);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_CNT_BLK, 2) & 1, 1);
	/* PM1 enable is read/write; status is write-1-to-clear */
	acpi_pm_io_out(&pm, ACPI_PM1_EVT_BLK + 2, 2, 0x0121);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_EVT_BLK + 2, 2), 0x0121);
	pm.pm1_sts = 0x8001;
	acpi_pm_io_out(&pm, ACPI_PM1_EVT_BLK, 2, 0x0001);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_EVT_BLK, 2), 0x8000);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_EVT_BLK, 4), 0x01218000);
}

/* SLP_EN with SLP_TYP = \_S5's 5 powers off (run ends, status 0); others do nothing. */
static void test_pm1_poweroff(void **state)
{
	struct vmctl_stop stop = { 0 };
	struct acpi_pm pm;

	(void)state;
	acpi_pm_init(&pm, fake_clock, NULL);
	pm.stop = &stop;
	acpi_pm_io_out(&pm, ACPI_PM1_CNT_BLK, 2, 5 << 10);		/* type only */
	assert_false(stop.requested);
	acpi_pm_io_out(&pm, ACPI_PM1_CNT_BLK, 2, 1 << 10 | 1 << 13);	/* S1: none */
	assert_false(stop.requested);
	assert_int_equal(acpi_pm_io_in(&pm, ACPI_PM1_CNT_BLK, 2) & (1 << 13), 0);
	acpi_pm_io_out(&pm, ACPI_PM1_CNT_BLK + 1, 1, (5 << 10 | 1 << 13) >> 8);	/* bytewise */
	assert_true(stop.requested);
	assert_int_equal(stop.code, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsdp_chain),
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_madt),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_pm_timer),
		cmocka_unit_test(test_pm_timer_monotonic),
		cmocka_unit_test(test_pm1_regs),
		cmocka_unit_test(test_pm1_poweroff),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
