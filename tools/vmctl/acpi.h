/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI tables in guest memory (ACPI 6.x spec, chapter 5.2) and the fixed
 * hardware they describe (acpi_pm.c). Layout in the BIOS area, all below
 * 1 MiB and described as ACPI memory in the multiboot memory map:
 *
 *   0xe0000 RSDP (rev 2)   0xe0040 RSDT   0xe0080 XSDT   0xe0100 FADT (rev 3)
 *   0xe0200 FACS           0xe0280 DSDT   0xe0300 MADT
 *
 * PM registers (as on QEMU's PIIX4): PM1a_EVT 0x600 (4 bytes), PM1a_CNT
 * 0x604 (2), PM_TMR 0x608 (4, 32-bit, FADT TMR_VAL_EXT). SCI is IRQ 9.
 */
#ifndef _VMCTL_ACPI_H
#define _VMCTL_ACPI_H

#include "vmctl.h"

#define ACPI_AREA_START		0xe0000ULL
#define ACPI_AREA_END		0xf0000ULL
#define ACPI_RSDP_ADDR		0xe0000ULL
#define ACPI_RSDT_ADDR		0xe0040ULL
#define ACPI_XSDT_ADDR		0xe0080ULL
#define ACPI_FADT_ADDR		0xe0100ULL
#define ACPI_FACS_ADDR		0xe0200ULL	/* 64-byte aligned (5.2.10) */
#define ACPI_DSDT_ADDR		0xe0280ULL
#define ACPI_MADT_ADDR		0xe0300ULL

#define ACPI_PM_BASE		0x600
#define ACPI_PM1_EVT_BLK	(ACPI_PM_BASE + 0)
#define ACPI_PM1_CNT_BLK	(ACPI_PM_BASE + 4)
#define ACPI_PM_TMR_BLK		(ACPI_PM_BASE + 8)
#define ACPI_PM_NR_PORTS	12
#define ACPI_SCI_IRQ		9

#define ACPI_MAX_CPUS		16

/* SLP_TYPa/b the DSDT's \_S5 package gives for soft-off (PM1_CNT bits 12:10). */
#define ACPI_S5_SLP_TYP		5

#define ACPI_FADT_LEN		244	/* revision 3 (ACPI 2.0) layout */
#define ACPI_FADT_REVISION	3
#define ACPI_FADT_TMR_VAL_EXT	BIT(8)
#define ACPI_PM_TIMER_HZ	3579545ULL

/* Header common to every table but RSDP and FACS (5.2.6). */
struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
} __attribute__((packed));

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* first 20 bytes */
	char oem_id[6];
	u8 revision;		/* 2: ACPI 2.0+, has XSDT */
	u32 rsdt_address;
	u32 length;		/* 36 */
	u64 xsdt_address;
	u8 extended_checksum;	/* all 36 bytes */
	u8 reserved[3];
} __attribute__((packed));

/* MADT entry types (5.2.12). */
#define ACPI_MADT_LAPIC		0
#define ACPI_MADT_IOAPIC	1
#define ACPI_MADT_ISO		2

/* Byte offsets into the FADT that the builder and the tests share (5.2.9). */
#define FADT_FIRMWARE_CTRL	36
#define FADT_DSDT		40
#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM_TMR_BLK		76
#define FADT_PM1_EVT_LEN	88
#define FADT_PM1_CNT_LEN	89
#define FADT_PM_TMR_LEN		91
#define FADT_CENTURY		108
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_X_FIRMWARE_CTRL	132
#define FADT_X_DSDT		140
#define FADT_X_PM1A_EVT_BLK	148
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM_TMR_BLK	208

/* Sum of @len bytes, mod 256: zero for a correct table. */
u8 acpi_checksum(const void *p, size_t len);
/*
 * Write all tables for @nr_cpus (1..ACPI_MAX_CPUS) into @ram. -EINVAL for a
 * bad CPU count, -EFBIG if RAM does not cover the ACPI area.
 */
int acpi_build(u8 *ram, u64 ram_size, unsigned int nr_cpus);

/* PM1 event/control registers and the PM timer (acpi_pm.c). */
struct acpi_pm {
	u16 pm1_sts, pm1_en, pm1_cnt;
	/* Nanoseconds of CLOCK_MONOTONIC; replaced in tests. */
	u64 (*now_ns)(void *ctx);
	void *now_ctx;
	struct vmctl_stop *stop;	/* S5 (poweroff) ends the run; NULL: ignored */
};

void acpi_pm_init(struct acpi_pm *pm, u64 (*now_ns)(void *ctx), void *now_ctx);
/* The 32-bit PM timer value at @ns. */
u32 acpi_pm_timer_at(u64 ns);
u32 acpi_pm_io_in(void *opaque, u16 port, u8 size);
void acpi_pm_io_out(void *opaque, u16 port, u8 size, u32 val);

#endif /* _VMCTL_ACPI_H */
