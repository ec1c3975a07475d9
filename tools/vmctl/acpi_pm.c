// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI fixed hardware (ACPI 6.5, 4.8): PM1a event block (status, write 1
 * to clear; enable), PM1a control block (SCI_EN always set: there is no
 * SMI command port to switch modes) and the 3.579545 MHz PM timer, 32 bits
 * wide (FADT TMR_VAL_EXT), derived from the host's CLOCK_MONOTONIC.
 */
#include <time.h>
#include "acpi.h"

#define PM1_CNT_SCI_EN		BIT(0)
#define PM1_CNT_SLP_TYP_SHIFT	10
#define PM1_CNT_SLP_TYP_MASK	(7u << PM1_CNT_SLP_TYP_SHIFT)
#define PM1_CNT_SLP_EN		BIT(13)

static u64 acpi_pm_monotonic_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void acpi_pm_init(struct acpi_pm *pm, u64 (*now_ns)(void *ctx), void *now_ctx)
{
	pm->pm1_sts = 0;
	pm->pm1_en = 0;
	pm->pm1_cnt = PM1_CNT_SCI_EN;
	pm->now_ns = now_ns ? now_ns : acpi_pm_monotonic_ns;
	pm->now_ctx = now_ctx;
	pm->stop = NULL;
}

/* ticks = ns * 3579545 / 10^9, split so that nothing overflows 64 bits. */
u32 acpi_pm_timer_at(u64 ns)
{
	u64 sec = ns / 1000000000ULL, rem = ns % 1000000000ULL;

	return (u32)(sec * ACPI_PM_TIMER_HZ + rem * ACPI_PM_TIMER_HZ / 1000000000ULL);
}

/* The block is byte addressable: build the little-endian register file. */
static u32 acpi_pm_read8(struct acpi_pm *pm, unsigned int off, u32 timer)
{
	switch (off) {
	case 0: case 1:
		return pm->pm1_sts >> (8 * off);
	case 2: case 3:
		return pm->pm1_en >> (8 * (off - 2));
	case 4: case 5:
		return pm->pm1_cnt >> (8 * (off - 4));
	case 8: case 9: case 10: case 11:
		return timer >> (8 * (off - 8));
	}
	return 0xff;
}

u32 acpi_pm_io_in(void *opaque, u16 port, u8 size)
{
	struct acpi_pm *pm = opaque;
	unsigned int off = port - ACPI_PM_BASE, i;
	u32 timer = 0, val = 0;

	if (off + size > 8)
		timer = acpi_pm_timer_at(pm->now_ns(pm->now_ctx));
	for (i = 0; i < size; i++)
		val |= (acpi_pm_read8(pm, off + i, timer) & 0xff) << (8 * i);
	return val;
}

static void acpi_pm_write8(struct acpi_pm *pm, unsigned int off, u8 b)
{
	switch (off) {
	case 0: case 1:
		pm->pm1_sts &= ~((u16)b << (8 * off));	/* write 1 to clear */
		break;
	case 2: case 3:
		pm->pm1_en = (pm->pm1_en & ~(0xff << (8 * (off - 2)))) | (b << (8 * (off - 2)));
		break;
	case 4: case 5:
		pm->pm1_cnt = (pm->pm1_cnt & ~(0xff << (8 * (off - 4)))) | (b << (8 * (off - 4)));
		/*
		 * SLP_EN with the DSDT's \_S5 type is the guest's poweroff
		 * (ACPI 6.5, 16.1.7): the run ends with status 0. No other
		 * sleep state exists; SLP_EN self-clears; SCI_EN is fixed.
		 */
		if ((pm->pm1_cnt & PM1_CNT_SLP_EN) && pm->stop &&
		    (pm->pm1_cnt & PM1_CNT_SLP_TYP_MASK) >> PM1_CNT_SLP_TYP_SHIFT == ACPI_S5_SLP_TYP)
			vmctl_request_stop(pm->stop, 0);
		pm->pm1_cnt = (pm->pm1_cnt | PM1_CNT_SCI_EN) & ~PM1_CNT_SLP_EN;
		break;
	}	/* the timer is read-only */
}

void acpi_pm_io_out(void *opaque, u16 port, u8 size, u32 val)
{
	struct acpi_pm *pm = opaque;
	unsigned int off = port - ACPI_PM_BASE, i;

	for (i = 0; i < size && off + i < ACPI_PM_NR_PORTS; i++)
		acpi_pm_write8(pm, off + i, val >> (8 * i));
}
